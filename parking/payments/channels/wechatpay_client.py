"""The wechatpayv3 client pointed at a configurable base URL, with its errors made typed and its I/O async.

Two ways WeChat signs its answers and notifications, chosen by the configuration:
- public-key mode (``platform_public_key_id`` set): the WeChat Pay public key; nothing is downloaded;
- platform-certificate mode (both public-key fields empty; merchants that have not switched): the platform
  certificates from ``GET /v3/certificates``, decrypted with the APIv3 key (AES-GCM, so only WeChat could have
  made them). They are fetched when first needed, in the calling thread, never while the app starts.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from wechatpayv3 import WeChatPay, WeChatPayType
from wechatpayv3.core import Core

from parking.payments.callbacks import load_rsa_public_key
from parking.payments.config import WeChatPayConfig
from parking.payments.errors import ChannelError

logger = logging.getLogger(__name__)

CHANNEL = "wechatpay"
# A notification naming a serial we do not hold refreshes the certificates at most this often, so forged
# serials cannot make us hammer WeChat's certificate API.
_REFRESH_EVERY_S = 60.0


class _CertificateCore(Core):  # type: ignore[misc]
    """wechatpayv3's Core without a public key, pointed at ``base_url`` and not downloading while being built.

    The SDK downloads the certificates itself when an answer names a serial it does not hold."""

    def __init__(self, base_url: str, **kwargs: Any) -> None:
        self._base_url = base_url
        super().__init__(**kwargs)

    def _init_certificates(self) -> None:
        # Core.__init__ has just set the production host; the certificates come on first need.
        self._gate_way = self._base_url


def build_client(config: WeChatPayConfig) -> Any:
    if config.certificate_mode:
        # WeChatPay.__init__ would build a Core that downloads at once from the production host: assemble it
        # with our Core instead (the attributes WeChatPay 2.0.4 sets).
        client = WeChatPay.__new__(WeChatPay)
        client._type = WeChatPayType.JSAPI
        client._mchid = config.mchid
        client._appid = config.appid
        client._notify_url = config.notify_url
        client._partner_mode = False
        client._core = _CertificateCore(
            config.base_url.rstrip("/"),
            mchid=config.mchid,
            cert_serial_no=config.merchant_serial_no,
            private_key=config.merchant_private_key_pem,
            apiv3_key=config.apiv3_key,
            timeout=(config.connect_timeout_s, config.read_timeout_s),
        )
        return client
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


class PlatformKeys:
    """The key that verifies a WeChat signature, by the ``Wechatpay-Serial`` it names; None: not WeChat's."""

    def __init__(self, config: WeChatPayConfig, client: Any, clock: Callable[[], float] = time.monotonic) -> None:
        self._config = config
        self._core = client._core
        self._clock = clock
        self._lock = threading.Lock()
        self._refreshed_at: float | None = None
        self._public = None if config.certificate_mode else load_rsa_public_key(config.platform_public_key_pem)

    def key_for(self, serial: str) -> rsa.RSAPublicKey | None:
        """Blocking in certificate mode (it may download the certificates): call it from a worker thread."""
        if self._public is not None:
            return self._public if serial == self._config.platform_public_key_id else None
        found = self._certificate(serial)
        if found is None and serial and self._refresh():
            found = self._certificate(serial)
        return found

    def _certificate(self, serial: str) -> rsa.RSAPublicKey | None:
        try:
            number = int(serial, 16)
        except ValueError:
            return None
        for certificate in list(self._core._certificates):
            key = certificate.public_key()
            if certificate.serial_number == number and isinstance(key, rsa.RSAPublicKey):
                return key
        return None

    def _refresh(self) -> bool:
        with self._lock:
            now = self._clock()
            if self._refreshed_at is not None and now - self._refreshed_at < _REFRESH_EVERY_S:
                return False
            self._refreshed_at = now
            try:
                self._core._update_certificates()
            except requests.RequestException as exc:
                logger.warning("wechatpay platform certificates could not be downloaded: %s", exc)
                return False
            return True


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
