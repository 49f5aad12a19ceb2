"""Airport long-stay lot: 10 min free, first hour 5 元, 1.5 元 per 30 min, 30/40/50 元 per 24 h from entry."""

from datetime import datetime, timedelta

import pytest

from parking.plates import PlateColor
from parking.tariffs import LineKind, Stay, VehicleClass, quote
from parking.tariffs.samples import CST, airport

TARIFF = airport()
# Entry late in the evening so stays cross midnight and the rolling days do not align with dates.
ENTRY = datetime(2026, 4, 14, 21, 40, tzinfo=CST)


def _fee(duration: timedelta, vc: VehicleClass = VehicleClass.SMALL, color: PlateColor = PlateColor.BLUE) -> int:
    return quote(Stay(ENTRY, ENTRY + duration, vc, color), TARIFF).fee_fen


@pytest.mark.parametrize(
    ("duration", "fee"),
    [
        (timedelta(minutes=10), 0),
        (timedelta(minutes=10, seconds=1), 500),
        (timedelta(hours=1), 500),
        (timedelta(hours=1, seconds=1), 650),
        (timedelta(minutes=90), 650),
        (timedelta(minutes=91), 800),
        (timedelta(hours=9), 2900),  # 500 + 16 x 150
        (timedelta(hours=9, minutes=1), 3000),  # 500 + 17 x 150 = 3050, day-1 cap 30 元
        (timedelta(hours=24), 3000),
        (timedelta(hours=24, seconds=1), 3150),
        (timedelta(hours=36), 6600),  # 3000 + 24 x 150
        (timedelta(hours=48), 7000),  # 30 + 40
        (timedelta(hours=72), 12000),  # 30 + 40 + 50
        (timedelta(hours=96), 17000),  # day 4 repeats the last cap
    ],
)
def test_small_car_escalating_daily_caps(duration: timedelta, fee: int) -> None:
    assert _fee(duration) == fee


@pytest.mark.parametrize(
    ("duration", "fee"),
    [(timedelta(hours=2), 1600), (timedelta(hours=72), 24000)],
)
def test_large_vehicle_has_its_own_rule(duration: timedelta, fee: int) -> None:
    assert _fee(duration, VehicleClass.LARGE) == fee


@pytest.mark.parametrize(
    ("duration", "fee"),
    [(timedelta(hours=2), 400), (timedelta(hours=72), 6000)],
)
def test_motorcycle_pays_half_of_small(duration: timedelta, fee: int) -> None:
    assert _fee(duration, VehicleClass.MOTORCYCLE) == fee


@pytest.mark.parametrize(
    ("duration", "fee"),
    [(timedelta(minutes=10), 0), (timedelta(hours=2), 640), (timedelta(hours=72), 9600)],
)
def test_new_energy_gets_twenty_percent_off(duration: timedelta, fee: int) -> None:
    assert _fee(duration, VehicleClass.NEW_ENERGY) == fee


def test_caps_are_itemised_per_day() -> None:
    q = quote(Stay(ENTRY, ENTRY + timedelta(hours=72)), TARIFF)

    caps = [(line.day, line.amount_fen) for line in q.lines if line.kind is LineKind.CAP]
    # Day 1: 500 + 46 x 150 = 7400 -> 3000; days 2 and 3: 48 x 150 = 7200 -> 4000 and 5000.
    assert caps == [(0, -4400), (1, -3200), (2, -2200)]
