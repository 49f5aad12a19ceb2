"""Typed channel settings (ids, keys, base URLs) handed to the adapters; secrets never appear in repr."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

WECHATPAY_BASE_URL = "https://api.mch.weixin.qq.com"
ALIPAY_GATEWAY_URL = "https://openapi.alipay.com/gateway.do"
DEFAULT_REPLAY_WINDOW = timedelta(minutes=5)


@dataclass(frozen=True)
class WeChatPayConfig:
    """A direct (直连) merchant. With the WeChat Pay public key (``platform_public_key_pem`` and ``_id``) nothing is
    downloaded; with both left empty the merchant is in platform-certificate mode (certificates come from
    ``/v3/certificates`` when first needed)."""

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
        if bool(self.platform_public_key_pem) != bool(self.platform_public_key_id):
            raise ValueError("give both the platform public key and its id, or neither (certificate mode)")

    @property
    def certificate_mode(self) -> bool:
        return not self.platform_public_key_id


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
