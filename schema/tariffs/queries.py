"""Tariff queries: a lot's versions, a fee quote for a stay, and the dashboard fee simulator."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import strawberry
from strawberry.scalars import JSON

from parking.accounts.permissions import Perm
from parking.common.errors import DomainError, ErrorCode
from parking.plates import PlateColor
from parking.tariffs import service
from parking.tariffs.document import StayCategory
from parking.tariffs.document import VehicleClass as TariffClass
from parking.tariffs.preview import preview_tariff
from parking.tariffs.simulate import standard_durations
from parking.tariffs.stay import Stay
from parking.tariffs.vehicle import TariffVehicle
from parking.tenancy.enums import VehicleClass
from parking.vehicles.enums import ExemptKind
from schema.core.context import Info
from schema.core.permissions import describe, requires
from schema.tariffs.types import FeeQuote, FeeSimulationRow, TariffPreviewType, TariffVersionType

MAX_DURATIONS = 100
MAX_EXAMPLES = 10


def _spans(minutes: list[int], most: int, field: str) -> list[timedelta]:
    """Stay lengths in minutes: positive, at most ``most`` of them, none over the longest quoted stay."""
    spans = [timedelta(minutes=m) for m in minutes if m > 0]
    if len(minutes) > most or len(spans) < len(minutes) or any(s > service.MAX_QUOTED_STAY for s in spans):
        raise DomainError(ErrorCode.INVALID, f"at most {most} positive durations of up to 20 years", field)
    return spans


def _aware(value: datetime, field: str) -> datetime:
    if value.tzinfo is None:
        raise DomainError(ErrorCode.INVALID, f"{field} needs a time zone offset", field)
    return value


@strawberry.type
class TariffsQuery:
    @strawberry.field(
        extensions=requires(Perm.TARIFFS_VIEW),
        description=describe(
            "The tariff versions of a lot (lot-wide, or of the area given), oldest first.", Perm.TARIFFS_VIEW
        ),
    )
    async def tariff_versions(
        self,
        info: Info,
        lot_id: strawberry.ID,
        vehicle_class: VehicleClass | None = None,
        area_id: strawberry.ID | None = None,
    ) -> list[TariffVersionType]:
        rows = await service.list_versions(info.context.session, lot_id, vehicle_class, area_id)
        return [TariffVersionType.of(r) for r in rows]

    @strawberry.field(
        extensions=requires(Perm.TARIFFS_VIEW),
        description=describe(
            "What a stay costs, itemised: the area's tariff (or its parent's) if one is in force at entry, else"
            " the lot's; a later version that splits stays in progress prices the rest of the stay. The vehicle's"
            " class and exemption are inferred from the plate and the lot's record of it exactly as the exit lane"
            " infers them; vehicleClass, tariffClass or exemptKind override that (a what-if). A long stay's"
            " identical days are merged into lines with a repeat count.",
            Perm.TARIFFS_VIEW,
        ),
    )
    async def quote_fee(
        self,
        info: Info,
        lot_id: strawberry.ID,
        entry_at: datetime,
        exit_at: datetime,
        vehicle_class: VehicleClass | None = None,
        plate: str | None = None,
        plate_color: PlateColor = PlateColor.BLUE,
        category: StayCategory = StayCategory.TEMPORARY,
        area_id: strawberry.ID | None = None,
        tariff_class: str | None = None,
        exempt_kind: ExemptKind | None = None,
    ) -> FeeQuote:
        entry, exit_ = _aware(entry_at, "entryAt"), _aware(exit_at, "exitAt")
        session = info.context.session
        vehicle = await service.vehicle_of(
            session, lot_id, plate, plate_color, vehicle_class, tariff_class, exempt_kind
        )
        stay = Stay(entry, exit_, vehicle.vehicle_class, vehicle.plate_color, category, exempt_kind=vehicle.exempt_kind)
        row_class = VehicleClass(vehicle.builtin_class.value)
        return FeeQuote.of(await service.quote_fee(session, lot_id, row_class, stay, area_id))

    @strawberry.field(
        extensions=requires(Perm.TARIFFS_VIEW),
        description=describe(
            "Fees for stays of the given minutes (default: the standard list) entering at entryAt (default now),"
            " under the area's tariff if areaId is given and one is in force, else the lot's. The vehicle is"
            " inferred as in quoteFee (plate and the lot's record; vehicleClass, tariffClass, exemptKind override).",
            Perm.TARIFFS_VIEW,
        ),
    )
    async def simulate_fees(
        self,
        info: Info,
        lot_id: strawberry.ID,
        vehicle_class: VehicleClass | None = None,
        durations: list[int] | None = None,
        entry_at: datetime | None = None,
        area_id: strawberry.ID | None = None,
        plate: str | None = None,
        plate_color: PlateColor = PlateColor.BLUE,
        tariff_class: str | None = None,
        exempt_kind: ExemptKind | None = None,
    ) -> list[FeeSimulationRow]:
        if durations is None:
            spans = standard_durations()
        elif len(durations) > MAX_DURATIONS or any(m <= 0 for m in durations):
            raise DomainError(ErrorCode.INVALID, f"1 to {MAX_DURATIONS} positive durations", "durations")
        else:
            spans = [timedelta(minutes=m) for m in durations]
        entry = datetime.now(UTC) if entry_at is None else _aware(entry_at, "entryAt")
        session = info.context.session
        vehicle = await service.vehicle_of(
            session, lot_id, plate, plate_color, vehicle_class, tariff_class, exempt_kind
        )
        rows = await service.simulate_fees(session, lot_id, vehicle, entry, spans, area_id)
        return [FeeSimulationRow.of(r) for r in rows]

    @strawberry.field(
        extensions=requires(Perm.TARIFFS_VIEW),
        description=describe(
            "A draft tariff document priced before it is saved (the editor's live view): every problem the save"
            " would refuse it for, else the fee of a stay of each curveMinutes (at most 100) and an itemised quote"
            " of each exampleMinutes (at most 10), all entering at entryAt (default now). The vehicle is named"
            " outright: tariffClass (a built-in class or one the document declares), plate colour, exemption.",
            Perm.TARIFFS_VIEW,
        ),
    )
    async def tariff_preview(
        self,
        info: Info,
        document: JSON,
        curve_minutes: list[int],
        example_minutes: list[int] | None = None,
        entry_at: datetime | None = None,
        tariff_class: str = TariffClass.SMALL.value,
        plate_color: PlateColor = PlateColor.BLUE,
        exempt_kind: ExemptKind | None = None,
        category: StayCategory = StayCategory.TEMPORARY,
    ) -> TariffPreviewType:
        if not isinstance(document, dict):
            raise DomainError(ErrorCode.INVALID, "the document must be a JSON object", "document")
        curve = _spans(curve_minutes, MAX_DURATIONS, "curveMinutes")
        examples = _spans(example_minutes or [], MAX_EXAMPLES, "exampleMinutes")
        entry = datetime.now(UTC) if entry_at is None else _aware(entry_at, "entryAt")
        vehicle = TariffVehicle(tariff_class, plate_color, exempt_kind)
        return TariffPreviewType.of(preview_tariff(document, vehicle, entry, curve, examples, category))
