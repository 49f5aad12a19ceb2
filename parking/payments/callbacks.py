"""Notification checks: signature, AES-256-GCM decryption, time+nonce replay window, amount vs order."""

from __future__ import annotations

import base64
import binascii
import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from parking.payments.channels.base import ChannelNotification, NotificationKind
from parking.payments.config import DEFAULT_REPLAY_WINDOW
from parking.payments.errors import AmountMismatch, ForgedSignature, MalformedNotification, Replay
from parking.payments.state import Order, Transition, apply

WECHATPAY_SIGNATURE_TYPE = "WECHATPAY2-SHA256-RSA2048"


class NonceStore(Protocol):
    """Remembers nonces until they expire; a Redis store does ``SET key 1 NX PXAT expires_at``."""

    def add_if_new(self, key: str, expires_at: datetime, now: datetime) -> bool:
        """True if ``key`` was not remembered (and now is, until ``expires_at``)."""
        ...


class InMemoryNonceStore:
    """Single-process store for tests and one-worker deployments."""

    def __init__(self) -> None:
        self._expiry: dict[str, datetime] = {}
        self._lock = threading.Lock()

    def add_if_new(self, key: str, expires_at: datetime, now: datetime) -> bool:
        with self._lock:
            self._expiry = {k: t for k, t in self._expiry.items() if t > now}
            if key in self._expiry:
                return False
            self._expiry[key] = expires_at
            return True


def load_rsa_public_key(pem: str) -> rsa.RSAPublicKey:
    key = serialization.load_pem_public_key(pem.encode())
    if not isinstance(key, rsa.RSAPublicKey):
        raise ValueError("not an RSA public key")
    return key


def _rsa_sha256_ok(key: rsa.RSAPublicKey, message: str, signature_b64: str) -> bool:
    try:
        key.verify(
            base64.b64decode(signature_b64, validate=True),
            message.encode(),
            padding.PKCS1v15(),
            hashes.SHA256(),
        )
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True


def check_fresh(
    sent_at: datetime,
    nonce: str,
    *,
    now: datetime,
    nonces: NonceStore,
    window: timedelta = DEFAULT_REPLAY_WINDOW,
) -> None:
    """Refuse what was sent outside ``now ± window`` or whose nonce was already seen inside it."""
    if abs(now - sent_at) > window:
        raise Replay(f"sent at {sent_at.isoformat()}, outside ±{window} of {now.isoformat()}")
    # Past sent_at + window the timestamp check refuses it anyway, so the nonce can be forgotten then.
    if not nonces.add_if_new(nonce, sent_at + window, now):
        raise Replay(f"nonce {nonce!r} already used")


def check_amount(out_trade_no: str, order_amount_fen: int, notified_amount_fen: int) -> None:
    if order_amount_fen != notified_amount_fen:
        raise AmountMismatch(out_trade_no, order_amount_fen, notified_amount_fen)


# --- WeChat Pay APIv3 -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WeChatPayNotification:
    id: str
    event_type: str
    summary: str
    original_type: str
    resource: Mapping[str, Any]


def _header(headers: Mapping[str, str], name: str) -> str:
    lowered = {k.lower(): v for k, v in headers.items()}
    return lowered.get(name.lower(), "")


def decrypt_resource(resource: Mapping[str, Any], apiv3_key: str) -> dict[str, Any]:
    """AEAD_AES_256_GCM with the APIv3 key; nonce and associated_data travel with the ciphertext."""
    if resource.get("algorithm") != "AEAD_AES_256_GCM":
        raise MalformedNotification(f"unsupported algorithm {resource.get('algorithm')!r}")
    try:
        plaintext = AESGCM(apiv3_key.encode()).decrypt(
            str(resource["nonce"]).encode(),
            base64.b64decode(str(resource["ciphertext"]), validate=True),
            str(resource.get("associated_data", "")).encode(),
        )
        data = json.loads(plaintext)
    except (InvalidTag, KeyError, binascii.Error, ValueError) as exc:
        raise MalformedNotification(f"cannot decrypt resource: {type(exc).__name__}") from exc
    if not isinstance(data, dict):
        raise MalformedNotification("decrypted resource is not an object")
    return data


def verify_wechatpay_notification(
    headers: Mapping[str, str],
    body: bytes,
    *,
    platform_public_key: rsa.RSAPublicKey,
    platform_public_key_id: str,
    apiv3_key: str,
    now: datetime,
    nonces: NonceStore,
    window: timedelta = DEFAULT_REPLAY_WINDOW,
) -> WeChatPayNotification:
    """Signature first (so forgeries cannot fill the nonce store), then freshness, then decryption."""
    text = body.decode("utf-8", errors="replace")
    timestamp = _header(headers, "Wechatpay-Timestamp")
    nonce = _header(headers, "Wechatpay-Nonce")
    if _header(headers, "Wechatpay-Signature-Type") not in ("", WECHATPAY_SIGNATURE_TYPE):
        raise ForgedSignature("unsupported signature type")
    if _header(headers, "Wechatpay-Serial") != platform_public_key_id:
        raise ForgedSignature("signed with an unknown platform key serial")
    if not timestamp.isdigit() or not nonce:
        raise ForgedSignature("missing Wechatpay-Timestamp or Wechatpay-Nonce")
    if not _rsa_sha256_ok(
        platform_public_key, f"{timestamp}\n{nonce}\n{text}\n", _header(headers, "Wechatpay-Signature")
    ):
        raise ForgedSignature("Wechatpay-Signature does not verify")
    check_fresh(
        datetime.fromtimestamp(int(timestamp), UTC),
        f"wechatpay:{nonce}",
        now=now,
        nonces=nonces,
        window=window,
    )
    try:
        envelope = json.loads(text)
        resource = envelope["resource"]
        event_type = str(envelope["event_type"])
    except (ValueError, KeyError, TypeError) as exc:
        raise MalformedNotification("not a WeChat Pay notification envelope") from exc
    return WeChatPayNotification(
        id=str(envelope.get("id", "")),
        event_type=event_type,
        summary=str(envelope.get("summary", "")),
        original_type=str(resource.get("original_type", "")),
        resource=decrypt_resource(resource, apiv3_key),
    )


# --- Alipay -----------------------------------------------------------------------------------------------


def alipay_sign_content(params: Mapping[str, str], *, drop_sign_type: bool) -> str:
    """Alipay's content to sign: sorted ``k=v`` joined by ``&``, without ``sign`` (and ``sign_type`` in
    notifications) and without empty values."""
    dropped = {"sign", "sign_type"} if drop_sign_type else {"sign"}
    return "&".join(f"{k}={v}" for k, v in sorted(params.items()) if k not in dropped and v != "")


def verify_alipay_notification(
    form: Mapping[str, str],
    *,
    alipay_public_key: rsa.RSAPublicKey,
    app_id: str,
    now: datetime,
    nonces: NonceStore,
    window: timedelta = DEFAULT_REPLAY_WINDOW,
    tz: str = "Asia/Shanghai",
) -> dict[str, str]:
    """RSA2 over the form minus sign/sign_type; the (notify_id, notify_time) pair is the nonce."""
    if form.get("sign_type", "RSA2") != "RSA2":
        raise ForgedSignature(f"unsupported sign_type {form.get('sign_type')!r}")
    if not _rsa_sha256_ok(alipay_public_key, alipay_sign_content(form, drop_sign_type=True), form.get("sign", "")):
        raise ForgedSignature("Alipay sign does not verify")
    if form.get("app_id") != app_id:
        raise ForgedSignature(f"notification for another app_id {form.get('app_id')!r}")
    try:
        sent_at = datetime.strptime(form["notify_time"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=ZoneInfo(tz))
        notify_id = form["notify_id"]
    except (KeyError, ValueError) as exc:
        raise MalformedNotification("notify_time or notify_id missing or malformed") from exc
    # Alipay retries re-send the same notify_id with a new notify_time: only an exact copy is a replay.
    check_fresh(sent_at, f"alipay:{notify_id}:{form['notify_time']}", now=now, nonces=nonces, window=window)
    return dict(form)


def apply_notification(order: Order, note: ChannelNotification) -> Transition:
    """The whole check for one verified notification: right order, right amount, then the state machine."""
    if note.out_trade_no != order.out_trade_no:
        raise MalformedNotification(f"notification for {note.out_trade_no}, applied to {order.out_trade_no}")
    if note.event is None:
        return Transition(order, changed=False)
    if note.kind is NotificationKind.PAYMENT:
        check_amount(order.out_trade_no, order.amount_fen, note.amount_fen)
    return apply(order, note.event)
