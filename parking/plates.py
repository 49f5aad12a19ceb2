"""Chinese licence plates: the one place where plates are normalised and checked (GA 36)."""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
# Letters used on plates: I and O are never issued because they read as 1 and 0.
LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
DIGITS = "0123456789"
SUFFIXES = "学警挂港澳领试超使"

_SERIAL = f"[{LETTERS}{DIGITS}]"
_PATTERNS = (
    # Ordinary 7-character plate, optionally ending with a purpose character (学, 警, 挂, 港, 澳, 领...).
    re.compile(f"^[{PROVINCES}][{LETTERS}]{_SERIAL}{{4}}[{LETTERS}{DIGITS}{SUFFIXES}]$"),
    # New-energy 8-character plate (small: D/F.. third; large: D/F last).
    re.compile(f"^[{PROVINCES}][{LETTERS}]{_SERIAL}{{6}}$"),
    # Embassy plates: 使 followed by six digits.
    re.compile(f"^使[{DIGITS}]{{6}}$"),
)
_SEPARATORS = re.compile(r"[\s·•\-_.]")


class PlateColor(StrEnum):
    BLUE = "blue"
    YELLOW = "yellow"
    GREEN = "green"
    WHITE = "white"
    BLACK = "black"
    YELLOW_GREEN = "yellow_green"


class InvalidPlate(ValueError):
    """A string that is not a plate of any issued kind."""

    def __init__(self, raw: str, reason: str) -> None:
        super().__init__(f"invalid plate {raw!r}: {reason}")
        self.raw = raw
        self.reason = reason


def _fold(raw: str) -> str:
    # NFKC turns full-width letters and digits (common in camera firmware output) into ASCII.
    text = unicodedata.normalize("NFKC", raw)
    return _SEPARATORS.sub("", text).upper()


def normalize_plate(raw: str) -> str:
    """Return the canonical form of ``raw`` or raise InvalidPlate.

    Separators and full-width characters are removed, letters upper-cased, and the letters I and O in the
    serial part (never issued) are read as the digits 1 and 0.
    """
    text = _fold(raw)
    if not text:
        raise InvalidPlate(raw, "empty")
    if len(text) > 8:
        raise InvalidPlate(raw, "too long")
    if len(text) >= 3:
        serial = text[2:].replace("I", "1").replace("O", "0")
        text = text[:2] + serial
    if not any(p.match(text) for p in _PATTERNS):
        raise InvalidPlate(raw, "not a plate")
    return text


def is_valid_plate(raw: str) -> bool:
    try:
        normalize_plate(raw)
    except InvalidPlate:
        return False
    return True


def is_new_energy(plate: str) -> bool:
    return len(plate) == 8 and plate[0] in PROVINCES
