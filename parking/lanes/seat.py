"""Cloud-seat (云座席) actions on a lane: remote open, plate correction, matching an exit, waiving a fee.

Each needs a reason where money or access is at stake, is audited, and changes a session only through the
same helpers the lane flow uses, so occupancy and group spaces stay exact.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.accounts.permissions import Perm
from parking.alarms.models import AlarmKind
from parking.alarms.service import LotRef, raise_alarm
from parking.common import crud
from parking.common.actor import Actor
from parking.common.audit import record, snapshot
from parking.common.errors import DomainError, ErrorCode
from parking.devices import gates
from parking.devices.models import GateCommand
from parking.lanes import context, texts
from parking.lanes.release import release_waiting
from parking.lanes.stays import leave, occupy, redeem_bill_coupons
from parking.merchants.redemption import give_back
from parking.plates import NO_PLATE, InvalidPlate, normalize_plate
from parking.sessions.billing import Bill
from parking.sessions.enums import EventKind, ReadingSource, ReleaseMethod, SessionState
from parking.sessions.models import LaneEvent, ParkingSession
from parking.tenancy.enums import VehicleCategory
from parking.tenancy.models import Lane, Lot

# The reading a remote open answers: the car at the barrier now, read at most this long ago.
CURRENT_CAR = timedelta(minutes=5)


def _reason(reason: str) -> str:
    text = reason.strip()
    if not text:
        raise DomainError(ErrorCode.INVALID, "a reason is required", "reason")
    if len(text) > 200:
        raise DomainError(ErrorCode.INVALID, "the reason is longer than 200 characters", "reason")
    return text


def _audit(
    session: AsyncSession, actor: Actor, action: str, stay: ParkingSession, before: dict[str, Any] | None
) -> None:
    record(
        session, actor, action, "parking_session", entity_id=stay.id, before=before, after=snapshot(stay), tenant=stay
    )


async def _owed(session: AsyncSession, stay: ParkingSession, now: datetime) -> Bill:
    lot = await _lot(session, stay.lot_id)
    facts = await context.load_plate(session, lot.id, stay.plate)
    return await context.bill_stay(session, lot, stay, facts, now)


async def _lot(session: AsyncSession, lot_id: int) -> Lot:
    lot = await session.get(Lot, lot_id)
    assert lot is not None
    return lot


async def _current_event(session: AsyncSession, lane: Lane, now: datetime) -> LaneEvent | None:
    event = await session.scalar(
        select(LaneEvent).where(LaneEvent.lane_id == lane.id).order_by(LaneEvent.id.desc()).limit(1)
    )
    if event is None or event.opened or now - event.received_at > CURRENT_CAR:
        return None
    return event


async def _admit(session: AsyncSession, lot: Lot, lane: Lane, event: LaneEvent) -> int | None:
    """A held entry let in by an operator becomes a stay, unless the car already has one."""
    if event.plate == NO_PLATE or await context.open_stay(session, lot.id, event.plate) is not None:
        return None
    facts = await context.load_plate(session, lot.id, event.plate)
    standing = context.standing_of(facts, event.at, context.LaneSite(lane, lot, None).tz)
    stay = ParkingSession(
        agent_id=lot.agent_id,
        customer_id=lot.customer_id,
        lot_id=lot.id,
        plate=event.plate,
        plate_color=event.plate_color,
        vehicle_class=context.class_of(facts, event.plate_color),
        category=standing.category if not standing.blacklisted else VehicleCategory.TEMPORARY,
        entry_at=event.at,
        entry_lane_id=lane.id,
        pass_id=standing.pass_id,
        note="let in by an operator",
    )
    session.add(stay)
    await session.flush()
    await occupy(session, lot.id, None, +1)
    return stay.id


async def remote_open(session: AsyncSession, actor: Actor, lane_id: str, reason: str, now: datetime) -> GateCommand:
    """Open a lane for the car at it now; the command is void after 30 s or when another car is read."""
    actor.require(Perm.GATE_REMOTE_OPEN)
    why = _reason(reason)
    lane = await crud.get(session, Lane, lane_id, "laneId")
    lot = await _lot(session, lane.lot_id)
    event = await _current_event(session, lane, now)
    session_id: int | None = None
    if event is not None and event.kind is EventKind.EXIT and event.session_id is not None:
        stay = await session.get(ParkingSession, event.session_id)
        if stay is not None and stay.state is SessionState.IN_LOT:
            owed = await _owed(session, stay, now)
            # Let out without paying: what is owed stays on record as arrears, never silently lost.
            if await leave(
                session,
                stay,
                now,
                lane.id,
                fee_due_fen=owed.fee_fen,
                arrears_fen=owed.parking_due_fen,
                release_method=ReleaseMethod.SOFTWARE,
                released_by_id=actor.operator_id,
                release_reason=why,
            ):
                await redeem_bill_coupons(session, stay.id, owed, now)  # the arrears are what is left after them
            session_id = stay.id
    elif event is not None and event.kind is EventKind.ENTRY:
        session_id = await _admit(session, lot, lane, event)
    await gates.void_pending(session, lane.id, now, "replaced by a remote open")
    command = gates.queue_open(
        session,
        lane,
        now,
        reason=why,
        operator_id=actor.operator_id,
        session_id=session_id,
        lane_event_id=event.id if event is not None else None,
        image_ref=event.image_ref if event is not None else "",
    )
    if event is not None:
        event.opened = True
        if session_id is not None and event.session_id is None:
            event.session_id = session_id
    await session.flush()
    await raise_alarm(
        session,
        LotRef(lot.agent_id, lot.customer_id, lot.id),
        AlarmKind.MANUAL_OPEN,
        texts.text(texts.LaneText.ALARM_MANUAL_OPEN, operator=actor.name, why=why),
        now=now,
        lane_id=lane.id,
        session_id=session_id,
        plate=event.plate if event is not None else "",
        details={"operator_id": actor.operator_id, "command_id": command.id},
    )
    record(
        session,
        actor,
        "lane.remote_open",
        "gate_command",
        entity_id=command.id,
        after=snapshot(command),
        tenant=command,
    )
    return command


async def correct_plate(
    session: AsyncSession, actor: Actor, session_id: str, plate: str, reason: str
) -> ParkingSession:
    """Fix a misread plate on a stay, open or closed; an open stay cannot take a plate already inside."""
    actor.require(Perm.SESSIONS_CORRECT)
    why = _reason(reason)
    try:
        fixed = normalize_plate(plate)
    except InvalidPlate as err:
        raise DomainError(ErrorCode.INVALID, f"not a plate: {plate!r}", "plate") from err
    stay = await crud.get(session, ParkingSession, session_id, "sessionId")
    before = snapshot(stay)
    inside = stay.state is SessionState.IN_LOT and stay.parent_id is None
    if inside and fixed != stay.plate and await context.open_stay(session, stay.lot_id, fixed) is not None:
        raise DomainError(ErrorCode.CONFLICT, f"{fixed} already has an open stay in this lot", "plate")
    stay.plate = fixed
    stay.note = f"plate corrected: {why}"[:200]
    await session.flush()
    _audit(session, actor, "session.correct_plate", stay, before)
    return stay


async def match_exit(
    session: AsyncSession, actor: Actor, event_id: str, session_id: str, now: datetime
) -> ParkingSession:
    """The cloud seat picks which open stay an exit without entry belongs to (a fuzzy-match candidate)."""
    actor.require(Perm.SESSIONS_CORRECT)
    event = await crud.get(session, LaneEvent, event_id, "eventId")
    if event.kind is not EventKind.EXIT or event.session_id is not None or event.opened:
        raise DomainError(ErrorCode.CONFLICT, "this reading is not an unmatched exit", "eventId")
    stay = await crud.get(session, ParkingSession, session_id, "sessionId")
    if stay.lot_id != event.lot_id or stay.state is not SessionState.IN_LOT or stay.parent_id is not None:
        raise DomainError(ErrorCode.CONFLICT, "the stay is not open in this lot", "sessionId")
    before = snapshot(stay)
    event.session_id = stay.id
    event.source = ReadingSource.OPERATOR
    if event.plate != stay.plate:
        stay.note = f"exit read as {event.plate}"[:200]
    owed = await _owed(session, stay, now)
    stay.fee_due_fen = owed.fee_fen
    await session.flush()
    if owed.due_fen == 0:
        await release_waiting(
            session, stay, now, ReleaseMethod.SOFTWARE, operator_id=actor.operator_id, reason="matched by operator"
        )
        await session.refresh(stay)
    _audit(session, actor, "session.match_exit", stay, before)
    return stay


async def waive_fee(session: AsyncSession, actor: Actor, session_id: str, reason: str, now: datetime) -> ParkingSession:
    """Forgive what a stay still owes for parking (not arrears of other stays); a waiting car is let out. What
    coupons took off is forgiven too: coupons an earlier payment of the stay redeemed go back to the plate."""
    actor.require(Perm.FEES_WAIVE)
    why = _reason(reason)
    stay = await crud.get(session, ParkingSession, session_id, "sessionId")
    if stay.state is not SessionState.IN_LOT:
        raise DomainError(ErrorCode.CONFLICT, "the stay is closed", "sessionId")
    before = snapshot(stay)
    owed = await _owed(session, stay, now)
    # The coupons' part is forgiven too, so none is consumed: redeemed ones go back, the others stay unused.
    stay.discount_fen += owed.parking_due_fen + owed.coupon_fen
    stay.note = f"fee waived: {why}"[:200]
    await session.flush()
    if any(u.redeemed for u in owed.coupons):
        await give_back(session, stay.id, now)
    await release_waiting(session, stay, now, ReleaseMethod.SOFTWARE, operator_id=actor.operator_id, reason=why)
    await session.refresh(stay)  # the release closed it with a conditional UPDATE
    _audit(session, actor, "session.waive_fee", stay, before)
    return stay
