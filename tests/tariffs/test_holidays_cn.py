"""The 2025 and 2026 holiday calendars hold exactly what the State Council notices say."""

from datetime import date, timedelta

import pytest

from parking.tariffs.compiled import compile_tariff
from parking.tariffs.holidays_cn import NOTICE_2025, NOTICE_2026, NOTICES, HolidayNotice
from parking.tariffs.samples import day_night


@pytest.mark.parametrize("notice", NOTICES, ids=lambda n: str(n.year))
def test_each_break_lasts_the_days_the_notice_states(notice: HolidayNotice) -> None:
    assert [(last - first).days + 1 for first, last, _ in notice.breaks] == [days for _, _, days in notice.breaks]


@pytest.mark.parametrize("notice", NOTICES, ids=lambda n: str(n.year))
def test_make_up_workdays_fall_on_weekends_and_outside_the_breaks(notice: HolidayNotice) -> None:
    assert all(d.weekday() >= 5 and d.year == notice.year for d in notice.workdays)
    assert not set(notice.workdays) & set(notice.holidays())


def test_totals_per_year() -> None:
    # 2025: 1 + 8 + 3 + 5 + 3 + 8; 2026: 3 + 9 + 3 + 5 + 3 + 3 + 7.
    assert (len(NOTICE_2025.holidays()), len(NOTICE_2025.workdays)) == (28, 5)
    assert (len(NOTICE_2026.holidays()), len(NOTICE_2026.workdays)) == (33, 6)


@pytest.mark.parametrize(
    ("day", "holiday"),
    [
        (date(2025, 1, 1), True),  # 元旦 2025 is one day, no make-up day
        (date(2025, 1, 2), False),
        (date(2025, 1, 26), False),  # Sunday worked before the Spring Festival
        (date(2025, 1, 28), True),  # 除夕
        (date(2025, 2, 4), True),
        (date(2025, 2, 8), False),  # Saturday worked
        (date(2025, 4, 27), False),  # Sunday worked before 劳动节
        (date(2025, 5, 31), True),  # 端午 on a Saturday
        (date(2025, 9, 28), False),
        (date(2025, 10, 8), True),  # National Day and Mid-Autumn merged: 8 days
        (date(2025, 10, 11), False),
        (date(2025, 10, 12), True),  # an ordinary Sunday
        (date(2026, 1, 4), False),  # Sunday worked after 元旦 2026
        (date(2026, 2, 15), True),
        (date(2026, 2, 23), True),  # a Monday inside the 9-day Spring Festival
        (date(2026, 2, 24), False),
        (date(2026, 9, 20), False),
        (date(2026, 9, 25), True),  # 中秋 is apart from National Day in 2026
        (date(2026, 10, 10), False),
    ],
)
def test_days_in_the_compiled_calendar(day: date, holiday: bool) -> None:
    ct = compile_tariff(day_night())

    assert ct.is_holiday(day.toordinal()) is holiday


def test_every_day_of_both_years_is_holiday_exactly_as_listed_or_weekend() -> None:
    ct = compile_tariff(day_night())
    listed = {d for n in NOTICES for d in n.holidays()}
    worked = {d for n in NOTICES for d in n.workdays}
    day = date(2025, 1, 1)
    while day.year < 2027:
        expected = day in listed or (day.weekday() >= 5 and day not in worked)
        assert ct.is_holiday(day.toordinal()) is expected, day
        day += timedelta(days=1)
