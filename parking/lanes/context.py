"""Loading what a decision needs: the lane and lot, the plate's passes and lists, open stays, tariffs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from parking.lanes.decisions import LaneInfo
from parking.merchants.models import Coupon, CouponStatus, CouponTemplate, MerchantLot
from parking.merchants.terms import CouponTerms
from parking.plates import NO_PLATE, PlateColor
from parking.sessions.billing import Bill, BillFacts, InnerStay, bill
from parking.sessions.enums import SessionState
from parking.sessions.models import ParkingSession
from parking.tariffs.document import Tariff
from parking.tariffs.models import TariffVersion
from parking.tariffs.vehicle import NO_REGISTRATION, Registration, tariff_vehicle
from parking.tenancy.enums import VehicleCategory, VehicleClass
from parking.tenancy.models import Area, Lane, Lot
from parking.vehicles.enums import PassStatus
from parking.vehicles.models import ListEntry, Pass, PassProduct, Vehicle, VehicleGroup
from parking.vehicles.standing import PASS_CATEGORIES, Cover, Listing, Standing, Window, standing_at


@dataclass(frozen=True, slots=True)
class LaneSite:
    lane: Lane
    lot: Lot
    area: Area | None
    # Whether the lot has an inner lot (大场套小场) at all: most do not, and their exits skip the inner-stay queries.
    lot_has_inner: bool = True
    # Whether coupons can count at the lot at all (it has coupon templates, or a merchant of another lot counts
    # it among its lots): the exits of lots without skip the coupon query.
    lot_has_coupons: bool = True

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.lot.timezone)

    @property
    def is_inner(self) -> bool:
        return self.area is not None and self.area.is_inner


def lane_info(site: LaneSite) -> LaneInfo:
    """The lane as the pure decisions see it."""
    return LaneInfo(
        lane_id=site.lane.id,
        mode=site.lane.mode,
        allowed_categories=frozenset(site.lane.allowed_categories or ()),
        is_inner=site.is_inner,
        min_confidence=site.lot.settings.min_confidence,
    )


async def load_site(session: AsyncSession, lane_id: int) -> LaneSite | None:
    inner = aliased(Area)
    has_inner = select(inner.id).where(inner.lot_id == Lane.lot_id, inner.is_inner.is_(True)).exists()
    has_coupons = or_(
        select(CouponTemplate.id).where(CouponTemplate.lot_id == Lane.lot_id).exists(),
        select(MerchantLot.id).where(MerchantLot.lot_id == Lane.lot_id).exists(),
    )
    row = (
        await session.execute(
            select(Lane, Lot, Area, has_inner, has_coupons)
            .join(Lot, Lot.id == Lane.lot_id)
            .outerjoin(Area, Area.id == Lane.area_id)
            .where(Lane.id == lane_id)
        )
    ).first()
    if row is None:
        return None
    return LaneSite(lane=row[0], lot=row[1], area=row[2], lot_has_inner=bool(row[3]), lot_has_coupons=bool(row[4]))


@dataclass(frozen=True, slots=True)
class PlateFacts:
    """The plate's registrations at a lot: vehicle, passes (as covers), list entries."""

    covers: tuple[Cover, ...]
    listings: tuple[Listing, ...]
    vehicle_class: VehicleClass | None
    group_spaces: dict[int, int]
    # The lot's occupied spaces, read with the plate: an entry decision needs it current.
    lot_occupied: int = 0
    plate: str = ""
    # The vehicle record as the tariff reads it (class, lot class, exemption kind); empty without a record.
    registration: Registration = NO_REGISTRATION


def _window(start: time | None, end: time | None) -> Window | None:
    if isinstance(start, time) and isinstance(end, time):
        return Window(start, end)
    return None


# The plate's registrations at a lot in one round trip, anchored on the lot's row so that a plate with none still
# gives one row, which also carries the lot's count: the lot's settings may come from a cache, its count may not.
# Passes and list entries come as a cross product (a plate rarely has more than one or two of each); both are
# deduplicated by id below. Prebuilt once: a statement built per reading costs more than the query itself.
_PLATE = (
    select(
        Lot.occupied,
        Vehicle.vehicle_class,
        Vehicle.tariff_class,
        Vehicle.exempt_kind,
        Vehicle.plate_color,
        Pass.id,
        Pass.starts_at,
        Pass.ends_at,
        Pass.group_id,
        PassProduct.category,
        PassProduct.window_start,
        PassProduct.window_end,
        VehicleGroup.spaces,
        ListEntry.id,
        ListEntry.category,
        ListEntry.valid_from,
        ListEntry.valid_until,
        ListEntry.window_start,
        ListEntry.window_end,
        ListEntry.reason,
    )
    .select_from(Lot)
    .outerjoin(Vehicle, (Vehicle.lot_id == Lot.id) & (Vehicle.plate == bindparam("plate")))
    .outerjoin(
        Pass,
        ((Pass.vehicle_id == Vehicle.id) | (Pass.group_id == Vehicle.group_id)) & (Pass.status == PassStatus.ACTIVE),
    )
    .outerjoin(PassProduct, PassProduct.id == Pass.product_id)
    .outerjoin(VehicleGroup, VehicleGroup.id == Pass.group_id)
    .outerjoin(ListEntry, (ListEntry.lot_id == Lot.id) & (ListEntry.plate == bindparam("plate")))
    .where(Lot.id == bindparam("lot_id"))
    .order_by(Pass.id, ListEntry.id)
)


async def load_plate(session: AsyncSession, lot_id: int, plate: str) -> PlateFacts:
    """The registered vehicle (a plate is registered once per lot), its active passes (its own or its group's)
    and the plate's list entries."""
    rows = (await session.execute(_PLATE, {"lot_id": lot_id, "plate": plate})).all()
    vehicle_class = rows[0][1] if rows else None
    covers: dict[int, Cover] = {}
    listings: dict[int, Listing] = {}
    groups: dict[int, int] = {}
    for row in rows:
        (_, _, _, _, _, pass_id, starts_at, ends_at, group_id, category, w_start, w_end, spaces, entry_id, *entry) = row
        if pass_id is not None and category is not None and pass_id not in covers:
            covers[pass_id] = Cover(category, starts_at, ends_at, _window(w_start, w_end), group_id, pass_id)
            if group_id is not None and spaces is not None:
                groups[group_id] = spaces
        if entry_id is not None and entry_id not in listings:
            e_category, valid_from, valid_until, e_start, e_end, reason = entry
            listings[entry_id] = Listing(e_category, valid_from, valid_until, _window(e_start, e_end), reason)
    registration = NO_REGISTRATION
    if rows and vehicle_class is not None:
        registration = Registration(vehicle_class.value, rows[0][2], rows[0][3], rows[0][4])
    # Free list entries (exempt, VIP, official) also cover time: a stay that spans them is not charged for it.
    return PlateFacts(
        tuple(covers.values()),
        tuple(listings.values()),
        vehicle_class,
        groups,
        int(rows[0][0]) if rows else 0,
        plate,
        registration,
    )


def standing_of(facts: PlateFacts, at: datetime, tz: ZoneInfo) -> Standing:
    return standing_at(at, tz, facts.covers, facts.listings)


def class_of(facts: PlateFacts, color: PlateColor) -> VehicleClass:
    """The class a stay is recorded with: the tariff's inference (a lot-declared class records as small)."""
    return VehicleClass(tariff_vehicle(facts.plate, color, facts.registration).builtin_class.value)


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


@dataclass(frozen=True, slots=True)
class PlateStays:
    """What the plate's stays say at a lane: its open stay in the lot, the stay it left just now, its arrears."""

    open: ParkingSession | None
    left_id: int | None
    # Unpaid stays of the plate at any lot of the customer: stay id to what it owes.
    arrears: dict[int, int]

    def arrears_fen(self, exclude: int | None = None) -> int:
        return sum(fen for stay_id, fen in self.arrears.items() if stay_id != exclude)


# ``open_stay``, ``just_left`` and ``arrears_of`` for a plate in one round trip (all three share the plate index).
_PLATE_STAYS = select(ParkingSession).where(
    ParkingSession.plate == bindparam("plate"),
    or_(
        and_(
            ParkingSession.lot_id == bindparam("lot_id"),
            ParkingSession.parent_id.is_(None),
            ParkingSession.driver_key.is_(None),
            or_(ParkingSession.state == SessionState.IN_LOT, ParkingSession.exit_at >= bindparam("since")),
        ),
        and_(ParkingSession.customer_id == bindparam("customer_id"), ParkingSession.arrears_fen > 0),
    ),
)


async def plate_stays(
    session: AsyncSession, lot: Lot, plate: str, left_since: datetime, left_until: datetime | None = None
) -> PlateStays:
    """The stays of a plate (not a no-plate driver: see ``open_stay``) that a reading at ``lot`` needs; the stay
    it left is one closed between ``left_since`` and ``left_until`` (see ``just_left``)."""
    params = {"plate": plate, "lot_id": lot.id, "customer_id": lot.customer_id, "since": left_since}
    rows = (await session.scalars(_PLATE_STAYS, params)).all()
    ours = [r for r in rows if r.lot_id == lot.id and r.parent_id is None and r.driver_key is None]
    stay = next((r for r in ours if r.state is SessionState.IN_LOT), None)
    left = [
        r
        for r in ours
        if r.state is not SessionState.IN_LOT
        and r.exit_at is not None
        and r.exit_at >= left_since
        and (left_until is None or r.exit_at <= left_until)
    ]
    left.sort(key=lambda r: (r.exit_at, r.id), reverse=True)
    arrears = {r.id: r.arrears_fen for r in rows if r.customer_id == lot.customer_id and r.arrears_fen > 0}
    return PlateStays(stay, left[0].id if left else None, arrears)


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


# A lot's tariff documents, parsed, by (area or None for the lot's own, vehicle class).
TariffBook = dict[tuple[int | None, VehicleClass], list[Tariff]]


async def load_tariffs(session: AsyncSession, lot_id: int, classes: Sequence[VehicleClass] | None = None) -> TariffBook:
    stmt = select(TariffVersion).where(TariffVersion.lot_id == lot_id).order_by(TariffVersion.id)
    if classes is not None:
        stmt = stmt.where(TariffVersion.vehicle_class.in_(set(classes)))
    book: TariffBook = {}
    for row in await session.scalars(stmt):
        book.setdefault((row.area_id, row.vehicle_class), []).append(
            Tariff.model_validate({**row.document, "version": row.version})
        )
    return book


def pick_tariffs(
    book: TariffBook, area_ids: Sequence[int | None], vehicle_class: VehicleClass
) -> dict[int | None, list[Tariff]]:
    """Tariff versions per area (None: the lot's own) for the class, falling back to small cars' tariff."""
    return {area: book.get((area, vehicle_class)) or book.get((area, VehicleClass.SMALL)) or [] for area in area_ids}


async def tariffs_for(
    session: AsyncSession, lot_id: int, area_ids: Sequence[int | None], vehicle_class: VehicleClass
) -> dict[int | None, list[Tariff]]:
    book = await load_tariffs(session, lot_id, [vehicle_class, VehicleClass.SMALL])
    return pick_tariffs(book, area_ids, vehicle_class)


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


@dataclass(frozen=True, slots=True)
class StayCoupons:
    """The plate's coupons a bill of the stay may use, and those an earlier payment of the stay redeemed."""

    usable: tuple[CouponTerms, ...] = ()
    bound_ids: frozenset[int] = frozenset()


NO_COUPONS = StayCoupons()

# The plate's coupons for a stay in one round trip: those issued to it that count at the lot now (its own lot's,
# or a merchant's that counts the lot among its lots), and those this stay already redeemed.
_COUPONS = (
    select(
        Coupon.id,
        Coupon.kind,
        Coupon.value,
        Coupon.valid_from,
        Coupon.created_at,
        Coupon.max_per_stay,
        Coupon.stackable,
        Coupon.template_id,
        Coupon.status,
    )
    .where(
        Coupon.plate == bindparam("plate"),
        or_(
            and_(
                Coupon.status == CouponStatus.ISSUED,
                or_(Coupon.valid_from.is_(None), Coupon.valid_from <= bindparam("now")),
                Coupon.valid_until > bindparam("now"),
                or_(
                    Coupon.lot_id == bindparam("lot_id"),
                    Coupon.merchant_id.in_(
                        select(MerchantLot.merchant_id).where(MerchantLot.lot_id == bindparam("lot_id"))
                    ),
                ),
            ),
            and_(Coupon.status == CouponStatus.REDEEMED, Coupon.session_id == bindparam("stay_id")),
        ),
    )
    .order_by(Coupon.id)
)


async def load_coupons(session: AsyncSession, lot_id: int, stay: ParkingSession, now: datetime) -> StayCoupons:
    """The stay's coupons (see ``_COUPONS``); none for a car without a plate."""
    if stay.plate == NO_PLATE or not stay.plate:
        return NO_COUPONS
    params = {"plate": stay.plate, "now": now, "lot_id": lot_id, "stay_id": stay.id}
    rows = (await session.execute(_COUPONS, params)).all()
    usable = tuple(
        CouponTerms(cid, kind, value, valid_from or created_at, max_per_stay, stackable, template_id)
        for cid, kind, value, valid_from, created_at, max_per_stay, stackable, template_id, _ in rows
    )
    bound = frozenset(row[0] for row in rows if row[8] is CouponStatus.REDEEMED)
    return StayCoupons(usable, bound)


async def bill_stay(
    session: AsyncSession,
    site_lot: Lot,
    stay: ParkingSession,
    facts: PlateFacts,
    now: datetime,
    *,
    lot_has_inner: bool = True,
    book: TariffBook | None = None,
    arrears_fen: int | None = None,
    lot_has_coupons: bool = True,
) -> Bill:
    """What the stay owes at ``now``. ``book`` (the lot's tariffs) and ``arrears_fen`` (the plate's other unpaid
    stays) are loaded here unless the caller already has them; the plate's coupons unless the lot has none."""
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
    area_ids = [None, *{a.id for _, a in inner_rows}]
    # Priced as quoteFee prices it: the same inference from the plate and the vehicle record.
    vehicle = tariff_vehicle(stay.plate, stay.plate_color, facts.registration)
    row_class = VehicleClass(vehicle.builtin_class.value)
    if book is None:
        tariffs = await tariffs_for(session, site_lot.id, area_ids, row_class)
    else:
        tariffs = pick_tariffs(book, area_ids, row_class)
    if arrears_fen is None:
        arrears_fen = await arrears_of(
            session, stay.customer_id, stay.plate, exclude=stay.id, driver_key=stay.driver_key
        )
    tz = ZoneInfo(site_lot.timezone)
    standing = standing_of(facts, now, tz)
    category = standing.category if standing.category not in PASS_CATEGORIES else stay.category
    if stay.category in (VehicleCategory.EXEMPT, VehicleCategory.VIP, VehicleCategory.OFFICIAL):
        category = stay.category
    inner = tuple(
        InnerStay(child.entry_at, child.exit_at, tariffs.get(area.id, []), area.free_minutes)
        for child, area in inner_rows
    )
    coupons = await load_coupons(session, site_lot.id, stay, now) if lot_has_coupons else NO_COUPONS
    return bill(
        BillFacts(
            entry_at=stay.entry_at,
            timezone=site_lot.timezone,
            tariffs=tariffs[None],
            vehicle_class=row_class,
            plate_color=vehicle.plate_color,
            vehicle=vehicle,
            category=category,
            covers=covers_for(stay, facts),
            inner_stays=inner,
            paid_fen=stay.paid_fen,
            last_paid_at=stay.last_paid_at,
            grace_minutes=site_lot.prepay_grace_minutes,
            discount_fen=stay.discount_fen,
            arrears_fen=arrears_fen,
            coupons=coupons.usable,
            bound_coupon_ids=coupons.bound_ids,
        ),
        now,
    )
