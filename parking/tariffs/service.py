"""Tariff use-cases: store immutable, numbered tariff versions and price stays with the versions of a lot."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.accounts.actor import Actor
from parking.common import crud
from parking.common.errors import DomainError, ErrorCode
from parking.tariffs.document import Tariff
from parking.tariffs.document import VehicleClass as TariffClass
from parking.tariffs.engine import quote_versions, version_at
from parking.tariffs.inputs import TariffVersionCreate
from parking.tariffs.models import TariffVersion
from parking.tariffs.simulate import SimulationRow, simulate, stays_for
from parking.tariffs.stay import InvalidStay, NoTariffInForce, Quote, Stay
from parking.tariffs.validation import TariffProblem, validate_tariff
from parking.tenancy.enums import VehicleClass
from parking.tenancy.models import Area, Lot

logger = logging.getLogger(__name__)


class InvalidTariffDocument(DomainError):
    """Every problem of a refused document; ``field`` is the first problem's path."""

    def __init__(self, problems: Sequence[TariffProblem]) -> None:
        text = "; ".join(f"{p.path}: {p.reason}" for p in problems)
        super().__init__(ErrorCode.INVALID, f"invalid tariff: {text}", problems[0].path)
        self.problems = list(problems)


def _tariff_of(row: TariffVersion) -> Tariff:
    # Stored documents were validated on the way in; the row's number is the version that counts.
    return Tariff.model_validate({**row.document, "version": row.version})


async def create_version(session: AsyncSession, actor: Actor, data: TariffVersionCreate) -> TariffVersion:
    """A new version numbered after the last one of (lot, area, class); versions are never changed."""
    problems = validate_tariff(data.document)
    if problems:
        raise InvalidTariffDocument(problems)
    tariff = Tariff.model_validate(data.document)
    lot = await crud.get(session, Lot, data.lot_id, "lotId")
    area_id = None
    if data.area_id is not None:
        area = await crud.get(session, Area, data.area_id, "areaId")
        if area.lot_id != lot.id:
            raise DomainError(ErrorCode.INVALID, "area belongs to another lot", "areaId")
        area_id = area.id
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
    session: AsyncSession, lot_id: str | int, vehicle_class: VehicleClass | None = None
) -> list[TariffVersion]:
    """The lot-wide versions of a lot (NotFound outside scope), oldest first."""
    lot = await crud.get(session, Lot, lot_id, "lotId")
    stmt = select(TariffVersion).where(TariffVersion.lot_id == lot.id, TariffVersion.area_id.is_(None))
    if vehicle_class is not None:
        stmt = stmt.where(TariffVersion.vehicle_class == vehicle_class)
    rows = await session.scalars(stmt.order_by(TariffVersion.vehicle_class, TariffVersion.version))
    return list(rows)


async def _tariffs(session: AsyncSession, lot_id: str | int, vehicle_class: VehicleClass) -> list[Tariff]:
    rows = await list_versions(session, lot_id, vehicle_class)
    if not rows:
        raise DomainError(ErrorCode.NOT_FOUND, f"no tariff for vehicle class {vehicle_class}", "vehicleClass")
    return [_tariff_of(r) for r in rows]


async def quote_fee(session: AsyncSession, lot_id: str | int, vehicle_class: VehicleClass, stay: Stay) -> Quote:
    """The fee of ``stay`` under the lot's version in force at entry."""
    tariffs = await _tariffs(session, lot_id, vehicle_class)
    try:
        return quote_versions(stay, tariffs)
    except InvalidStay as err:
        raise DomainError(ErrorCode.INVALID, str(err), "exitAt") from err
    except NoTariffInForce as err:
        raise DomainError(ErrorCode.NOT_FOUND, str(err), "entryAt") from err


async def simulate_fees(
    session: AsyncSession,
    lot_id: str | int,
    vehicle_class: VehicleClass,
    entry: datetime,
    durations: Sequence[timedelta],
) -> list[SimulationRow]:
    """Fees of stays of each duration entering at ``entry``, under the version in force then."""
    tariffs = await _tariffs(session, lot_id, vehicle_class)
    try:
        tariff = version_at(tariffs, entry)
    except NoTariffInForce as err:
        raise DomainError(ErrorCode.NOT_FOUND, str(err), "entryAt") from err
    return simulate(tariff, stays_for(entry, durations, TariffClass(vehicle_class.value)))
