"""What a booth cashier's own shift page reads (交接班 in the mini-program): their open shift, and the lots (with
their lanes) they may open one on. A cashier holds ``cash.collect`` but rarely ``finance.view`` or ``lots.view``,
so neither the ``shifts`` report nor the ``lots`` / ``lanes`` lists are theirs to read."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.reports.shift_models import CashierShift
from parking.tenancy.models import Lane, Lot

# A cashier works a handful of lots; a list this long is already more than a phone's picker can show.
PLACES_MAX = 100


async def open_shift_of(session: AsyncSession, operator_id: int) -> CashierShift | None:
    """The operator's open shift (at most one: a partial unique index), if it is in the session's scope."""
    stmt = select(CashierShift).where(CashierShift.operator_id == operator_id, CashierShift.closed_at.is_(None))
    return (await session.execute(stmt)).scalar_one_or_none()


@dataclass(frozen=True)
class LanePlace:
    lane_id: int
    name: str


@dataclass(frozen=True)
class LotPlace:
    lot_id: int
    name: str
    lanes: tuple[LanePlace, ...]


async def shift_places(session: AsyncSession) -> list[LotPlace]:
    """The first ``PLACES_MAX`` active lots of the session's scope by name, each with its active lanes: two queries."""
    active = select(Lot.id, Lot.name).where(Lot.is_active.is_(True))
    lots = (await session.execute(active.order_by(Lot.name, Lot.id).limit(PLACES_MAX))).all()
    if not lots:
        return []
    lanes: dict[int, list[LanePlace]] = defaultdict(list)
    rows = await session.execute(
        select(Lane.lot_id, Lane.id, Lane.name)
        .where(Lane.lot_id.in_([int(i) for i, _ in lots]), Lane.is_active.is_(True))
        .order_by(Lane.name, Lane.id)
    )
    for lot_id, lane_id, name in rows:
        lanes[int(lot_id)].append(LanePlace(int(lane_id), str(name)))
    return [LotPlace(int(i), str(name), tuple(lanes[int(i)])) for i, name in lots]
