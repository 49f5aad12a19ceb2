"""What the lane display shows and the voice says, and the lane alarms' texts: typed keys into the lanes catalogue.

The words live in ``texts.zh_CN.toml`` (and ``texts.en.toml`` for the alarms that had an English text); this
module only picks the key and formats the numbers.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum, auto
from typing import Final

from parking.common.catalogue import Catalogue
from parking.plates import NO_PLATE, display_plate


class LaneText(StrEnum):
    WELCOME = auto()
    GOODBYE = auto()
    TEMPORARY = auto()
    VISITOR = auto()
    NO_ENTRY = auto()
    NOT_ALLOWED_HERE = auto()
    CLOSED_NOW = auto()
    LOT_FULL = auto()
    NO_PLATE_LINE = auto()
    SCAN_TO_ENTER = auto()
    SCAN_TO_PAY = auto()
    NO_ENTRY_RECORD = auto()
    WAIT_FOR_OPERATOR = auto()
    HAS_ARREARS = auto()
    OFFLINE_PAY_LATER = auto()
    FRICTIONLESS_PAYING = auto()
    REVERSED_AWAY = auto()
    FEE_DUE = auto()
    FEE_AMOUNT = auto()
    STAY_HOURS = auto()
    STAY_MINUTES = auto()
    STAY_DAYS = auto()
    STAY = auto()
    PASS_NO_END = auto()
    PASS_DAYS_LEFT = auto()
    PASS_EXPIRED = auto()
    FREE_SPACES = auto()
    # Alarms the lane decision raises (shown on the dashboard's alarm queue).
    ALARM_LOW_CONFIDENCE_ENTRY = auto()
    ALARM_LOW_CONFIDENCE_EXIT = auto()
    ALARM_BLACKLIST_ENTRY = auto()
    ALARM_BLACKLIST_ENTRY_BECAUSE = auto()
    ALARM_BLACKLIST_INNER = auto()
    ALARM_LOT_FULL = auto()
    ALARM_ARREARS = auto()
    ALARM_EXIT_WITHOUT_ENTRY = auto()
    ALARM_UNREADABLE_PLATE = auto()
    ALARM_MANUAL_OPEN = auto()


CATALOGUE: Final = Catalogue.load(LaneText, __name__.rpartition(".")[0])


def text(key: LaneText, /, **params: object) -> str:
    """``key`` in zh-CN, the lanes' one display language."""
    return CATALOGUE.text(key, **params)


WELCOME: Final = text(LaneText.WELCOME)
GOODBYE: Final = text(LaneText.GOODBYE)
TEMPORARY: Final = text(LaneText.TEMPORARY)
VISITOR: Final = text(LaneText.VISITOR)
NO_ENTRY: Final = text(LaneText.NO_ENTRY)
NOT_ALLOWED_HERE: Final = text(LaneText.NOT_ALLOWED_HERE)
CLOSED_NOW: Final = text(LaneText.CLOSED_NOW)
LOT_FULL: Final = text(LaneText.LOT_FULL)
NO_PLATE_LINE: Final = text(LaneText.NO_PLATE_LINE)
SCAN_TO_ENTER: Final = text(LaneText.SCAN_TO_ENTER)
SCAN_TO_PAY: Final = text(LaneText.SCAN_TO_PAY)
NO_ENTRY_RECORD: Final = text(LaneText.NO_ENTRY_RECORD)
WAIT_FOR_OPERATOR: Final = text(LaneText.WAIT_FOR_OPERATOR)
HAS_ARREARS: Final = text(LaneText.HAS_ARREARS)
OFFLINE_PAY_LATER: Final = text(LaneText.OFFLINE_PAY_LATER)
FRICTIONLESS_PAYING: Final = text(LaneText.FRICTIONLESS_PAYING)
REVERSED_AWAY: Final = text(LaneText.REVERSED_AWAY)


def plate_line(plate: str) -> str:
    if plate == NO_PLATE:
        return NO_PLATE_LINE
    try:
        return display_plate(plate)
    except ValueError:
        return plate


def spoken_plate(plate: str) -> str:
    return NO_PLATE_LINE if plate == NO_PLATE else plate


def yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def fee_line(fen: int) -> str:
    return text(LaneText.FEE_DUE, amount=yuan(fen)) if fen > 0 else ""


def amount_line(fen: int) -> str:
    """The amount alone, for a fee being deducted: the driver is not asked to pay it."""
    return text(LaneText.FEE_AMOUNT, amount=yuan(fen)) if fen > 0 else ""


def spoken_fee(fen: int) -> str:
    return text(LaneText.FEE_DUE, amount=yuan(fen).rstrip("0").rstrip("."))


def duration_line(stay: timedelta) -> str:
    minutes = max(0, int(stay.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    span = text(LaneText.STAY_HOURS, hours=hours, minutes=mins) if hours else text(LaneText.STAY_MINUTES, minutes=mins)
    return text(LaneText.STAY_DAYS, days=days, rest=span) if days else text(LaneText.STAY, rest=span)


def pass_days(ends_at: datetime | None, now: datetime) -> str:
    if ends_at is None:
        return text(LaneText.PASS_NO_END)
    days = (ends_at - now).days
    return text(LaneText.PASS_DAYS_LEFT, days=days) if days >= 0 else text(LaneText.PASS_EXPIRED)


def free_spaces(count: int) -> str:
    return text(LaneText.FREE_SPACES, count=max(0, count))
