"""Each document option on small hand-made tariffs: partial units, segments, repeats, flat, rounding."""

from datetime import datetime, time, timedelta

import pytest

from parking.tariffs import LineKind, Stay, Tariff, VehicleClass, quote
from parking.tariffs.document import (
    Caps,
    ClassTariff,
    FirstPeriod,
    FreeTime,
    Period,
    Rounding,
    TimedRule,
)
from parking.tariffs.samples import CST, EFFECTIVE

MIDNIGHT = time(0)
MONDAY = datetime(2026, 3, 2, tzinfo=CST)


def _tariff(rule: TimedRule, rounding: Rounding | None = None, **classes: ClassTariff) -> Tariff:
    return Tariff(
        name="t",
        effective_from=EFFECTIVE,
        classes={
            VehicleClass.SMALL: ClassTariff(rule=rule),
            **{VehicleClass(k): v for k, v in classes.items()},
        },
        rounding=rounding or Rounding(),
    )


def _hourly(price: int, **kw: object) -> TimedRule:
    return TimedRule(
        periods=[Period(name="全天", start=MIDNIGHT, end=MIDNIGHT, unit_minutes=60, unit_price_fen=price)],
        **kw,
    )


def _day_night(**kw: object) -> TimedRule:
    return TimedRule(
        periods=[
            Period(name="day", start=time(8), end=time(20), unit_minutes=60, unit_price_fen=300),
            Period(name="night", start=time(20), end=time(8), unit_minutes=60, unit_price_fen=100),
        ],
        **kw,
    )


def _fee(tariff: Tariff, start_h: float, hours: float, vc: VehicleClass = VehicleClass.SMALL) -> int:
    entry = MONDAY + timedelta(hours=start_h)
    return quote(Stay(entry, entry + timedelta(hours=hours), vc), tariff).fee_fen


@pytest.mark.parametrize(("hours", "fee"), [(0.5, 0), (1, 300), (1 + 59 / 60, 300), (2, 600)])
def test_partial_unit_dropped(hours: float, fee: int) -> None:
    assert _fee(_tariff(_hourly(300, partial_unit="drop")), 9, hours) == fee


@pytest.mark.parametrize(("hours", "fee"), [(0.5, 300), (1, 300), (1 + 1 / 3600, 600)])
def test_partial_unit_counted_whole(hours: float, fee: int) -> None:
    assert _fee(_tariff(_hourly(300)), 9, hours) == fee


def test_per_segment_rounding_restarts_units_at_the_period_edge() -> None:
    # 19:30-20:30: day unit 19:30 (rounded up) + night unit from 20:00.
    assert _fee(_tariff(_day_night()), 19.5, 1) == 400


def test_whole_stay_rounding_keeps_one_unit_grid() -> None:
    # 19:30-20:30 is one unit, priced by the period it starts in.
    assert _fee(_tariff(_day_night(unit_rounding="whole_stay")), 19.5, 1) == 300


def test_whole_stay_rounding_with_partial_drop_only_drops_the_last_unit() -> None:
    # 19:30-22:45: units start 19:30 (day), 20:30, 21:30 (night); 22:30 is partial and dropped.
    assert _fee(_tariff(_day_night(unit_rounding="whole_stay", partial_unit="drop")), 19.5, 3.25) == 500


def test_free_time_repeated_each_day_when_not_first_24h_only() -> None:
    repeat = _tariff(_hourly(100, free=FreeTime(minutes=15, first_24h_only=False)))
    once = _tariff(_hourly(100, free=FreeTime(minutes=15)))

    # Day 2 lasts 10 minutes: within the repeated free time.
    assert _fee(repeat, 9, 24 + 1 / 6) == 2400
    assert _fee(once, 9, 24 + 1 / 6) == 2500


def test_free_part_stays_free_each_day() -> None:
    repeat = _tariff(_hourly(100, free=FreeTime(minutes=30, mode="free_part_free", first_24h_only=False)))

    # Day 1: 00:30-24:00 = 24 units (last partial); day 2: 24:30-26:00 = 2 units.
    assert _fee(repeat, 9, 26) == 2600
    assert _fee(repeat, 9, 24.5) == 2400


def test_first_period_repeated_each_day() -> None:
    first = FirstPeriod(minutes=60, price_fen=500, first_24h_only=False)

    assert _fee(_tariff(_hourly(100, first_period=first)), 9, 25) == 500 + 2300 + 500
    assert _fee(_tariff(_hourly(100, first_period=FirstPeriod(minutes=60, price_fen=500))), 9, 25) == 2900


def test_flat_night_price_charged_once_per_night() -> None:
    rule = TimedRule(
        periods=[
            Period(name="day", start=time(8), end=time(20), unit_minutes=60, unit_price_fen=300),
            Period(name="night", start=time(20), end=time(8), flat_fen=500),
        ]
    )
    # 18:00-20:00 2 units, night flat, 08:00-09:00 1 unit.
    assert _fee(_tariff(rule), 18, 15) == 600 + 500 + 300


def test_full_day_charged_as_n_hours_of_the_day_rate() -> None:
    rule = _day_night(caps=Caps(full_day_hours=8, full_day_rate_period="day"))

    # 24 h from 09:00: 11 day + 12 night + 1 day units = 3600 + 1200 = 4800, capped at 8 x 300.
    assert _fee(_tariff(rule), 9, 24) == 2400
    assert _fee(_tariff(rule), 9, 5) == 1500


def test_escalating_calendar_day_caps() -> None:
    rule = _hourly(200, caps=Caps(basis="calendar_day", daily_fen=[1000, 2000, 3000]))

    # Mon 09:00-24:00 15 units -> 1000; Tue -> 2000; Wed 00:00-09:00 9 units 1800.
    assert _fee(_tariff(rule), 9, 48) == 4800


@pytest.mark.parametrize(
    ("unit", "mode", "fee"),
    [
        ("fen", "half_up", 650),
        ("jiao", "up", 650),
        ("yuan", "up", 700),
        ("yuan", "down", 600),
        ("yuan", "half_up", 700),
    ],
)
def test_final_rounding(unit: str, mode: str, fee: int) -> None:
    tariff = _tariff(_hourly(650), Rounding(unit=unit, mode=mode))

    q = quote(Stay(MONDAY, MONDAY + timedelta(hours=1)), tariff)

    assert q.fee_fen == fee
    assert sum(line.amount_fen for line in q.lines) == fee


def test_half_up_rounds_down_below_half() -> None:
    tariff = _tariff(_hourly(640), Rounding(unit="yuan", mode="half_up"))

    q = quote(Stay(MONDAY, MONDAY + timedelta(hours=1)), tariff)

    assert q.fee_fen == 600
    assert [line.amount_fen for line in q.lines if line.kind is LineKind.ROUNDING] == [-40]


def test_class_without_rule_is_priced_as_small() -> None:
    assert _fee(_tariff(_hourly(300)), 9, 2, VehicleClass.MOTORCYCLE) == 600


def test_multiplier_chains_through_classes() -> None:
    tariff = _tariff(
        _hourly(300),
        large=ClassTariff(same_as=VehicleClass.SMALL, multiplier_percent=200),
        motorcycle=ClassTariff(same_as=VehicleClass.LARGE, multiplier_percent=25),
    )

    assert _fee(tariff, 9, 2, VehicleClass.LARGE) == 1200
    assert _fee(tariff, 9, 2, VehicleClass.MOTORCYCLE) == 300
