"""The dashboard simulator: one row per stay, from 15 min to 72 h."""

from datetime import datetime

from parking.tariffs import simulate, standard_durations
from parking.tariffs.samples import CST, airport
from parking.tariffs.simulate import stays_for


def test_simulator_table_for_the_airport() -> None:
    entry = datetime(2026, 3, 2, 9, tzinfo=CST)

    rows = simulate(airport(), stays_for(entry, standard_durations()))

    assert [(r.minutes, r.fee_fen, r.capped) for r in rows] == [
        (15, 500, False),
        (16, 500, False),
        (30, 500, False),
        (45, 500, False),
        (60, 500, False),
        (90, 650, False),
        (120, 800, False),
        (180, 1100, False),
        (240, 1400, False),
        (360, 2000, False),
        (480, 2600, False),
        (720, 3000, True),
        (1080, 3000, True),
        (1440, 3000, True),
        (1441, 3150, True),
        (2160, 6600, True),
        (2880, 7000, True),
        (4320, 12000, True),
    ]
