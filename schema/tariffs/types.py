"""Tariff object types: stored versions, itemised quotes and simulator rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

import strawberry
from strawberry.scalars import JSON

from parking.plates import PlateColor
from parking.tariffs.document import StayCategory
from parking.tariffs.models import TariffVersion
from parking.tariffs.preview import TariffPreview
from parking.tariffs.simulate import SimulationRow
from parking.tariffs.stay import LineKind, Quote, QuoteLine
from parking.tariffs.vehicle import TariffVehicle
from parking.tenancy.enums import VehicleClass
from schema.core import enums as _enums  # noqa: F401  (registers the enums)
from schema.core.money import Fen

FeeLineKindEnum = strawberry.enum(LineKind, name="FeeLineKind")
StayCategoryEnum = strawberry.enum(StayCategory, name="StayCategory")


@strawberry.type(name="TariffVersion", description="An immutable, numbered tariff version of a lot and class.")
class TariffVersionType:
    id: strawberry.ID
    lot_id: strawberry.ID
    area_id: strawberry.ID | None
    vehicle_class: VehicleClass
    name: str
    version: int
    effective_from: datetime
    document: JSON
    created_at: datetime

    @classmethod
    def of(cls, row: TariffVersion) -> TariffVersionType:
        return cls(
            id=strawberry.ID(str(row.id)),
            lot_id=strawberry.ID(str(row.lot_id)),
            area_id=None if row.area_id is None else strawberry.ID(str(row.area_id)),
            vehicle_class=row.vehicle_class,
            name=row.name,
            version=row.version,
            effective_from=row.effective_from,
            document=cast(JSON, row.document),
            created_at=row.created_at,
        )


@strawberry.type(description="One line of a fee breakdown; amounts in fen, times in seconds from entry.")
class FeeLine:
    kind: LineKind
    label: str
    amount_fen: Fen
    start_s: int
    end_s: int
    units: int
    unit_minutes: int
    rate_fen: Fen
    day: int
    repeat: int = strawberry.field(description="How many identical consecutive lines this one stands for.")
    start_at: datetime = strawberry.field(description="When the line starts (startS after entry), lot time zone.")
    end_at: datetime = strawberry.field(description="When the line ends (endS after entry), lot time zone.")

    @classmethod
    def of(cls, q: Quote, line: QuoteLine) -> FeeLine:
        start_at, end_at = q.line_times(line)
        return cls(**line._asdict(), start_at=start_at, end_at=end_at)


@strawberry.type(description="What a stay costs, itemised (fen).")
class FeeQuote:
    tariff_name: str
    tariff_version: int
    entry: datetime
    exit: datetime
    duration_s: int
    vehicle_class: VehicleClass
    tariff_class: str = strawberry.field(description="The tariff's class that priced it (a lot's own class too).")
    amount_fen: Fen
    paid_fen: Fen
    due_fen: Fen
    lines: list[FeeLine]

    @classmethod
    def of(cls, q: Quote) -> FeeQuote:
        return cls(
            tariff_name=q.tariff_name,
            tariff_version=q.tariff_version,
            entry=q.entry,
            exit=q.exit,
            duration_s=q.duration_s,
            vehicle_class=VehicleClass(TariffVehicle(q.vehicle_class, PlateColor.UNKNOWN).builtin_class.value),
            tariff_class=q.vehicle_class,
            amount_fen=Fen(q.fee_fen),
            paid_fen=Fen(q.paid_fen),
            due_fen=Fen(q.due_fen),
            lines=[FeeLine.of(q, line) for line in q.lines],
        )


@strawberry.type(description="A tariff document problem: the field path in the document and why.")
class TariffProblemType:
    path: str
    reason: str


@strawberry.type(description="One row of the dashboard fee simulator (fen).")
class FeeSimulationRow:
    entry: datetime
    exit: datetime
    minutes: int
    vehicle_class: VehicleClass
    tariff_class: str = strawberry.field(description="The tariff's class that priced it (a lot's own class too).")
    fee_fen: Fen
    capped: bool

    @classmethod
    def of(cls, row: SimulationRow) -> FeeSimulationRow:
        fields: dict[str, Any] = {
            "entry": row.entry,
            "exit": row.exit,
            "minutes": row.minutes,
            "vehicle_class": VehicleClass(TariffVehicle(row.vehicle_class, PlateColor.UNKNOWN).builtin_class.value),
            "tariff_class": row.vehicle_class,
            "fee_fen": row.fee_fen,
            "capped": row.capped,
        }
        return cls(**fields)


@strawberry.type(
    name="TariffPreview",
    description="A draft tariff priced before it is saved: its problems, else its fee curve and example quotes.",
)
class TariffPreviewType:
    problems: list[TariffProblemType]
    curve: list[FeeSimulationRow]
    quotes: list[FeeQuote]

    @classmethod
    def of(cls, preview: TariffPreview) -> TariffPreviewType:
        return cls(
            problems=[TariffProblemType(path=p.path, reason=p.reason) for p in preview.problems],
            curve=[FeeSimulationRow.of(r) for r in preview.rows],
            quotes=[FeeQuote.of(q) for q in preview.quotes],
        )
