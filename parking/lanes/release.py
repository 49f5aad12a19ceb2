"""Letting a waiting car out once its fee is settled (payment, waiver): close the stay, queue one open."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.devices import gates
from parking.devices.models import GateCommand
from parking.lanes import context
from parking.lanes.stays import leave, redeem_bill_coupons
from parking.sessions.enums import EventKind, ReleaseMethod
from parking.sessions.models import LaneEvent, ParkingSession
from parking.tenancy.models import Lane, Lot

# A car held at the exit longer than this has driven off or backed away: a late payment opens nothing.
WAITING_WINDOW = timedelta(minutes=10)


async def waiting_event(session: AsyncSession, stay: ParkingSession, now: datetime) -> LaneEvent | None:
    """The held exit reading of this stay, if it is still the newest reading at its lane."""
    event = await session.scalar(
        select(LaneEvent)
        .where(
            LaneEvent.session_id == stay.id,
            LaneEvent.kind == EventKind.EXIT,
            LaneEvent.opened.is_(False),
            LaneEvent.at >= now - WAITING_WINDOW,
        )
        .order_by(LaneEvent.id.desc())
        .limit(1)
    )
    if event is None:
        return None
    newer = await session.scalar(
        select(LaneEvent.id).where(LaneEvent.lane_id == event.lane_id, LaneEvent.id > event.id).limit(1)
    )
    return None if newer is not None else event


async def release_waiting(
    session: AsyncSession,
    stay: ParkingSession,
    now: datetime,
    method: ReleaseMethod,
    *,
    operator_id: int | None = None,
    reason: str = "",
    promised_fen: int = 0,
) -> GateCommand | None:
    """Call after crediting a payment to ``stay``: when the car waits at an exit and owes nothing more, it
    leaves: the stay closes and one open is queued for the lane. Returns the command, or None (not waiting,
    still owing, or already released: a duplicate payment notice opens nothing).

    ``promised_fen`` counts as paid: money a channel has guaranteed but not yet paid (WeChat's 垫资)."""
    event = await waiting_event(session, stay, now)
    if event is None:
        return None
    lot = await session.get(Lot, stay.lot_id)
    lane = await session.get(Lane, event.lane_id)
    assert lot is not None
    assert lane is not None
    # The payment's credit and the arrears it cleared are ORM changes, and sessions do not autoflush: without
    # this the bill would read the old arrears and hold a car that has paid everything.
    await session.flush()
    facts = await context.load_plate(session, lot.id, stay.plate)
    owed = await context.bill_stay(session, lot, stay, facts, now)
    if owed.due_fen - promised_fen > 0:
        return None
    if not await leave(
        session,
        stay,
        now,
        lane.id,
        fee_due_fen=owed.fee_fen,
        release_method=method,
        released_by_id=operator_id,
        release_reason=reason[:200],
    ):
        return None
    # Nothing due thanks to coupons (an exit matched by an operator): they are consumed. After a payment or a
    # waiver the bill uses no coupon that the payment did not already redeem.
    await redeem_bill_coupons(session, stay.id, owed, now)
    return gates.queue_open(
        session,
        lane,
        now,
        reason=reason or f"released: {method.value}",
        operator_id=operator_id,
        session_id=stay.id,
        lane_event_id=event.id,
    )
