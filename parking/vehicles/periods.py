"""Pass period arithmetic: whole calendar months in the lot's time zone, clamped at month ends."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from parking.vehicles.enums import PassPeriod

MONTHS: dict[PassPeriod, int] = {PassPeriod.MONTH: 1, PassPeriod.QUARTER: 3, PassPeriod.YEAR: 12}


def add_months(local: datetime, months: int) -> datetime:
    """The same wall-clock time ``months`` later; a day past the target month's end becomes its last day."""
    index = local.year * 12 + local.month - 1 + months
    year, month = divmod(index, 12)
    day = min(local.day, calendar.monthrange(year, month + 1)[1])
    return local.replace(year=year, month=month + 1, day=day)


def extend(ends_at: datetime, period: PassPeriod, periods: int, timezone: str) -> datetime:
    """``ends_at`` moved by ``periods`` whole periods, counted on the lot's calendar; returned in UTC.

    Months are added in one step (Jan 31 + 2 months is Mar 31, not Mar 28), so a renewal
    of several periods equals the product's calendar and not repeated clamping.
    """
    local = ends_at.astimezone(ZoneInfo(timezone))
    moved = add_months(local.replace(tzinfo=None), MONTHS[period] * periods)
    return moved.replace(tzinfo=ZoneInfo(timezone)).astimezone(UTC)
