"""What the engine is asked (a Stay) and what it answers (a Quote with an itemised breakdown)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import NamedTuple
from zoneinfo import ZoneInfo

from parking.plates import PlateColor
from parking.tariffs.document import StayCategory, VehicleClass
from parking.vehicles.enums import ExemptKind


class InvalidStay(ValueError):
    """A stay the engine refuses to price (naive datetimes, exit before entry, negative payment)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"invalid stay: {field}: {reason}")
        self.field = field
        self.reason = reason


class NoTariffInForce(LookupError):
    """No tariff version was effective at the stay's entry."""


@dataclass(frozen=True, slots=True)
class Stay:
    """``vehicle_class`` is a class name of the tariff (built-in or lot-declared; unknown: priced as small);
    ``exempt_kind`` what the vehicle is (police, sanitation...): free if the tariff exempts that kind."""

    entry: datetime
    exit: datetime
    vehicle_class: str = VehicleClass.SMALL
    plate_color: PlateColor = PlateColor.BLUE
    category: StayCategory = StayCategory.TEMPORARY
    paid_fen: int = 0
    # Entry time of the last visit that paid a per-entry charge (for "no second charge within 24 h").
    last_charged_entry: datetime | None = None
    exempt_kind: ExemptKind | None = None


class LineKind(StrEnum):
    EXEMPT = "exempt"
    FREE = "free"
    FIRST_PERIOD = "first_period"
    UNITS = "units"
    FLAT = "flat"
    PER_ENTRY = "per_entry"
    CAP = "cap"
    TARIFF_CHANGE = "tariff_change"
    DISCOUNT = "discount"
    ROUNDING = "rounding"
    PAID = "paid"


class QuoteLine(NamedTuple):
    """One readable item; ``start_s``/``end_s`` are seconds after entry, ``day`` the cap day (0 = first).

    ``repeat`` > 1: the line stands for that many identical lines on consecutive days (a long stay's breakdown
    collapsed, see ``parking.tariffs.collapse``); ``amount_fen`` and ``units`` are then their totals and
    ``start_s``/``end_s`` run from the first one's start to the last one's end.

    A NamedTuple rather than a dataclass: the quote loop builds several per quote and tuples are cheapest.
    """

    kind: LineKind
    label: str
    amount_fen: int
    start_s: int = 0
    end_s: int = 0
    units: int = 0
    unit_minutes: int = 0
    rate_fen: int = 0
    day: int = 0
    repeat: int = 1


@dataclass(frozen=True, slots=True)
class Quote:
    """``due_fen`` is what the driver pays now, the sum of ``lines``; ``fee_fen`` is before payments."""

    tariff_name: str
    tariff_version: int
    entry: datetime
    exit: datetime
    duration_s: int
    vehicle_class: str
    fee_fen: int
    paid_fen: int
    due_fen: int
    lines: tuple[QuoteLine, ...]
    timezone: str = "Asia/Shanghai"

    def line_times(self, line: QuoteLine) -> tuple[datetime, datetime]:
        """The line's start and end as datetimes in the lot's time zone."""
        tz = ZoneInfo(self.timezone)
        base = self.entry.astimezone(tz)
        return (base + timedelta(seconds=line.start_s)).astimezone(tz), (
            base + timedelta(seconds=line.end_s)
        ).astimezone(tz)
