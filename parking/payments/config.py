"""Typed channel settings (ids, keys, base URLs) handed to the adapters; secrets never appear in repr."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

WECHATPAY_BASE_URL = "https://api.mch.weixin.qq.com"
ALIPAY_GATEWAY_URL = "https://openapi.alipay.com/gateway.do"
DEFAULT_REPLAY_WINDOW = timedelta(minutes=5)


@dataclass(frozen=True)
class WeChatPayConfig:
    """A direct (直连) merchant in platform-public-key mode: no certificate download at start."""

    mchid: str
    appid: str
    merchant_serial_no: str
    merchant_private_key_pem: str = field(repr=False)
    apiv3_key: str = field(repr=False)
    platform_public_key_pem: str = field(repr=False)
    platform_public_key_id: str
    notify_url: str
    base_url: str = WECHATPAY_BASE_URL
    connect_timeout_s: float = 5.0
    read_timeout_s: float = 10.0
    replay_window: timedelta = DEFAULT_REPLAY_WINDOW

    def __post_init__(self) -> None:
        if len(self.apiv3_key.encode()) != 32:
            raise ValueError("the APIv3 key must be 32 bytes (AES-256)")


@dataclass(frozen=True)
class AlipayConfig:
    app_id: str
    app_private_key_pem: str = field(repr=False)
    alipay_public_key_pem: str = field(repr=False)
    notify_url: str
    gateway_url: str = ALIPAY_GATEWAY_URL
    timeout_s: float = 10.0
    replay_window: timedelta = DEFAULT_REPLAY_WINDOW
    # Alipay bills and notify_time are in Beijing time.
    tz: str = "Asia/Shanghai"


@dataclass(frozen=True)
class MiniProgramConfig:
    appid: str
    secret: str = field(repr=False)
    base_url: str = "https://api.weixin.qq.com"
    timeout_s: float = 10.0
