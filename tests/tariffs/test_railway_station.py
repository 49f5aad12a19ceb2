"""Railway station lot: 15 min free (then charged from entry), first 2 h 5 元, 2 元/h, full 24 h = 12 h."""

from datetime import datetime, timedelta

import pytest

from parking.plates import PlateColor
from parking.tariffs import LineKind, Stay, VehicleClass, quote
from parking.tariffs.samples import CST, railway_station

TARIFF = railway_station()
MONDAY_9 = datetime(2026, 3, 2, 9, 0, tzinfo=CST)


def _fee(duration: timedelta, vc: VehicleClass = VehicleClass.SMALL, color: PlateColor = PlateColor.BLUE) -> int:
    return quote(Stay(MONDAY_9, MONDAY_9 + duration, vc, color), TARIFF).fee_fen


@pytest.mark.parametrize(
    ("duration", "fee"),
    [
        (timedelta(0), 0),
        (timedelta(minutes=15), 0),  # exactly at the free limit
        (timedelta(minutes=15, seconds=1), 500),  # one second over: first period from entry
        (timedelta(hours=2), 500),
        (timedelta(hours=2, seconds=1), 700),
        (timedelta(hours=3), 700),
        (timedelta(hours=3, minutes=1), 900),
        (timedelta(hours=10), 2100),  # 500 + 8 x 200
        (timedelta(hours=11), 2300),
        (timedelta(hours=12), 2400),  # 500 + 10 x 200 = 2500, capped at 12 h x 2 元
        (timedelta(hours=24), 2400),
        (timedelta(hours=24, seconds=1), 2600),  # the second 24 h starts with a fresh unit
        (timedelta(hours=30), 3600),  # 2400 + 6 x 200
        (timedelta(hours=72), 7200),
        (timedelta(hours=96), 9600),
    ],
)
def test_small_car_fees(duration: timedelta, fee: int) -> None:
    assert _fee(duration) == fee


@pytest.mark.parametrize(
    ("duration", "fee"),
    [(timedelta(minutes=15), 0), (timedelta(hours=2, minutes=5), 1400), (timedelta(hours=24), 4800)],
)
def test_large_vehicle_pays_double(duration: timedelta, fee: int) -> None:
    assert _fee(duration, VehicleClass.LARGE) == fee


@pytest.mark.parametrize(
    ("duration", "fee"),
    [
        (timedelta(minutes=15), 0),
        (timedelta(hours=1), 200),
        (timedelta(hours=24), 200),
        (timedelta(hours=24, seconds=1), 400),
        (timedelta(hours=72), 600),
    ],
)
def test_motorcycle_pays_per_started_24h(duration: timedelta, fee: int) -> None:
    assert _fee(duration, VehicleClass.MOTORCYCLE) == fee


@pytest.mark.parametrize(
    ("duration", "fee"),
    [
        (timedelta(minutes=75), 0),  # 15 + 60 extra free minutes
        (timedelta(minutes=75, seconds=1), 250),  # first period 500, half price
        (timedelta(hours=3), 350),
        (timedelta(hours=24), 1200),
        (timedelta(hours=48), 2400),
    ],
)
def test_new_energy_class_gets_extra_free_time_and_half_price(duration: timedelta, fee: int) -> None:
    assert _fee(duration, VehicleClass.NEW_ENERGY) == fee


def test_green_plate_small_car_gets_the_new_energy_overlay() -> None:
    assert _fee(timedelta(hours=3), VehicleClass.SMALL, PlateColor.GREEN) == 350


def test_large_new_energy_truck_pays_double_then_half() -> None:
    assert _fee(timedelta(hours=3), VehicleClass.LARGE, PlateColor.YELLOW_GREEN) == 700


def test_full_day_line_says_what_the_cap_took_off() -> None:
    given = Stay(MONDAY_9, MONDAY_9 + timedelta(hours=24))

    q = quote(given, TARIFF)

    caps = [(line.label, line.amount_fen, line.rate_fen) for line in q.lines if line.kind is LineKind.CAP]
    assert caps == [("第1天封顶", -2500, 2400)]
    assert sum(line.amount_fen for line in q.lines) == 2400
