"""The wechatpayv3 client pointed at a configurable base URL, with its errors made typed and its I/O async."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from typing import Any

import requests
from wechatpayv3 import WeChatPay, WeChatPayType

from parking.payments.config import WeChatPayConfig
from parking.payments.errors import ChannelError

logger = logging.getLogger(__name__)

CHANNEL = "wechatpay"


def build_client(config: WeChatPayConfig) -> Any:
    """Public-key mode: the platform public key is configured, so nothing is downloaded at start."""
    client = WeChatPay(
        wechatpay_type=WeChatPayType.JSAPI,
        mchid=config.mchid,
        private_key=config.merchant_private_key_pem,
        cert_serial_no=config.merchant_serial_no,
        appid=config.appid,
        apiv3_key=config.apiv3_key,
        notify_url=config.notify_url,
        timeout=(config.connect_timeout_s, config.read_timeout_s),
        public_key=config.platform_public_key_pem,
        public_key_id=config.platform_public_key_id,
    )
    # wechatpayv3 hard-codes the production host; the fake (or a proxy) lives elsewhere.
    client._core._gate_way = config.base_url.rstrip("/")
    return client


async def call(fn: Callable[..., tuple[int, Any]], *args: Any, **kwargs: Any) -> tuple[int, Any]:
    """Run one blocking SDK call in a thread; 2xx -> (status, decoded JSON or bytes), else ChannelError."""
    try:
        status, payload = await asyncio.to_thread(fn, *args, **kwargs)
    except requests.RequestException as exc:
        raise ChannelError(CHANNEL, None, f"transport: {exc}") from exc
    except Exception as exc:
        # wechatpayv3 raises a bare Exception when the response signature does not verify.
        raise ChannelError(CHANNEL, None, f"sdk: {exc}") from exc
    if not 200 <= status < 300:
        logger.warning("wechatpay %s answered %s: %s", getattr(fn, "__name__", fn), status, payload)
        raise ChannelError(CHANNEL, status, payload if isinstance(payload, str) else repr(payload))
    if isinstance(payload, str) and payload:
        return status, json.loads(payload)
    return status, payload
