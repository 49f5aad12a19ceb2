"""Fee simulator for the dashboard: a table of fees for a list of stays under one tariff."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from parking.plates import PlateColor
from parking.tariffs.compiled import CompiledTariff, compile_tariff
from parking.tariffs.document import Tariff, VehicleClass
from parking.tariffs.engine import quote
from parking.tariffs.stay import LineKind, Stay

# 15 min .. 72 h: the durations a lot manager asks about when comparing tariffs.
_STANDARD_MINUTES = (15, 16, 30, 45, 60, 90, 120, 180, 240, 360, 480, 720, 1080, 1440, 1441, 2160, 2880, 4320)


@dataclass(frozen=True, slots=True)
class SimulationRow:
    entry: datetime
    exit: datetime
    minutes: int
    vehicle_class: str
    fee_fen: int
    capped: bool


def standard_durations() -> list[timedelta]:
    return [timedelta(minutes=m) for m in _STANDARD_MINUTES]


def stays_for(
    entry: datetime,
    durations: Sequence[timedelta],
    vehicle_class: str = VehicleClass.SMALL,
    plate_color: PlateColor = PlateColor.BLUE,
) -> list[Stay]:
    """One stay per duration, all entering at ``entry``."""
    return [Stay(entry, entry + dur, vehicle_class, plate_color) for dur in durations]


def simulate(tariff: Tariff | CompiledTariff, stays: Iterable[Stay]) -> list[SimulationRow]:
    """Fee of each stay (already-paid amounts ignored), in input order."""
    ct = tariff if isinstance(tariff, CompiledTariff) else compile_tariff(tariff)
    rows = []
    for stay in stays:
        q = quote(stay, ct)
        rows.append(
            SimulationRow(
                entry=stay.entry,
                exit=stay.exit,
                minutes=q.duration_s // 60,
                vehicle_class=stay.vehicle_class,
                fee_fen=q.fee_fen,
                capped=any(line.kind is LineKind.CAP for line in q.lines),
            )
        )
    return rows
