"""Loading what a decision needs: the lane and lot, the plate's passes and lists, open stays, tariffs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from parking.lanes.standing import PASS_CATEGORIES, Cover, Listing, Standing, Window, standing_at
from parking.plates import NO_PLATE, PlateColor
from parking.sessions.billing import Bill, BillFacts, InnerStay, bill
from parking.sessions.enums import SessionState
from parking.sessions.models import ParkingSession
from parking.tariffs.document import Tariff
from parking.tariffs.models import TariffVersion
from parking.tenancy.enums import VehicleCategory, VehicleClass
from parking.tenancy.models import Area, Lane, Lot
from parking.vehicles.enums import PassStatus
from parking.vehicles.models import ListEntry, Pass, PassProduct, Vehicle, VehicleGroup


@dataclass(frozen=True, slots=True)
class LaneSite:
    lane: Lane
    lot: Lot
    area: Area | None
    # Whether the lot has an inner lot (大场套小场) at all: most do not, and their exits skip the inner-stay queries.
    lot_has_inner: bool = True

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.lot.timezone)

    @property
    def is_inner(self) -> bool:
        return self.area is not None and self.area.is_inner


async def load_site(session: AsyncSession, lane_id: int) -> LaneSite | None:
    inner = aliased(Area)
    has_inner = select(inner.id).where(inner.lot_id == Lane.lot_id, inner.is_inner.is_(True)).exists()
    row = (
        await session.execute(
            select(Lane, Lot, Area, has_inner)
            .join(Lot, Lot.id == Lane.lot_id)
            .outerjoin(Area, Area.id == Lane.area_id)
            .where(Lane.id == lane_id)
        )
    ).first()
    if row is None:
        return None
    return LaneSite(lane=row[0], lot=row[1], area=row[2], lot_has_inner=bool(row[3]))


@dataclass(frozen=True, slots=True)
class PlateFacts:
    """The plate's registrations at a lot: vehicle, passes (as covers), list entries."""

    covers: tuple[Cover, ...]
    listings: tuple[Listing, ...]
    vehicle_class: VehicleClass | None
    group_spaces: dict[int, int]


def _window(start: time | None, end: time | None) -> Window | None:
    if isinstance(start, time) and isinstance(end, time):
        return Window(start, end)
    return None


async def load_plate(session: AsyncSession, lot_id: int, plate: str) -> PlateFacts:
    # One query for the registered vehicle (a plate is registered once per lot) and its active passes, its own
    # or its group's: a row with no pass when it has none, no row when the plate is not registered.
    rows = (
        await session.execute(
            select(Vehicle.vehicle_class, Pass, PassProduct, VehicleGroup)
            .select_from(Vehicle)
            .outerjoin(
                Pass,
                ((Pass.vehicle_id == Vehicle.id) | (Pass.group_id == Vehicle.group_id))
                & (Pass.status == PassStatus.ACTIVE),
            )
            .outerjoin(PassProduct, PassProduct.id == Pass.product_id)
            .outerjoin(VehicleGroup, VehicleGroup.id == Pass.group_id)
            .where(Vehicle.lot_id == lot_id, Vehicle.plate == plate)
        )
    ).all()
    vehicle_class = rows[0][0] if rows else None
    covers = []
    groups: dict[int, int] = {}
    for row in rows:
        # Outer joins: a registered vehicle without an active pass comes as one row of None.
        p: Pass | None = row[1]
        product: PassProduct | None = row[2]
        group: VehicleGroup | None = row[3]
        if p is None or product is None:
            continue
        covers.append(
            Cover(
                category=product.category,
                starts_at=p.starts_at,
                ends_at=p.ends_at,
                window=_window(product.window_start, product.window_end),
                group_id=p.group_id,
                pass_id=p.id,
            )
        )
        if group is not None:
            groups[group.id] = group.spaces
    entries = await session.scalars(select(ListEntry).where(ListEntry.lot_id == lot_id, ListEntry.plate == plate))
    listings = tuple(
        Listing(e.category, e.valid_from, e.valid_until, _window(e.window_start, e.window_end), e.reason)
        for e in entries
    )
    # Free list entries (exempt, VIP, official) also cover time: a stay that spans them is not charged for it.
    return PlateFacts(tuple(covers), listings, vehicle_class, groups)


def standing_of(facts: PlateFacts, at: datetime, tz: ZoneInfo) -> Standing:
    return standing_at(at, tz, facts.covers, facts.listings)


def class_of(facts: PlateFacts, color: PlateColor) -> VehicleClass:
    if facts.vehicle_class is not None:
        return facts.vehicle_class
    if color in (PlateColor.GREEN, PlateColor.YELLOW_GREEN):
        return VehicleClass.NEW_ENERGY
    if color is PlateColor.YELLOW:
        return VehicleClass.LARGE
    return VehicleClass.SMALL


async def open_stay(
    session: AsyncSession, lot_id: int, plate: str, driver_key: str | None = None
) -> ParkingSession | None:
    """The open outer stay of a plate, or of a driver for a no-plate car."""
    who = (
        ParkingSession.driver_key == driver_key
        if driver_key is not None
        else (ParkingSession.plate == plate) & ParkingSession.driver_key.is_(None)
    )
    return await session.scalar(
        select(ParkingSession).where(
            ParkingSession.lot_id == lot_id,
            who,
            ParkingSession.state == SessionState.IN_LOT,
            ParkingSession.parent_id.is_(None),
        )
    )


async def just_left(
    session: AsyncSession, lot_id: int, plate: str, since: datetime, until: datetime, *, driver_key: str | None = None
) -> int | None:
    """The stay of this car that closed between ``since`` and ``until`` (a repeat read at the exit), if any; a stay
    that closed after the reading (records replayed out of order) is a later one, not a repeat."""
    who = (
        ParkingSession.driver_key == driver_key
        if driver_key is not None
        else (ParkingSession.plate == plate) & ParkingSession.driver_key.is_(None)
    )
    return await session.scalar(
        select(ParkingSession.id)
        .where(
            ParkingSession.lot_id == lot_id,
            who,
            ParkingSession.state != SessionState.IN_LOT,
            ParkingSession.parent_id.is_(None),
            ParkingSession.exit_at >= since,
            ParkingSession.exit_at <= until,
        )
        .order_by(ParkingSession.exit_at.desc())
        .limit(1)
    )


async def arrears_of(
    session: AsyncSession,
    customer_id: int,
    plate: str,
    *,
    exclude: int | None = None,
    driver_key: str | None = None,
) -> int:
    """Unpaid stays of this plate (a no-plate car: of this driver) at any lot of the customer."""
    if plate == NO_PLATE and driver_key is None:
        return 0
    who = ParkingSession.driver_key == driver_key if plate == NO_PLATE else ParkingSession.plate == plate
    stmt = select(func.coalesce(func.sum(ParkingSession.arrears_fen), 0)).where(
        ParkingSession.customer_id == customer_id,
        who,
        ParkingSession.arrears_fen > 0,
    )
    if exclude is not None:
        stmt = stmt.where(ParkingSession.id != exclude)
    return int(await session.scalar(stmt) or 0)


async def group_inside(session: AsyncSession, group_id: int) -> int:
    """Cars of the group inside on the group's spaces (overflow cars, paying as temporary, not counted)."""
    return int(
        await session.scalar(
            select(func.count()).where(
                ParkingSession.group_id == group_id,
                ParkingSession.state == SessionState.IN_LOT,
                ParkingSession.parent_id.is_(None),
                ParkingSession.group_overflow.is_(False),
            )
        )
        or 0
    )


async def tariffs_for(
    session: AsyncSession, lot_id: int, area_ids: Sequence[int | None], vehicle_class: VehicleClass
) -> dict[int | None, list[Tariff]]:
    """Tariff versions per area (None: the lot's own) for the class, falling back to small cars' tariff."""
    rows = await session.scalars(
        select(TariffVersion).where(
            TariffVersion.lot_id == lot_id,
            TariffVersion.vehicle_class.in_({vehicle_class, VehicleClass.SMALL}),
        )
    )
    found: dict[tuple[int | None, VehicleClass], list[Tariff]] = {}
    for row in rows:
        found.setdefault((row.area_id, row.vehicle_class), []).append(
            Tariff.model_validate({**row.document, "version": row.version})
        )
    return {area: found.get((area, vehicle_class)) or found.get((area, VehicleClass.SMALL)) or [] for area in area_ids}


def covers_for(stay: ParkingSession, facts: PlateFacts) -> tuple[Cover, ...]:
    """The pass covers that bill this stay: none for a group car on overflow, from ``covered_from`` if converted."""
    if stay.group_overflow:
        return tuple(c for c in facts.covers if c.group_id is None)
    if stay.covered_from is None:
        return facts.covers
    return tuple(
        Cover(c.category, max(c.starts_at, stay.covered_from), c.ends_at, c.window, c.group_id, c.pass_id)
        if c.group_id is not None
        else c
        for c in facts.covers
    )


async def bill_stay(
    session: AsyncSession,
    site_lot: Lot,
    stay: ParkingSession,
    facts: PlateFacts,
    now: datetime,
    *,
    lot_has_inner: bool = True,
) -> Bill:
    inner_rows = (
        list(
            await session.execute(
                select(ParkingSession, Area)
                .join(Area, Area.id == ParkingSession.area_id)
                .where(ParkingSession.parent_id == stay.id)
            )
        )
        if lot_has_inner
        else []
    )
    tariffs = await tariffs_for(session, site_lot.id, [None, *{a.id for _, a in inner_rows}], stay.vehicle_class)
    tz = ZoneInfo(site_lot.timezone)
    standing = standing_of(facts, now, tz)
    category = standing.category if standing.category not in PASS_CATEGORIES else stay.category
    if stay.category in (VehicleCategory.EXEMPT, VehicleCategory.VIP, VehicleCategory.OFFICIAL):
        category = stay.category
    inner = tuple(
        InnerStay(child.entry_at, child.exit_at, tariffs.get(area.id, []), area.free_minutes)
        for child, area in inner_rows
    )
    return bill(
        BillFacts(
            entry_at=stay.entry_at,
            timezone=site_lot.timezone,
            tariffs=tariffs[None],
            vehicle_class=stay.vehicle_class,
            plate_color=stay.plate_color,
            category=category,
            covers=covers_for(stay, facts),
            inner_stays=inner,
            paid_fen=stay.paid_fen,
            last_paid_at=stay.last_paid_at,
            grace_minutes=site_lot.prepay_grace_minutes,
            discount_fen=stay.discount_fen,
            arrears_fen=await arrears_of(
                session, stay.customer_id, stay.plate, exclude=stay.id, driver_key=stay.driver_key
            ),
        ),
        now,
    )
