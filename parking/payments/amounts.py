"""Exact conversions between integer fen and the yuan strings channels speak ("12.34")."""

from __future__ import annotations

import re

from parking.payments.errors import InvalidAmount

_YUAN = re.compile(r"^(0|[1-9]\d*)(?:\.(\d{1,2}))?$")


def check_fen(fen: int) -> int:
    """Return ``fen`` if it is a non-negative int (bool is refused: True is not one fen)."""
    if isinstance(fen, bool) or not isinstance(fen, int) or fen < 0:
        raise InvalidAmount(f"not a non-negative integer amount of fen: {fen!r}")
    return fen


def fen_to_yuan(fen: int) -> str:
    """12345 -> "123.45"."""
    check_fen(fen)
    return f"{fen // 100}.{fen % 100:02d}"


def yuan_to_fen(yuan: str) -> int:
    """ "123.45" -> 12345; refuses floats' noise such as "0.105" or "1e3"."""
    match = _YUAN.match(yuan.strip()) if isinstance(yuan, str) else None
    if match is None:
        raise InvalidAmount(f"not a yuan amount with at most 2 decimals: {yuan!r}")
    whole, cents = match.group(1), (match.group(2) or "").ljust(2, "0")
    return int(whole) * 100 + int(cents)
