"""Building the payment channel clients from a credentials file (the fakes write one for `make run`)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from parking.payments.callbacks import InMemoryNonceStore
from parking.payments.channels.alipay import AlipayChannel
from parking.payments.channels.wechat_parking import WeChatParkingService
from parking.payments.channels.wechatpay import WeChatPayChannel
from parking.payments.config import AlipayConfig, WeChatPayConfig
from parking.payments.gateway import Channels

logger = logging.getLogger(__name__)


def load_channels(credentials: Path | None, public_url: str) -> Channels:
    """Channels for the sections present in ``credentials`` (keys are the config fields); none without a file.

    Nonces are remembered in this process: one API worker. Several workers need a shared (Redis) store.
    """
    if credentials is None or not credentials.exists():
        return Channels()
    document = json.loads(credentials.read_text())
    base = public_url.rstrip("/")
    wechatpay = alipay = wechat_parking = None
    if "wechatpay" in document:
        config = WeChatPayConfig(**document["wechatpay"], notify_url=f"{base}/payments/notify/wechatpay")
        wechatpay = WeChatPayChannel(config, InMemoryNonceStore())
        # Its notifications come to the same URL and are read by ``wechatpay``: its own nonce store is unused.
        wechat_parking = WeChatParkingService(config, InMemoryNonceStore())
    if "alipay" in document:
        alipay = AlipayChannel(
            AlipayConfig(**document["alipay"], notify_url=f"{base}/payments/notify/alipay"), InMemoryNonceStore()
        )
    logger.info("payment channels: wechatpay=%s alipay=%s", wechatpay is not None, alipay is not None)
    return Channels(wechatpay=wechatpay, alipay=alipay, wechat_parking=wechat_parking)
