"""Drivers of the mini-program: who they are (a WeChat openid) and the token that says so.

Driver tokens are signed with a key derived from the platform secret for this purpose only, so a driver token
can never pass as an operator token or the other way round.
"""

from __future__ import annotations

from datetime import datetime

from parking.common import signed_tokens

_PURPOSE = b"parkcloud-driver-token"


def issue_driver_token(secret: str, openid: str, now: datetime, ttl_s: int) -> str:
    return signed_tokens.issue(secret, _PURPOSE, "drv", openid, now, ttl_s)


def read_driver_token(secret: str, token: str, now: datetime) -> str | None:
    """The driver's openid for a valid, unexpired token; None for anything else."""
    openid = signed_tokens.read(secret, _PURPOSE, "drv", token, now)
    return openid if isinstance(openid, str) and openid else None
