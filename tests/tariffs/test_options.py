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


def _combined() -> Tariff:
    # 3 元/h; each calendar day at most 20 元 and each 24 h from entry at most 30 元.
    return _tariff(
        _hourly(
            300,
            caps=Caps(basis="calendar_day", daily_fen=[2000]),
            second_caps=Caps(basis="rolling_24h", daily_fen=[3000]),
        )
    )


@pytest.mark.parametrize(
    ("hours", "fee", "cuts"),
    [
        (6, 1800, []),  # Mon 18:00-24:00: 6 units, under both caps
        (7, 2100, []),  # + Tue 00:00 unit: Mon 18, Tue 3
        (12, 3000, [("第1个24小时封顶", -600)]),  # Mon 18 + Tue 18 = 36: the 24 h cap binds first
        (24, 3000, [("第1个24小时封顶", -4200)]),
        (25, 3300, [("第1个24小时封顶", -4200)]),  # the second 24 h starts Tue 18:00; Tue has 8 left
        # Tue 18:00-24:00 = 18, but Tuesday already took 12 of its 20: the calendar cap binds.
        (30, 3800, [("第2天封顶", -1000), ("第1个24小时封顶", -4200)]),
        # Wed 00:00-18:00 = 54: Wed's 20 binds before the second 24 h's 30 - 8 = 22.
        (48, 5800, [("第2天封顶", -1000), ("第3天封顶", -3400), ("第1个24小时封顶", -4200)]),
    ],
)
def test_calendar_day_and_24h_caps_together(hours: int, fee: int, cuts: list[tuple[str, int]]) -> None:
    entry = MONDAY + timedelta(hours=18)

    q = quote(Stay(entry, entry + timedelta(hours=hours)), _combined())

    assert q.fee_fen == fee
    assert [(line.label, line.amount_fen) for line in q.lines if line.kind is LineKind.CAP] == cuts
    assert sum(line.amount_fen for line in q.lines) == fee


def _escalating(free_repeat: bool, first_repeat: bool) -> Tariff:
    """The airport's small-car rule (10 min free, 5 元 first hour, 1.5 元/30 min, 30/40/50 per 24 h)."""
    return _tariff(
        TimedRule(
            free=FreeTime(minutes=10, first_24h_only=not free_repeat),
            first_period=FirstPeriod(minutes=60, price_fen=500, first_24h_only=not first_repeat),
            periods=[Period(name="全天", start=MIDNIGHT, end=MIDNIGHT, unit_minutes=30, unit_price_fen=150)],
            caps=Caps(daily_fen=[3000, 4000, 5000]),
        )
    )


@pytest.mark.parametrize(
    ("free_repeat", "first_repeat", "minutes", "fee"),
    [
        # First period and free time only in the first 24 h: day 2 goes on in 30-minute units.
        (False, False, 24 * 60 + 5, 3150),
        (False, False, 25 * 60 + 1, 3450),  # 3000 + 3 units
        (False, False, 48 * 60, 7000),
        # First period again each 24 h.
        (False, True, 24 * 60 + 5, 3500),
        (False, True, 25 * 60, 3500),
        (False, True, 25 * 60 + 1, 3650),
        (False, True, 48 * 60, 7000),  # 500 + 46 x 150 = 7400 -> 4000 either way
        # Free time again each 24 h too: 10 minutes into day 2 cost nothing, one more second the first hour.
        (True, True, 24 * 60 + 10, 3000),
        (True, True, 24 * 60 + 11, 3500),
        (True, False, 24 * 60 + 11, 3150),  # free again, but no second first hour: one unit
        (True, True, 72 * 60, 12000),
        (True, True, 96 * 60, 17000),
    ],
)
def test_escalating_caps_with_first_24h_only_options(
    free_repeat: bool, first_repeat: bool, minutes: int, fee: int
) -> None:
    entry = MONDAY + timedelta(hours=21, minutes=40)

    q = quote(Stay(entry, entry + timedelta(minutes=minutes)), _escalating(free_repeat, first_repeat))

    assert q.fee_fen == fee
