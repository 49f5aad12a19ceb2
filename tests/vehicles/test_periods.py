"""Pass period arithmetic on the lot's calendar."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from parking.vehicles.enums import PassPeriod
from parking.vehicles.periods import extend

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def test_month_from_january_31_ends_on_leap_february_29_in_shanghai() -> None:
    # given midnight of Jan 31 in Shanghai, which is still Jan 30 in UTC
    ends_at = local(2024, 1, 31)
    # when one month is added on the lot's calendar
    result = extend(ends_at, PassPeriod.MONTH, 1, "Asia/Shanghai")
    # then it is midnight of Feb 29 in Shanghai, not Mar 1 as UTC arithmetic would give
    assert result == datetime(2024, 2, 28, 16, 0, tzinfo=UTC)
    assert result.astimezone(SHANGHAI) == local(2024, 2, 29)


def test_two_months_from_january_31_keep_the_31st() -> None:
    assert extend(local(2024, 1, 31), PassPeriod.MONTH, 2, "Asia/Shanghai") == local(2024, 3, 31)


def test_quarter_from_november_30_clamps_to_february_28() -> None:
    assert extend(local(2024, 11, 30, 23, 59), PassPeriod.QUARTER, 1, "Asia/Shanghai") == local(2025, 2, 28, 23, 59)


def test_year_from_leap_day_ends_on_february_28() -> None:
    assert extend(local(2024, 2, 29, 8, 30), PassPeriod.YEAR, 1, "Asia/Shanghai") == local(2025, 2, 28, 8, 30)


def test_result_is_in_utc() -> None:
    assert extend(local(2024, 5, 1), PassPeriod.MONTH, 1, "Asia/Shanghai").tzinfo is UTC


@given(
    start=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2090, 12, 31)),
    months=st.integers(min_value=1, max_value=36),
)
def test_months_move_the_calendar_month_and_never_grow_the_day(start: datetime, months: int) -> None:
    # given any local start time; when extended by whole months
    result = extend(start.replace(tzinfo=SHANGHAI), PassPeriod.MONTH, months, "Asia/Shanghai").astimezone(SHANGHAI)
    # then exactly that many calendar months pass, the wall clock is kept and the day is only clamped
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == months
    assert (result.hour, result.minute, result.second) == (start.hour, start.minute, start.second)
    assert result.day == min(start.day, calendar.monthrange(result.year, result.month)[1])
