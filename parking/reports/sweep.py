"""Finding the closed days that changed after they were rolled up, and computing them again.

Rather than a hook in every use-case that may touch a past day (the edge agent's offline replay, late pairing,
refunds, an operator's correction, and those still to come), the sweep reads what changed: the stays, orders
and refunds whose ``updated_at`` moved since the last sweep (by an index each), and marks the local days their
instants fall on (entry, exit, payment, refund completion) when those days are over. Every source write sets
``updated_at`` (the column's ``onupdate`` applies to Core updates too), so nothing needs to remember to mark.

The sweep re-reads ``OVERLAP`` before its last mark, so a transaction that stamped its rows and committed a
little later is still seen; marking twice costs one recomputation, never a wrong figure.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select, union
from sqlalchemy.ext.asyncio import AsyncSession

from parking.common.database import Database
from parking.common.localtime import LocalDay
from parking.common.scope import Scope
from parking.payments.models import PaymentOrder, Refund
from parking.payments.statement import day_bounds, previous_day
from parking.reports.models import ReportDirtyDay, ReportSweep
from parking.reports.rollup import LotDay, lot_days, refresh_days, upsert_for
from parking.sessions.models import ParkingSession
from parking.tenancy.models import Lot

logger = logging.getLogger(__name__)

SOURCE = "report_sources"
OVERLAP = timedelta(minutes=10)
# The first sweep of a database looks this far back (older days are computed on read when first asked for).
FIRST_LOOK = timedelta(days=2)
# At most this many marked (lot, day)s are computed by one run of the job; the next run takes the rest.
BATCH = 200


def _touched(since: datetime, until: datetime) -> Any:
    """(lot id, local day) of every instant of a source row changed in [since, until)."""

    def days(table: Any, lot: Any, at: Any) -> Any:
        label = LocalDay(at, Lot.timezone)
        return (
            select(lot.label("lot_id"), label.label("day"))
            .select_from(table)
            .join(Lot, Lot.id == lot)
            .where(table.updated_at >= since, table.updated_at < until, at.is_not(None))
        )

    return union(
        days(ParkingSession, ParkingSession.lot_id, ParkingSession.entry_at),
        days(ParkingSession, ParkingSession.lot_id, ParkingSession.exit_at),
        days(PaymentOrder, PaymentOrder.lot_id, PaymentOrder.paid_at),
        days(Refund, Refund.lot_id, Refund.completed_at),
    )


async def mark(tx: AsyncSession, since: datetime, until: datetime) -> int:
    """Mark the closed (lot, day)s that source rows changed in [since, until) touched; how many."""
    touched = [(int(lot), date.fromisoformat(day)) for lot, day in await tx.execute(_touched(since, until))]
    if not touched:
        return 0
    zones = {lot.id: lot.timezone for lot in await lot_days(tx, sorted({lot for lot, _ in touched}))}
    closed = [
        {"lot_id": lot, "day": day, "marked_at": until}
        for lot, day in touched
        if lot in zones and day_bounds(day, zones[lot])[1] <= until
    ]
    if closed:
        upsert = upsert_for(tx)(ReportDirtyDay).values(closed)
        await tx.execute(upsert.on_conflict_do_update(index_elements=["lot_id", "day"], set_={"marked_at": until}))
    return len(closed)


async def sweep(db: Database, now: datetime) -> int:
    """Mark what changed since the last sweep (less ``OVERLAP``) up to ``now``; how many days were marked."""
    async with db.transaction(Scope.internal()) as tx:
        held = await tx.get(ReportSweep, SOURCE, with_for_update=True)
        since = (held.swept_to if held is not None else now - FIRST_LOOK) - OVERLAP
        marked = await mark(tx, since, now)
        upsert = upsert_for(tx)(ReportSweep).values(source=SOURCE, swept_to=now)
        await tx.execute(upsert.on_conflict_do_update(index_elements=["source"], set_={"swept_to": now}))
    if marked:
        logger.info("report sweep: %s closed lot days changed", marked)
    return marked


async def refresh_marked(db: Database, now: datetime, limit: int = BATCH) -> int:
    """Compute again up to ``limit`` marked (lot, day)s, oldest mark first; how many were computed."""
    async with db.transaction(Scope.internal()) as tx:
        marks = (
            await tx.execute(
                select(ReportDirtyDay.lot_id, ReportDirtyDay.day).order_by(ReportDirtyDay.marked_at).limit(limit)
            )
        ).all()
        lots = {lot.id: lot for lot in await lot_days(tx, sorted({int(lot_id) for lot_id, _ in marks}))}
        by_day: dict[date, list[LotDay]] = defaultdict(list)
        for lot_id, day in marks:
            if int(lot_id) in lots:
                by_day[day].append(lots[int(lot_id)])
        await refresh_days(tx, by_day, now)
    return len(marks)


async def refresh_previous_days(db: Database, now: datetime) -> int:
    """Every lot's day before today in its own time zone (the nightly rollup); how many lots."""
    async with db.transaction(Scope.internal()) as tx:
        lots = await lot_days(tx)
        by_day: dict[date, list[LotDay]] = defaultdict(list)
        for lot in lots:
            by_day[previous_day(now, lot.timezone)].append(lot)
        await refresh_days(tx, by_day, now)
    return len(lots)
