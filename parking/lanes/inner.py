"""A reading at an inner-lot gate (大场套小场): the car's child stay inside its outer stay, opened or closed."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.lanes import context
from parking.lanes.decisions import Decision, Reading, decide_inner
from parking.lanes.stays import close_stay, occupy_at_commit
from parking.sessions.enums import ReleaseMethod, SessionState
from parking.sessions.models import ParkingSession


async def on_inner(
    tx: AsyncSession, site: context.LaneSite, read: Reading, entering: bool
) -> tuple[Decision, int | None]:
    """The inner gate's decision and the child stay it opened or closed."""
    lot, area = site.lot, site.area
    assert area is not None
    facts = await context.load_plate(tx, lot.id, read.plate)
    decision = decide_inner(entering, read, context.standing_of(facts, read.at, site.tz))
    if not decision.opens:
        return decision, None
    outer = await context.open_stay(tx, lot.id, read.plate)
    if outer is None:
        return decision, None  # read at an inner gate with no outer entry: opens, recorded on the event only
    child = await tx.scalar(
        select(ParkingSession).where(
            ParkingSession.parent_id == outer.id,
            ParkingSession.area_id == area.id,
            ParkingSession.state == SessionState.IN_LOT,
        )
    )
    if entering:
        if child is not None:
            return decision, child.id
        child = ParkingSession(
            agent_id=lot.agent_id,
            customer_id=lot.customer_id,
            lot_id=lot.id,
            area_id=area.id,
            parent_id=outer.id,
            plate=read.plate,
            plate_color=read.color,
            vehicle_class=outer.vehicle_class,
            category=outer.category,
            entry_at=read.at,
            entry_lane_id=site.lane.id,
        )
        tx.add(child)
        await tx.flush()
        occupy_at_commit(tx, None, area.id, +1)
        return decision, child.id
    if child is None:
        return decision, None
    if await close_stay(tx, child, read.at, site.lane.id, release_method=ReleaseMethod.AUTOMATIC):
        occupy_at_commit(tx, None, area.id, -1)
    return decision, child.id
