"""Tariff use-cases: store immutable, numbered tariff versions and price stays with the versions of a lot."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.common import crud
from parking.common.actor import Actor
from parking.common.errors import DomainError, ErrorCode
from parking.plates import InvalidPlate, PlateColor, normalize_plate
from parking.tariffs.document import Tariff
from parking.tariffs.engine import pick_versions, quote_versions, version_at
from parking.tariffs.inputs import TariffVersionCreate
from parking.tariffs.models import TariffVersion
from parking.tariffs.simulate import SimulationRow, simulate
from parking.tariffs.stay import InvalidStay, NoTariffInForce, Quote, Stay
from parking.tariffs.validation import TariffProblem, validate_tariff
from parking.tariffs.vehicle import NO_REGISTRATION, Registration, TariffVehicle, tariff_vehicle
from parking.tenancy.enums import VehicleClass
from parking.tenancy.models import Area, Lot
from parking.vehicles.enums import CLASS_NAME, ExemptKind
from parking.vehicles.models import Vehicle

logger = logging.getLogger(__name__)

# The longest stay the API quotes or simulates: pricing is linear in the days of the stay, so an exit in the year
# 9999 would hold a worker for minutes. The lane bills any stay (its breakdown is collapsed either way).
MAX_QUOTED_STAY = timedelta(days=7305)  # 20 years


class InvalidTariffDocument(DomainError):
    """Every problem of a refused document; ``field`` is the first problem's path."""

    def __init__(self, problems: Sequence[TariffProblem]) -> None:
        text = "; ".join(f"{p.path}: {p.reason}" for p in problems)
        super().__init__(ErrorCode.INVALID, f"invalid tariff: {text}", problems[0].path)
        self.problems = list(problems)


def _tariff_of(row: TariffVersion) -> Tariff:
    # Stored documents were validated on the way in; the row's number is the version that counts.
    return Tariff.model_validate({**row.document, "version": row.version})


async def _area_of(session: AsyncSession, lot: Lot, area_id: str | int) -> Area:
    area = await crud.get(session, Area, area_id, "areaId")
    if area.lot_id != lot.id:
        raise DomainError(ErrorCode.INVALID, "area belongs to another lot", "areaId")
    return area


async def create_version(session: AsyncSession, actor: Actor, data: TariffVersionCreate) -> TariffVersion:
    """A new version numbered after the last one of (lot, area, class); versions are never changed."""
    problems = validate_tariff(data.document)
    if problems:
        raise InvalidTariffDocument(problems)
    tariff = Tariff.model_validate(data.document)
    lot = await crud.get(session, Lot, data.lot_id, "lotId")
    area_id = None if data.area_id is None else (await _area_of(session, lot, data.area_id)).id
    area_match = TariffVersion.area_id.is_(None) if area_id is None else TariffVersion.area_id == area_id
    last = await session.scalar(
        select(func.max(TariffVersion.version)).where(
            TariffVersion.lot_id == lot.id, area_match, TariffVersion.vehicle_class == data.vehicle_class
        )
    )
    version = (last or 0) + 1
    row = TariffVersion(
        agent_id=lot.agent_id,
        customer_id=lot.customer_id,
        lot_id=lot.id,
        area_id=area_id,
        vehicle_class=data.vehicle_class,
        name=tariff.name,
        version=version,
        effective_from=tariff.effective_from.astimezone(UTC),
        document=tariff.model_copy(update={"version": version}).model_dump(mode="json"),
        created_by_id=actor.operator_id,
    )
    logger.info("tariff %s v%s for lot %s class %s", tariff.name, version, lot.id, data.vehicle_class)
    return await crud.create(session, actor, row)


async def list_versions(
    session: AsyncSession,
    lot_id: str | int,
    vehicle_class: VehicleClass | None = None,
    area_id: str | int | None = None,
) -> list[TariffVersion]:
    """The versions of a lot (or of one of its areas), oldest first; NotFound outside scope."""
    lot = await crud.get(session, Lot, lot_id, "lotId")
    stmt = select(TariffVersion).where(TariffVersion.lot_id == lot.id)
    if area_id is None:
        stmt = stmt.where(TariffVersion.area_id.is_(None))
    else:
        stmt = stmt.where(TariffVersion.area_id == (await _area_of(session, lot, area_id)).id)
    if vehicle_class is not None:
        stmt = stmt.where(TariffVersion.vehicle_class == vehicle_class)
    rows = await session.scalars(stmt.order_by(TariffVersion.vehicle_class, TariffVersion.version))
    return list(rows)


async def _area_chain(session: AsyncSession, lot: Lot, area_id: str | int) -> list[int]:
    """The area and its parents up to the lot's top level (inner lots nest), most specific first."""
    area = await _area_of(session, lot, area_id)
    # One query for the lot's whole area tree instead of one per level.
    parents: dict[int, int | None] = {
        row.id: row.parent_id
        for row in await session.execute(select(Area.id, Area.parent_id).where(Area.lot_id == lot.id))
    }
    chain = [area.id]
    parent = parents.get(area.id)
    while parent is not None and parent not in chain:
        chain.append(parent)
        parent = parents.get(parent)
    return chain


async def _tariffs(
    session: AsyncSession, lot_id: str | int, vehicle_class: VehicleClass, area_id: str | int | None, at: datetime
) -> Sequence[Tariff]:
    """The version list that prices a stay entering at ``at``: the area's (or a parent's) if one is in force
    then, else the lot's. A place without versions for the class uses small cars' versions, as the lane
    billing does (the document's ``classes`` still prices the class)."""
    lot = await crud.get(session, Lot, lot_id, "lotId")
    chain = [] if area_id is None else await _area_chain(session, lot, area_id)
    area_match: ColumnElement[bool] = TariffVersion.area_id.is_(None)
    if chain:
        area_match = or_(area_match, TariffVersion.area_id.in_(chain))
    rows = list(
        await session.scalars(
            select(TariffVersion)
            .where(
                TariffVersion.lot_id == lot.id,
                TariffVersion.vehicle_class.in_({vehicle_class, VehicleClass.SMALL}),
                area_match,
            )
            .order_by(TariffVersion.version)
        )
    )
    if not rows:
        raise DomainError(ErrorCode.NOT_FOUND, f"no tariff for vehicle class {vehicle_class}", "vehicleClass")
    found: dict[tuple[int | None, VehicleClass], list[Tariff]] = defaultdict(list)
    for row in rows:
        found[(row.area_id, row.vehicle_class)].append(_tariff_of(row))
    places: list[int | None] = [*chain, None]
    return pick_versions(
        [found.get((a, vehicle_class)) or found.get((a, VehicleClass.SMALL)) or [] for a in places], at
    )


async def vehicle_of(
    session: AsyncSession,
    lot_id: str | int,
    plate: str | None,
    color: PlateColor,
    vehicle_class: VehicleClass | None = None,
    tariff_class: str | None = None,
    exempt_kind: ExemptKind | None = None,
) -> TariffVehicle:
    """How the lot's tariff sees a vehicle, inferred as the lane infers it: from the plate and the lot's record
    of it (``parking.tariffs.vehicle``). A class or exemption kind given overrides the record (a what-if)."""
    if tariff_class is not None and not CLASS_NAME.fullmatch(tariff_class):
        raise DomainError(ErrorCode.INVALID, "a class name is lowercase letters, digits and _", "tariffClass")
    registration = NO_REGISTRATION
    if plate is not None:
        try:
            plate = normalize_plate(plate)
        except InvalidPlate as err:
            raise DomainError(ErrorCode.INVALID, f"invalid plate: {err.reason}", "plate") from err
        lot = await crud.get(session, Lot, lot_id, "lotId")
        record = await session.scalar(select(Vehicle).where(Vehicle.lot_id == lot.id, Vehicle.plate == plate))
        if record is not None:
            registration = Registration(
                record.vehicle_class.value, record.tariff_class, record.exempt_kind, record.plate_color
            )
    if vehicle_class is not None or tariff_class is not None:
        given = None if vehicle_class is None else vehicle_class.value
        registration = replace(registration, vehicle_class=given, tariff_class=tariff_class)
    if exempt_kind is not None:
        registration = replace(registration, exempt_kind=exempt_kind)
    return tariff_vehicle(plate, color, registration)


async def quote_fee(
    session: AsyncSession,
    lot_id: str | int,
    vehicle_class: VehicleClass,
    stay: Stay,
    area_id: str | int | None = None,
) -> Quote:
    """The fee of ``stay`` under the versions in force at entry (the area's first, else the lot's)."""
    if stay.exit - stay.entry > MAX_QUOTED_STAY:
        raise DomainError(ErrorCode.INVALID, "a stay of more than 20 years is not quoted", "exitAt")
    tariffs = await _tariffs(session, lot_id, vehicle_class, area_id, stay.entry)
    try:
        return quote_versions(stay, tariffs)
    except InvalidStay as err:
        raise DomainError(ErrorCode.INVALID, str(err), "exitAt") from err
    except NoTariffInForce as err:
        raise DomainError(ErrorCode.NOT_FOUND, str(err), "entryAt") from err


async def simulate_fees(
    session: AsyncSession,
    lot_id: str | int,
    vehicle: VehicleClass | TariffVehicle,
    entry: datetime,
    durations: Sequence[timedelta],
    area_id: str | int | None = None,
) -> list[SimulationRow]:
    """Fees of stays of each duration entering at ``entry``, under the version in force then; ``vehicle`` as
    ``vehicle_of`` infers it (the lane's view), or a bare class."""
    if any(duration > MAX_QUOTED_STAY for duration in durations):
        raise DomainError(ErrorCode.INVALID, "a stay of more than 20 years is not simulated", "durations")
    if not isinstance(vehicle, TariffVehicle):
        vehicle = TariffVehicle(vehicle.value, PlateColor.BLUE)
    vehicle_class = VehicleClass(vehicle.builtin_class.value)
    tariffs = await _tariffs(session, lot_id, vehicle_class, area_id, entry)
    try:
        tariff = version_at(tariffs, entry)
    except NoTariffInForce as err:
        raise DomainError(ErrorCode.NOT_FOUND, str(err), "entryAt") from err
    return simulate(tariff, [vehicle.stay(entry, entry + duration) for duration in durations])
