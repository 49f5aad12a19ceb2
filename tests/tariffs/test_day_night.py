"""City day/night lot: 15 min free, day 2 元/30 min (holiday 1 元), night 1 元/2 h, 50 元/day."""

from datetime import datetime

import pytest

from parking.plates import PlateColor
from parking.tariffs import LineKind, Stay, StayCategory, VehicleClass, quote
from parking.tariffs.samples import CST, day_night

TARIFF = day_night()


def _at(month: int, day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, second, tzinfo=CST)


def _fee(
    entry: datetime,
    exit_: datetime,
    vc: VehicleClass = VehicleClass.SMALL,
    color: PlateColor = PlateColor.BLUE,
) -> int:
    return quote(Stay(entry, exit_, vc, color), TARIFF).fee_fen


@pytest.mark.parametrize(
    ("entry", "exit_", "fee"),
    [
        # Monday 2026-03-02 is a workday.
        (_at(3, 2, 10), _at(3, 2, 10, 15), 0),  # exactly at the free limit
        (_at(3, 2, 10), _at(3, 2, 10, 15, 1), 200),  # one second over: one day unit
        (_at(3, 2, 10), _at(3, 2, 12, 15), 800),  # 10:15-12:15 = 4 units
        (_at(3, 2, 19), _at(3, 2, 21), 500),  # 19:15-20:00 2 day units, 20:00-21:00 1 night unit
        (_at(3, 2, 7, 30), _at(3, 2, 8), 100),  # 07:45-08:00 one night unit, ends on the period edge
        (_at(3, 2, 7, 30), _at(3, 2, 8, 0, 1), 300),  # one second into the day period
        (_at(3, 2, 7), _at(3, 2, 9), 500),  # 07:15-08:00 night, 08:00-09:00 2 day units
        (_at(3, 2, 22), _at(3, 3, 2), 200),  # across midnight: night units from 22:15 and 00:15
        (_at(3, 2, 9), _at(3, 3, 9), 5400),  # Mon 4400+200, Tue 400+400
        (_at(3, 2, 9), _at(3, 5, 9), 15400),  # Mon 4600, Tue 5400->5000, Wed 5000, Thu 800
        (_at(3, 2, 9), _at(3, 6, 9), 20400),  # 96 h
    ],
)
def test_workday_fees(entry: datetime, exit_: datetime, fee: int) -> None:
    assert _fee(entry, exit_) == fee


@pytest.mark.parametrize(
    ("entry", "exit_", "fee"),
    [
        (_at(10, 1, 10), _at(10, 1, 12, 15), 400),  # National Day: holiday day price
        (_at(3, 1, 10), _at(3, 1, 12, 15), 400),  # Sunday
        (_at(9, 20, 10), _at(9, 20, 12, 15), 800),  # Sunday make-up workday (调休)
        (_at(2, 14, 10), _at(2, 14, 12, 15), 800),  # Saturday make-up workday before Spring Festival
        # Wed 30 Sep (workday) 19:15-20:00 400; night 20:00-08:00 600; Thu 1 Oct holiday 08:00-09:00 200.
        (_at(9, 30, 19), _at(10, 1, 9), 1200),
    ],
)
def test_holiday_calendar(entry: datetime, exit_: datetime, fee: int) -> None:
    assert _fee(entry, exit_) == fee


def test_calendar_day_cap_is_itemised_on_the_capped_day() -> None:
    q = quote(Stay(_at(3, 2, 9), _at(3, 4, 9)), TARIFF)

    caps = [(line.day, line.amount_fen) for line in q.lines if line.kind is LineKind.CAP]
    assert caps == [(1, -400)]
    assert q.fee_fen == 4600 + 5000 + 800


def test_large_vehicle_pays_double() -> None:
    assert _fee(_at(3, 2, 10), _at(3, 2, 12, 15), VehicleClass.LARGE) == 1600


@pytest.mark.parametrize(
    ("entry", "exit_", "fee"),
    [
        (_at(3, 2, 10), _at(3, 2, 11, 15), 0),  # 15 + 60 free minutes
        (_at(3, 2, 10), _at(3, 2, 12, 15), 200),  # 11:15-12:15 = 400, half price
        # 10:15-20:00 20 units 4000 + night 200; Tue 400 + 400: 5000, half price. Extra time not repeated.
        (_at(3, 2, 9), _at(3, 3, 9), 2500),
    ],
)
def test_new_energy_extra_free_time_once_and_half_price(entry: datetime, exit_: datetime, fee: int) -> None:
    assert _fee(entry, exit_, VehicleClass.SMALL, PlateColor.GREEN) == fee


def test_motorcycle_is_charged_once_within_24h() -> None:
    first_entry = _at(3, 2, 8)
    again = Stay(_at(3, 2, 13), _at(3, 2, 15), VehicleClass.MOTORCYCLE, last_charged_entry=first_entry)
    next_day = Stay(_at(3, 3, 9), _at(3, 3, 10), VehicleClass.MOTORCYCLE, last_charged_entry=first_entry)

    assert quote(Stay(first_entry, _at(3, 2, 10), VehicleClass.MOTORCYCLE), TARIFF).fee_fen == 100
    assert quote(again, TARIFF).fee_fen == 0
    assert quote(next_day, TARIFF).fee_fen == 100


@pytest.mark.parametrize(
    ("category", "reason"),
    [
        (StayCategory.EMERGENCY, "执行任务的应急救援车辆"),
        (StayCategory.MILITARY, "军车"),
        (StayCategory.MONTHLY, "月租车"),
    ],
)
def test_exempt_categories_pay_nothing_with_the_reason(category: StayCategory, reason: str) -> None:
    q = quote(Stay(_at(3, 2, 9), _at(3, 5, 9), category=category), TARIFF)

    assert q.fee_fen == 0
    assert [(line.kind, line.label, line.amount_fen) for line in q.lines] == [(LineKind.EXEMPT, reason, 0)]


def test_breakdown_reads_as_the_notice() -> None:
    q = quote(Stay(_at(3, 2, 19), _at(3, 2, 21)), TARIFF)

    assert [
        (line.kind, line.label, line.units, line.unit_minutes, line.rate_fen, line.amount_fen) for line in q.lines
    ] == [
        (LineKind.FREE, "免费时长", 0, 0, 0, 0),
        (LineKind.UNITS, "白天", 2, 30, 200, 400),
        (LineKind.UNITS, "夜间", 1, 120, 100, 100),
    ]
    assert [tuple(t.strftime("%H:%M") for t in q.line_times(line)) for line in q.lines] == [
        ("19:00", "19:15"),
        ("19:15", "20:00"),
        ("20:00", "21:00"),
    ]
