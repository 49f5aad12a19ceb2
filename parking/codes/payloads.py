"""A code's QR payload: ``<id>.<nonce>.<exp>.<signature>``, short enough for a small QR code.

The row id and the expiry (epoch seconds) are base 36, the nonce is the row's, and the signature is 128 bits of
an HMAC-SHA256 over ``id|nonce|exp`` with a key derived from the platform secret for this purpose only (a stay
or driver token never passes as a code, nor the reverse). The signature makes a payload unguessable and
unalterable; the nonce makes rotating the row's nonce kill every printed copy; the row says the rest.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

_PURPOSE = b"parkcloud-parking-code"
_SIGNATURE_BYTES = 16
# Anything longer is not one of ours; refused before any work.
MAX_PAYLOAD = 120
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def new_nonce() -> str:
    """A row's nonce: 72 random bits, URL-safe, 12 characters."""
    return secrets.token_urlsafe(9)


def _base36(value: int) -> str:
    out = ""
    while True:
        value, digit = divmod(value, 36)
        out = _DIGITS[digit] + out
        if value == 0:
            return out


def _signature(secret: str, message: str) -> str:
    key = hmac.new(secret.encode(), _PURPOSE, hashlib.sha256).digest()
    digest = hmac.new(key, message.encode(), hashlib.sha256).digest()[:_SIGNATURE_BYTES]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


@dataclass(frozen=True, slots=True)
class Payload:
    code_id: int
    nonce: str
    expires: int  # epoch seconds


def sign(secret: str, code_id: int, nonce: str, expires_at: datetime) -> str:
    """The payload of a code row (its id, nonce and expiry)."""
    body = f"{_base36(code_id)}.{nonce}.{_base36(int(expires_at.timestamp()))}"
    return f"{body}.{_signature(secret, body)}"


def verify(secret: str, payload: str) -> Payload | None:
    """The signed contents of a payload; None for anything forged, altered or malformed (expiry not checked)."""
    if not isinstance(payload, str) or len(payload) > MAX_PAYLOAD or not payload.isascii():
        return None
    body, _, signature = payload.rpartition(".")
    if not body or not hmac.compare_digest(signature, _signature(secret, body)):
        return None
    parts = body.split(".")
    if len(parts) != 3:
        return None
    raw_id, nonce, raw_exp = parts
    try:
        code_id, expires = int(raw_id, 36), int(raw_exp, 36)
    except ValueError:
        return None
    if code_id <= 0 or not nonce:
        return None
    return Payload(code_id=code_id, nonce=nonce, expires=expires)
