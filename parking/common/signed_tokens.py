"""Short signed tokens: a JSON claim and its expiry, HMAC-signed with a key derived from the platform secret for
one purpose, so that a token made for one purpose (a driver's login, an anonymous stay) never passes as another.

``body.signature``, both URL-safe base64 without padding. A token that is forged, altered, expired or not of the
expected shape reads as None: callers answer all of them alike.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import datetime
from typing import Any


def _key(secret: str, purpose: bytes) -> bytes:
    return hmac.new(secret.encode(), purpose, hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def issue(secret: str, purpose: bytes, claim: str, value: Any, now: datetime, ttl_s: int) -> str:
    """A token carrying ``{claim: value}`` until ``now + ttl_s``."""
    body = _b64(json.dumps({claim: value, "exp": int(now.timestamp()) + ttl_s}, separators=(",", ":")).encode())
    return f"{body}.{_b64(hmac.new(_key(secret, purpose), body.encode(), hashlib.sha256).digest())}"


def read(secret: str, purpose: bytes, claim: str, token: str, now: datetime) -> object | None:
    """The claim of a valid, unexpired token of this purpose; None for anything else."""
    body, _, signature = token.partition(".")
    expected = _b64(hmac.new(_key(secret, purpose), body.encode(), hashlib.sha256).digest())
    if not signature or not hmac.compare_digest(signature, expected):
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        value, expires = payload[claim], int(payload["exp"])
    except (ValueError, KeyError, TypeError):
        return None
    return value if expires > now.timestamp() else None
