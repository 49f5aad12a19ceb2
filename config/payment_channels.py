"""Building the payment channel clients from a credentials file (the fakes write one for `make run`)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from parking.payments.channels.alipay import AlipayChannel
from parking.payments.channels.wechat_parking import WeChatParkingService
from parking.payments.channels.wechatpay import WeChatPayChannel
from parking.payments.config import AlipayConfig, WeChatPayConfig
from parking.payments.gateway import Channels
from parking.payments.nonces import nonce_store

logger = logging.getLogger(__name__)


def load_channels(credentials: Path | None, public_url: str, redis_url: str = "") -> Channels:
    """Channels for the sections present in ``credentials`` (keys are the config fields); none without a file.

    Callback nonces are kept in Redis when ``redis_url`` is set (any number of API processes), else in this
    process's memory (one API process only).
    """
    if credentials is None or not credentials.exists():
        return Channels()
    document = json.loads(credentials.read_text())
    base = public_url.rstrip("/")
    nonces = nonce_store(redis_url)
    wechatpay = alipay = wechat_parking = None
    if "wechatpay" in document:
        config = WeChatPayConfig(**document["wechatpay"], notify_url=f"{base}/payments/notify/wechatpay")
        wechatpay = WeChatPayChannel(config, nonces)
        # Its notifications come to the same URL and are read by ``wechatpay``: it verifies none itself.
        wechat_parking = WeChatParkingService(config, nonces)
    if "alipay" in document:
        alipay = AlipayChannel(AlipayConfig(**document["alipay"], notify_url=f"{base}/payments/notify/alipay"), nonces)
    logger.info(
        "payment channels: wechatpay=%s alipay=%s nonces=%s",
        wechatpay is not None,
        alipay is not None,
        type(nonces).__name__,
    )
    return Channels(wechatpay=wechatpay, alipay=alipay, wechat_parking=wechat_parking)
