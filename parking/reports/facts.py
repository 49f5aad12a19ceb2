"""Reading the rollup: facts grouped by the dimensions a report asks for, past days stored, today live.

For each lot and local day of the range: a day that is over is read from ``report_daily`` (one grouped SQL
statement for all of them); one not computed yet, or marked dirty, is computed and stored first (catch-up on
read), and today is computed live from the source rows and never stored. Days after today hold nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import and_, func, not_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.common.database import Database
from parking.common.scope import Scope
from parking.overview.service import DateRange
from parking.payments.statement import day_bounds
from parking.reports.models import MEASURES, ReportDaily, ReportDay, ReportDirtyDay
from parking.reports.rollup import Key, LotDay, Slice, by_zone, compute, lot_days, refresh_days
from parking.tenancy.models import Lot


class Dim(StrEnum):
    LOT = "lot"
    DAY = "day"
    HOUR = "hour"
    LANE = "lane"
    VEHICLE_CLASS = "vehicle_class"
    CATEGORY = "category"
    CHANNEL = "channel"
    PURPOSE = "purpose"


_COLUMNS: dict[Dim, Any] = {
    Dim.LOT: ReportDaily.lot_id,
    Dim.DAY: ReportDaily.day,
    Dim.HOUR: ReportDaily.hour,
    Dim.LANE: ReportDaily.lane_id,
    Dim.VEHICLE_CLASS: ReportDaily.vehicle_class,
    Dim.CATEGORY: ReportDaily.category,
    Dim.CHANNEL: ReportDaily.channel,
    Dim.PURPOSE: ReportDaily.purpose,
}
# Where each dimension sits in a rollup key (the day is not in the key: it is the day computed).
_KEY_INDEX = {
    Dim.LOT: 0,
    Dim.HOUR: 1,
    Dim.LANE: 2,
    Dim.VEHICLE_CLASS: 3,
    Dim.CATEGORY: 4,
    Dim.CHANNEL: 5,
    Dim.PURPOSE: 6,
}


@dataclass(frozen=True)
class ReportLot:
    id: int
    name: str
    capacity: int
    timezone: str
    region: str = ""


@dataclass(frozen=True)
class Facts:
    """The lots read (in the caller's scope) and the measures per group, keyed by the dimensions' values."""

    lots: list[ReportLot]
    rows: dict[tuple[Any, ...], Slice]
    days: int


def _days(period: DateRange) -> list[date]:
    return [period.first + timedelta(days=i) for i in range((period.last - period.first).days + 1)]


def _group(key: Key, day: date, dims: Sequence[Dim]) -> tuple[Any, ...]:
    return tuple(day if dim is Dim.DAY else key[_KEY_INDEX[dim]] for dim in dims)


def _add(into: Slice, one: Slice) -> None:
    for name in MEASURES:
        setattr(into, name, getattr(into, name) + getattr(one, name))


async def _lots(session: AsyncSession, lot_ids: Sequence[int] | None) -> list[ReportLot]:
    stmt = select(Lot.id, Lot.name, Lot.capacity, Lot.timezone, Lot.region).order_by(Lot.id)
    if lot_ids is not None:
        stmt = stmt.where(Lot.id.in_(list(lot_ids)))
    return [ReportLot(int(i), str(n), int(c), str(tz), str(r)) for i, n, c, tz, r in await session.execute(stmt)]


async def _stale(session: AsyncSession, ids: list[int], period: DateRange) -> tuple[set[tuple[int, date]], ...]:
    """The (lot, day)s of the range already computed, and those marked dirty."""
    done = await session.execute(
        select(ReportDay.lot_id, ReportDay.day).where(
            ReportDay.lot_id.in_(ids), ReportDay.day >= period.first, ReportDay.day <= period.last
        )
    )
    dirty = await session.execute(
        select(ReportDirtyDay.lot_id, ReportDirtyDay.day).where(
            ReportDirtyDay.lot_id.in_(ids), ReportDirtyDay.day >= period.first, ReportDirtyDay.day <= period.last
        )
    )
    return {(int(lot), day) for lot, day in done}, {(int(lot), day) for lot, day in dirty}


async def _catch_up(
    db: Database, lots: dict[int, ReportLot], pending: dict[date, list[int]], now: datetime
) -> dict[date, dict[Key, Slice]]:
    """Compute and store the closed days not stored yet (or dirty): one transaction, a few statements a window."""
    if not pending:
        return {}
    async with db.transaction(Scope.internal()) as tx:
        owners = {lot.id: lot for lot in await lot_days(tx, list(lots))}
        return await refresh_days(
            tx, {day: [owners[i] for i in ids if i in owners] for day, ids in pending.items()}, now
        )


async def _live(session: AsyncSession, lots: list[ReportLot], day: date) -> dict[Key, Slice]:
    slices: dict[Key, Slice] = {}
    for zone, zone_lots in by_zone([LotDay(lot.id, 0, 0, lot.timezone) for lot in lots]).items():
        slices.update(await compute(session, [lot.id for lot in zone_lots], day, zone))
    return slices


async def facts(
    db: Database,
    session: AsyncSession,
    period: DateRange,
    dims: Sequence[Dim],
    now: datetime,
    lot_ids: Sequence[int] | None = None,
) -> Facts:
    """The measures of the lots in the caller's scope (``session``'s) over ``period``, grouped by ``dims``."""
    lots = await _lots(session, lot_ids)
    rows: dict[tuple[Any, ...], Slice] = defaultdict(Slice)
    if not lots:
        return Facts(lots, {}, len(_days(period)))
    ids = [lot.id for lot in lots]
    done, dirty = await _stale(session, ids, period)
    pending: dict[date, list[int]] = defaultdict(list)
    live: dict[date, list[ReportLot]] = defaultdict(list)
    for lot in lots:
        for day in _days(period):
            start, end = day_bounds(day, lot.timezone)
            if end <= now and ((lot.id, day) not in done or (lot.id, day) in dirty):
                pending[day].append(lot.id)
            elif start <= now < end:
                live[day].append(lot)
    in_memory = await _catch_up(db, {lot.id: lot for lot in lots}, pending, now)
    for day, day_lots in live.items():
        # A day can be over for a lot in one time zone and today for one in another: both are kept (keys name lots).
        in_memory.setdefault(day, {}).update(await _live(session, day_lots, day))
    for day, slices in in_memory.items():
        for key, one in slices.items():
            _add(rows[_group(key, day, dims)], one)
    # Every other (lot, day) of the range is stored: one grouped statement reads them all.
    # One condition per day (not per lot and day): at most 92, well inside SQLite's expression depth.
    fresh = [and_(ReportDaily.day == day, ReportDaily.lot_id.in_(lot_ids)) for day, lot_ids in pending.items()]
    columns = [_COLUMNS[dim] for dim in dims]
    stmt = (
        select(*columns, *(func.sum(getattr(ReportDaily, name)) for name in MEASURES))
        .where(ReportDaily.lot_id.in_(ids), ReportDaily.day >= period.first, ReportDaily.day <= period.last)
        .group_by(*columns)
    )
    if fresh:
        stmt = stmt.where(not_(or_(*fresh)))
    for row in await session.execute(stmt):
        one = Slice(**{name: int(value or 0) for name, value in zip(MEASURES, row[len(dims) :], strict=True)})
        _add(rows[tuple(row[: len(dims)])], one)
    return Facts(lots, dict(rows), len(_days(period)))
