"""Drivers of the mini-program: who they are (a WeChat openid) and the token that says so.

Driver tokens are signed with a key derived from the platform secret for this purpose only, so a driver token
can never pass as an operator token or the other way round.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import datetime


def _key(secret: str) -> bytes:
    return hmac.new(secret.encode(), b"parkcloud-driver-token", hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def issue_driver_token(secret: str, openid: str, now: datetime, ttl_s: int) -> str:
    body = _b64(json.dumps({"drv": openid, "exp": int(now.timestamp()) + ttl_s}, separators=(",", ":")).encode())
    return f"{body}.{_b64(hmac.new(_key(secret), body.encode(), hashlib.sha256).digest())}"


def read_driver_token(secret: str, token: str, now: datetime) -> str | None:
    """The driver's openid for a valid, unexpired token; None for anything else."""
    body, _, signature = token.partition(".")
    expected = _b64(hmac.new(_key(secret), body.encode(), hashlib.sha256).digest())
    if not signature or not hmac.compare_digest(signature, expected):
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        openid, expires = str(payload["drv"]), int(payload["exp"])
    except (ValueError, KeyError, TypeError):
        return None
    return openid if openid and expires > now.timestamp() else None
