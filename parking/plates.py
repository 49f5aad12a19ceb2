"""Chinese licence plates: the one place where plates are normalised, classified and checked (GA 36)."""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Final

logger = logging.getLogger(__name__)

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
# Letters used on plates: I and O are never issued because they read as 1 and 0...
LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
# ...except O as the authority code of the "O-segment": ordinary blue plates (粤O·A2160) that each province's
# public security vehicle office issues to public security, court and other official vehicles (the Ministry of
# Public Security's notice of 1995-05-23 that replaced the GA plates). They are on the road: real photos of
# plates-easypr carry them.
O_SEGMENT = "O"
DIGITS = "0123456789"
# Purpose characters that end a 7-character plate (试/超 kept for old callers; no kind accepts them).
SUFFIXES = "学警挂港澳领试超使"
# First serial character of a small new-energy plate / last of a large one: D, F and (since 2022) A-K.
NEW_ENERGY_LETTERS = "ABCDEFGHJK"

# normalize_plate's answer to a camera's "no plate seen": not an error, the lane has a flow for it.
NO_PLATE: Final = "无牌车"


class PlateColor(StrEnum):
    BLUE = "blue"
    YELLOW = "yellow"
    GREEN = "green"
    WHITE = "white"
    BLACK = "black"
    YELLOW_GREEN = "yellow_green"
    UNKNOWN = "unknown"


class PlateKind(StrEnum):
    """What a plate string is, decided from its characters alone (blue and yellow share one grammar)."""

    ORDINARY = "ordinary"  # 京A12345: blue small car, yellow large vehicle (double-row at the rear)
    NEW_ENERGY_SMALL = "new_energy_small"  # 粤BD12345: gradient green
    NEW_ENERGY_LARGE = "new_energy_large"  # 粤B12345D: yellow-green
    POLICE = "police"  # 京A1234警: white, red 警
    COACH = "coach"  # 川A1234学: yellow
    TRAILER = "trailer"  # 鲁B1234挂: yellow, double-row
    EMBASSY = "embassy"  # 使014578: black, red 使
    CONSULATE = "consulate"  # 沪A1234领: black, red 领
    HONG_KONG = "hong_kong"  # 粤Z1234港: black
    MACAO = "macao"  # 粤Z1234澳: black
    NO_PLATE = "no_plate"  # the camera saw a vehicle without a plate


# Legacy black plates of foreign-owned companies still carry the ordinary grammar, hence BLACK for ORDINARY.
KIND_COLORS: Final[dict[PlateKind, frozenset[PlateColor]]] = {
    PlateKind.ORDINARY: frozenset({PlateColor.BLUE, PlateColor.YELLOW, PlateColor.BLACK}),
    PlateKind.NEW_ENERGY_SMALL: frozenset({PlateColor.GREEN}),
    PlateKind.NEW_ENERGY_LARGE: frozenset({PlateColor.YELLOW_GREEN}),
    PlateKind.POLICE: frozenset({PlateColor.WHITE}),
    PlateKind.COACH: frozenset({PlateColor.YELLOW}),
    PlateKind.TRAILER: frozenset({PlateColor.YELLOW}),
    PlateKind.EMBASSY: frozenset({PlateColor.BLACK}),
    PlateKind.CONSULATE: frozenset({PlateColor.BLACK}),
    PlateKind.HONG_KONG: frozenset({PlateColor.BLACK}),
    PlateKind.MACAO: frozenset({PlateColor.BLACK}),
    PlateKind.NO_PLATE: frozenset(PlateColor),
}

_P = f"[{PROVINCES}]"
_L = f"[{LETTERS}]"
_S = f"[{LETTERS}{DIGITS}]"
_E = f"[{NEW_ENERGY_LETTERS}]"
# Order matters only for readability: the patterns are mutually exclusive.
_KIND_PATTERNS: Final = (
    (PlateKind.ORDINARY, f"{_P}[{LETTERS}{O_SEGMENT}]{_S}{{5}}"),
    (PlateKind.NEW_ENERGY_SMALL, f"{_P}{_L}{_E}{_S}[{DIGITS}]{{4}}"),
    (PlateKind.NEW_ENERGY_LARGE, f"{_P}{_L}[{DIGITS}]{{5}}{_E}"),
    (PlateKind.POLICE, f"{_P}{_L}{_S}{{4}}警"),
    (PlateKind.COACH, f"{_P}{_L}{_S}{{4}}学"),
    (PlateKind.TRAILER, f"{_P}{_L}{_S}{{4}}挂"),
    (PlateKind.CONSULATE, f"{_P}{_L}{_S}{{4}}领"),
    (PlateKind.HONG_KONG, f"粤Z{_S}{{4}}港"),
    (PlateKind.MACAO, f"粤Z{_S}{{4}}澳"),
    (PlateKind.EMBASSY, f"使[{DIGITS}]{{6}}"),
)
# One combined regex so the hot path does a single match; the group name tells the kind.
_GRAMMAR = re.compile("|".join(f"(?P<{kind.name}>{pattern})" for kind, pattern in _KIND_PATTERNS))
_SEPARATORS = re.compile(r"[\s·•・\-_.]")
# I and O are never issued in a serial, so a reading with them is the digit misread as a letter.
_SERIAL_FIX = str.maketrans({"I": "1", "O": "0"})
# What cameras send for a vehicle without a plate (Vzenith `_无_`, Hikvision `无车牌`...), folded.
NO_PLATE_SENTINELS: Final = frozenset(
    {"", "无", "无牌", "无牌车", "无车牌", "未识别", "车牌", "NOPLATE", "NONE", "UNKNOWN", "NULL"}
)


class InvalidPlate(ValueError):
    """A string that is not a plate of any issued kind."""

    def __init__(self, raw: str, reason: str) -> None:
        super().__init__(f"invalid plate {raw!r}: {reason}")
        self.raw = raw
        self.reason = reason


@dataclass(frozen=True, slots=True)
class ColorMismatch:
    """A reported plate colour that the plate's kind cannot have (e.g. an 8-character plate reported blue)."""

    plate: str
    kind: PlateKind
    color: PlateColor
    allowed: frozenset[PlateColor]

    def __str__(self) -> str:
        allowed = "/".join(sorted(self.allowed))
        return f"{self.plate} ({self.kind}) is {allowed}, not {self.color}"


def fold_plate(raw: str) -> str:
    """Return ``raw`` cleaned but not validated: full-width folded, separators removed, upper-cased.

    For fuzzy matching of readings that are not valid plates; everything else wants ``normalize_plate``.
    """
    # NFKC turns full-width letters and digits (common in camera firmware output) into ASCII.
    text = unicodedata.normalize("NFKC", raw)
    return _SEPARATORS.sub("", text).upper()


# Longer than any plate with separators a device could add: such text is refused before it is folded or cached.
_MAX_RAW_CHARS: Final = 24


def _classify(raw: str) -> tuple[str, PlateKind]:
    if len(raw) > _MAX_RAW_CHARS:
        raise InvalidPlate(raw[:_MAX_RAW_CHARS], "too long")
    return _classify_short(raw)


@lru_cache(maxsize=8192)
def _classify_short(raw: str) -> tuple[str, PlateKind]:
    # Cached: lanes and matchers see the same few thousand plates over and over.
    text = fold_plate(raw)
    if text in NO_PLATE_SENTINELS:
        return NO_PLATE, PlateKind.NO_PLATE
    if len(text) > 8:
        raise InvalidPlate(raw, "too long")
    if len(text) < 7:
        raise InvalidPlate(raw, "too short")
    text = text[:2] + text[2:].translate(_SERIAL_FIX)
    match = _GRAMMAR.fullmatch(text)
    if match is None or match.lastgroup is None:
        raise InvalidPlate(raw, "not a plate")
    return text, PlateKind[match.lastgroup]


def normalize_plate(raw: str) -> str:
    """Return the canonical form of ``raw`` (``NO_PLATE`` for a no-plate sentinel) or raise InvalidPlate.

    Separators and full-width characters are removed, letters upper-cased, and the letters I and O in the
    serial part (never issued) are read as the digits 1 and 0.
    """
    return _classify(raw)[0]


@dataclass(frozen=True, slots=True)
class PlateReading:
    """What a camera's (or any device's) plate text is to the lane: a plate, no plate, or unreadable text.

    Unreadable text (not a plate under the grammar: too long, control characters, symbols, a sign's text) goes
    the no-plate way: ``plate`` is ``NO_PLATE`` and ``unreadable`` holds the text, printable, for the alarm.
    """

    plate: str
    unreadable: str | None = None


def printable(raw: str, limit: int = 64) -> str:
    """``raw`` cut to ``limit`` characters with anything unprintable (controls, lone surrogates) escaped: safe
    to store and show."""
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in raw[:limit])


def read_plate(raw: str | None) -> PlateReading:
    """The one gate for plate text from outside (every camera vendor, the edge, a person): never raises."""
    if raw is None:
        return PlateReading(NO_PLATE)
    try:
        return PlateReading(_classify(raw)[0])
    except InvalidPlate:
        return PlateReading(NO_PLATE, printable(raw))


def plate_kind(plate: str) -> PlateKind:
    """Return the kind of ``plate`` (normalised first), or raise InvalidPlate."""
    return _classify(plate)[1]


def check_color(plate: str, color: PlateColor) -> ColorMismatch | None:
    """Return the problem when ``color`` cannot be the colour of ``plate``, else None.

    An UNKNOWN colour is never a problem: there is nothing to check. Raises InvalidPlate for a non-plate.
    """
    text, kind = _classify(plate)
    allowed = KIND_COLORS[kind]
    if color is PlateColor.UNKNOWN or color in allowed:
        return None
    return ColorMismatch(text, kind, color, allowed)


def plate_colors(plate: str) -> frozenset[PlateColor]:
    """Return the colours a plate of this string's kind can have."""
    return KIND_COLORS[plate_kind(plate)]


def is_valid_plate(raw: str) -> bool:
    """True when ``raw`` is a real plate (a no-plate sentinel is not)."""
    try:
        kind = plate_kind(raw)
    except InvalidPlate:
        return False
    return kind is not PlateKind.NO_PLATE


def is_new_energy(plate: str) -> bool:
    try:
        kind = plate_kind(plate)
    except InvalidPlate:
        return False
    return kind in (PlateKind.NEW_ENERGY_SMALL, PlateKind.NEW_ENERGY_LARGE)


def separator_index(plate: str) -> int:
    """Where the plate's separator dot goes: after the authority letter (警: province, 使: code)."""
    kind = plate_kind(plate)
    if kind is PlateKind.EMBASSY:
        return 4
    if kind is PlateKind.POLICE:
        return 1
    return 2


def display_plate(plate: str) -> str:
    """Return ``plate`` as printed, with its separator dot (``京A·12345``); ``NO_PLATE`` unchanged."""
    text = normalize_plate(plate)
    if text == NO_PLATE:
        return text
    cut = separator_index(text)
    return f"{text[:cut]}·{text[cut:]}"
