"""Merchant order and refund numbers: unique, at most 32 chars of [A-Za-z0-9_] as both channels require."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from datetime import UTC, datetime

OUT_TRADE_NO = re.compile(r"^[A-Za-z0-9_]{6,32}$")
_ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
_RANDOM_CHARS = 14
_PREFIX = re.compile(r"^[A-Za-z]{1,4}$")


def _random_token(n: int) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(n))


def new_out_trade_no(now: datetime, prefix: str = "P", token: Callable[[int], str] = _random_token) -> str:
    """``P`` + UTC yyyymmddHHMMSS + 14 random chars: sortable by time, 34^14 ≈ 2^71 per second."""
    if not _PREFIX.match(prefix):
        raise ValueError(f"prefix must be 1-4 ASCII letters, got {prefix!r}")
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    value = f"{prefix}{now.astimezone(UTC):%Y%m%d%H%M%S}{token(_RANDOM_CHARS)}"
    if not OUT_TRADE_NO.match(value):
        raise ValueError(f"generated number {value!r} is not a valid out_trade_no")
    return value


def new_out_refund_no(now: datetime) -> str:
    """Refund numbers share the format, with prefix ``R``."""
    return new_out_trade_no(now, prefix="R")
