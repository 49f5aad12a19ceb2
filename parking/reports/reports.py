"""The reports: flow statistics, peak hours, fees by channel, fees of temporary vs long-term vehicles, and the
daily report by lot and lane. Each is a grouping of the rollup facts (``facts.facts``) turned into rows."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.common.database import Database
from parking.overview.service import DateRange
from parking.payments.models import PaymentPurpose
from parking.reports.facts import Dim, Facts, ReportLot, facts
from parking.reports.rollup import Slice
from parking.tenancy.enums import VehicleCategory
from parking.tenancy.models import Area, Lane


class FlowBy(StrEnum):
    """What a row of the flow report is: a lot, a lane, a vehicle class, a day, an area of a lot (its lanes
    together; the lanes of no area are the lot's outer zone) or a region (its lots together)."""

    LOT = "lot"
    LANE = "lane"
    VEHICLE_CLASS = "vehicle_class"
    DAY = "day"
    AREA = "area"
    REGION = "region"


class DailyBy(StrEnum):
    """What a row of the daily report is: a lot's day, a lane's, a region's (its lots together) or a booth's
    (the lanes of a lot that name the same booth together; a lane naming none is its own booth)."""

    LOT = "lot"
    LANE = "lane"
    REGION = "region"
    BOOTH = "booth"


class FeeKind(StrEnum):
    TEMPORARY = "temporary"  # 临时车: parking fees of cars with no standing
    LONG_TERM = "long_term"  # 固定车: passes sold and renewed, fees of registered cars
    COUPON_PACK = "coupon_pack"  # 商家购券


# Cars with no standing at the lot; every other category is registered (a pass, a list, a group).
TEMPORARY_CATEGORIES = frozenset(
    {"", VehicleCategory.TEMPORARY.value, VehicleCategory.VISITOR.value, VehicleCategory.BLACKLIST.value}
)
PASS_PURPOSES = frozenset({PaymentPurpose.PASS_PURCHASE.value, PaymentPurpose.PASS_RENEWAL.value})


def fee_kind(category: str, purpose: str) -> FeeKind:
    if purpose in PASS_PURPOSES:
        return FeeKind.LONG_TERM
    if purpose == PaymentPurpose.COUPON_PURCHASE.value:
        return FeeKind.COUPON_PACK
    return FeeKind.TEMPORARY if category in TEMPORARY_CATEGORIES else FeeKind.LONG_TERM


@dataclass(frozen=True)
class Figures:
    """A row's measures as the reports show them."""

    entries: int
    exits: int
    stay_minutes: int
    paid_fen: int
    payments: int
    refunded_fen: int
    refunds: int
    discount_fen: int
    coupon_fen: int
    waived_fen: int

    @classmethod
    def of(cls, one: Slice) -> Figures:
        return cls(**one.values())

    @property
    def net_fen(self) -> int:
        return self.paid_fen - self.refunded_fen

    @property
    def average_stay_minutes(self) -> int | None:
        return round(self.stay_minutes / self.exits) if self.exits else None


@dataclass(frozen=True)
class FlowRow:
    lot_id: int | None
    lot_name: str
    lane_id: int | None
    lane_name: str
    vehicle_class: str
    day: date | None
    figures: Figures
    # Entries per space per day (by lot, area or region, where the spaces are known): how often they turned over.
    turnover: float | None
    # By area: the area (None with an empty name: the lot's outer zone, its lanes of no area).
    area_id: int | None = None
    area_name: str = ""
    # By region: the region (empty: the lots with none).
    region: str = ""


@dataclass(frozen=True)
class HourRow:
    hour: int
    entries: int
    exits: int


@dataclass(frozen=True)
class ChannelRow:
    channel: str
    figures: Figures


@dataclass(frozen=True)
class KindRow:
    kind: FeeKind
    figures: Figures


@dataclass(frozen=True)
class DailyRow:
    """One day of a lot (by lot), of a lane or booth of a lot, or of a region (no lot: ``lot_id`` None)."""

    day: date
    lot_id: int | None
    lot_name: str
    lane_id: int | None
    lane_name: str
    figures: Figures
    region: str = ""
    booth: str = ""


@dataclass(frozen=True)
class Query:
    """What every report is asked: the local days, the lots (None: every lot in scope), and the time now."""

    period: DateRange
    now: datetime
    lot_ids: Sequence[int] | None = None

    async def facts(self, db: Database, session: AsyncSession, dims: Sequence[Dim]) -> Facts:
        return await facts(db, session, self.period, dims, self.now, self.lot_ids)


async def _lane_names(session: AsyncSession, ids: set[int]) -> dict[int, str]:
    ids.discard(0)
    if not ids:
        return {}
    return {int(i): str(n) for i, n in await session.execute(select(Lane.id, Lane.name).where(Lane.id.in_(ids)))}


def _names(lots: list[ReportLot]) -> dict[int, ReportLot]:
    return {lot.id: lot for lot in lots}


_FLOW_DIMS = {
    FlowBy.LOT: (Dim.LOT,),
    FlowBy.LANE: (Dim.LOT, Dim.LANE),
    FlowBy.VEHICLE_CLASS: (Dim.VEHICLE_CLASS,),
    FlowBy.DAY: (Dim.DAY,),
    FlowBy.AREA: (Dim.LOT, Dim.LANE),
    FlowBy.REGION: (Dim.LOT,),
}


def _moves(one: Slice) -> bool:
    return bool(one.entries or one.exits)


def _turnover(entries: int, spaces: int | None, days: int) -> float | None:
    """Entries per space per day; None where the spaces are not known."""
    return round(entries / (spaces * days), 4) if spaces else None


def _regrouped(
    rows: Mapping[tuple[Any, ...], Slice], key_of: Callable[[tuple[Any, ...]], tuple[Any, ...]]
) -> dict[tuple[Any, ...], Slice]:
    """The rows summed into the groups ``key_of`` names."""
    groups: dict[tuple[Any, ...], Slice] = {}
    for key, one in rows.items():
        _summed(groups, key_of(key), one)
    return groups


def _region_order(region: str) -> tuple[bool, str]:
    """Regions by name, the lots with no region last."""
    return not region, region


async def flow(db: Database, session: AsyncSession, query: Query, by: FlowBy) -> list[FlowRow]:
    """Entries, exits, average stay and (by lot, area, region) turnover, grouped ``by``; rows with traffic only."""
    dims = _FLOW_DIMS[by]
    found = await query.facts(db, session, dims)
    if by is FlowBy.AREA:
        return await _flow_by_area(session, found)
    if by is FlowBy.REGION:
        return _flow_by_region(found)
    lots = _names(found.lots)
    lanes = await _lane_names(session, {k[1] for k in found.rows} if by is FlowBy.LANE else set())
    rows: list[FlowRow] = []
    for key, one in found.rows.items():
        if not _moves(one):
            continue
        values = dict(zip(dims, key, strict=True))
        lot = lots.get(values.get(Dim.LOT, -1))
        lane = values.get(Dim.LANE)
        turnover = _turnover(one.entries, lot.capacity, found.days) if by is FlowBy.LOT and lot else None
        rows.append(
            FlowRow(
                lot_id=lot.id if lot else None,
                lot_name=lot.name if lot else "",
                lane_id=lane or None,
                lane_name=lanes.get(lane or 0, ""),
                vehicle_class=str(values.get(Dim.VEHICLE_CLASS, "")),
                day=values.get(Dim.DAY),
                figures=Figures.of(one),
                turnover=turnover,
            )
        )
    return sorted(rows, key=lambda r: (r.day or date.min, r.lot_name, r.lot_id or 0, r.lane_name, r.vehicle_class))


@dataclass(frozen=True)
class _AreaInfo:
    id: int
    name: str
    capacity: int


async def _lane_areas(session: AsyncSession, ids: set[int]) -> dict[int, _AreaInfo]:
    """The area of each lane that has one (one query); a lane missing here is in its lot's outer zone."""
    ids.discard(0)
    if not ids:
        return {}
    found = await session.execute(
        select(Lane.id, Area.id, Area.name, Area.capacity).join(Area, Area.id == Lane.area_id).where(Lane.id.in_(ids))
    )
    return {int(lane): _AreaInfo(int(a), str(n), int(c)) for lane, a, n, c in found}


async def _flow_by_area(session: AsyncSession, found: Facts) -> list[FlowRow]:
    """The lanes of each area of a lot summed; those of no area (and traffic with no lane) as the outer zone."""
    lots = _names(found.lots)
    areas = await _lane_areas(session, {int(lane) for _, lane in found.rows})
    by_id = {a.id: a for a in areas.values()}

    def area_of(key: tuple[Any, ...]) -> tuple[Any, ...]:
        lot_id, lane = key
        area = areas.get(int(lane))
        return lot_id, area.id if area else 0

    rows: list[FlowRow] = []
    for (lot_id, area_id), one in _regrouped(found.rows, area_of).items():
        if not _moves(one):
            continue
        lot, area = lots[lot_id], by_id.get(area_id)
        # An area's spaces are its capacity; the outer zone's are not known (a lot's may include its areas').
        turnover = _turnover(one.entries, area.capacity if area else None, found.days)
        rows.append(
            FlowRow(
                lot.id, lot.name, None, "", "", None, Figures.of(one), turnover,
                area.id if area else None, area.name if area else "", lot.region,
            )
        )  # fmt: skip
    return sorted(rows, key=lambda r: (r.lot_name, r.lot_id or 0, r.area_id is None, r.area_name))


def _flow_by_region(found: Facts) -> list[FlowRow]:
    """The lots of each region summed; a region's spaces are its lots' when every one of them has them set."""
    lots = _names(found.lots)
    spaces: dict[str, int | None] = {}
    for lot in found.lots:
        known = spaces.get(lot.region, 0)
        spaces[lot.region] = known + lot.capacity if known is not None and lot.capacity else None
    rows = [
        FlowRow(None, "", None, "", "", None, Figures.of(one), _turnover(one.entries, spaces[region], found.days),
                region=region)
        for (region,), one in _regrouped(found.rows, lambda key: (lots[key[0]].region,)).items()
        if _moves(one)
    ]  # fmt: skip
    return sorted(rows, key=lambda r: _region_order(r.region))


async def peak_hours(db: Database, session: AsyncSession, query: Query) -> list[HourRow]:
    """Entries and exits per local hour of the day over the range, all 24 hours, busiest first."""
    found = await query.facts(db, session, (Dim.HOUR,))
    hours = {h: HourRow(h, 0, 0) for h in range(24)}
    for (hour,), one in found.rows.items():
        hours[int(hour)] = HourRow(int(hour), one.entries, one.exits)
    return sorted(hours.values(), key=lambda r: (-(r.entries + r.exits), r.hour))


async def fees_by_channel(db: Database, session: AsyncSession, query: Query) -> list[ChannelRow]:
    """Payments and refunds per payment channel."""
    found = await query.facts(db, session, (Dim.CHANNEL,))
    rows = [ChannelRow(str(channel), Figures.of(one)) for (channel,), one in found.rows.items() if channel]
    return sorted(rows, key=lambda r: r.channel)


async def fees_by_kind(db: Database, session: AsyncSession, query: Query) -> list[KindRow]:
    """Money of temporary vehicles, long-term ones (passes and registered cars) and coupon packs."""
    found = await query.facts(db, session, (Dim.CATEGORY, Dim.PURPOSE))
    kinds = {kind: Slice() for kind in FeeKind}
    for (category, purpose), one in found.rows.items():
        into = kinds[fee_kind(str(category), str(purpose))]
        for name, value in one.values().items():
            setattr(into, name, getattr(into, name) + value)
    return [KindRow(kind, Figures.of(one)) for kind, one in kinds.items()]


@dataclass(frozen=True)
class _LaneInfo:
    name: str
    booth: str


async def _lanes(session: AsyncSession, ids: set[int]) -> dict[int, _LaneInfo]:
    ids.discard(0)
    if not ids:
        return {}
    found = await session.execute(select(Lane.id, Lane.name, Lane.booth).where(Lane.id.in_(ids)))
    return {int(i): _LaneInfo(str(n), str(b)) for i, n, b in found}


def _booth_of(lane_id: int, lanes: dict[int, _LaneInfo]) -> tuple[str | int, str]:
    """The booth key and name of a lane: its booth when it names one, else the lane itself (0: no lane)."""
    lane = lanes.get(lane_id)
    if lane is None:
        return lane_id, ""
    return (lane.booth, lane.booth) if lane.booth else (lane_id, lane.name)


async def daily(db: Database, session: AsyncSession, query: Query, by: DailyBy = DailyBy.LOT) -> list[DailyRow]:
    """Each local day of each lot, lane, booth or region: traffic and money, summed from the rollup."""
    by_lane = by in (DailyBy.LANE, DailyBy.BOOTH)
    dims: tuple[Dim, ...] = (Dim.DAY, Dim.LOT, Dim.LANE) if by_lane else (Dim.DAY, Dim.LOT)
    found = await query.facts(db, session, dims)
    lots = _names(found.lots)
    lanes = await _lanes(session, {int(k[2]) for k in found.rows} if by_lane else set())
    if by is DailyBy.REGION:
        return _by_region(found, lots)
    if by is DailyBy.BOOTH:
        return _by_booth(found, lots, lanes)
    rows: list[DailyRow] = []
    for key, one in found.rows.items():
        day, lot_id = key[0], key[1]
        lot = lots[lot_id]
        lane = int(key[2]) if by_lane else 0
        name = lanes[lane].name if lane in lanes else ""
        rows.append(DailyRow(day, lot_id, lot.name, lane or None, name, Figures.of(one), lot.region))
    return sorted(rows, key=lambda r: (r.day, r.lot_name, r.lot_id or 0, r.lane_name, r.lane_id or 0))


def _summed(groups: dict[tuple[Any, ...], Slice], key: tuple[Any, ...], one: Slice) -> None:
    into = groups.setdefault(key, Slice())
    for name, value in one.values().items():
        setattr(into, name, getattr(into, name) + value)


def _by_region(found: Facts, lots: dict[int, ReportLot]) -> list[DailyRow]:
    groups = _regrouped(found.rows, lambda key: (key[0], lots[key[1]].region))
    rows = [DailyRow(day, None, "", None, "", Figures.of(one), region) for (day, region), one in groups.items()]
    return sorted(rows, key=lambda r: (r.day, *_region_order(r.region)))


def _by_booth(found: Facts, lots: dict[int, ReportLot], lanes: dict[int, _LaneInfo]) -> list[DailyRow]:
    groups: dict[tuple[Any, ...], Slice] = {}
    names: dict[tuple[Any, ...], str] = {}
    for (day, lot_id, lane_id), one in found.rows.items():
        booth, name = _booth_of(int(lane_id), lanes)
        key = (day, lot_id, booth)
        names[key] = name
        _summed(groups, key, one)
    rows: list[DailyRow] = []
    for (day, lot_id, booth), one in groups.items():
        lot = lots[lot_id]
        # A lane standing for its own booth keeps its id; a named booth of several lanes has none.
        lane_id = booth if isinstance(booth, int) and booth else None
        name = names[(day, lot_id, booth)]
        rows.append(DailyRow(day, lot_id, lot.name, lane_id, "", Figures.of(one), lot.region, name))
    return sorted(rows, key=lambda r: (r.day, r.lot_name, r.lot_id or 0, not r.booth, r.booth))
