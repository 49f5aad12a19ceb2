"""Camera messages that are no plate reading: recorded once against the device, and what they tell the lane.

A loop detector wired to a camera's IO input reports a car over the loop (``AlarmGioIn``): the latest level of a
lane's input is the presence of a car there. A car that reverses away after its reading (Vzenith trigger 66)
never entered: its pending open is voided and the stay its reading opened is closed, so it leaves no phantom stay.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from parking.alarms.models import AlarmKind
from parking.alarms.service import LotRef, raise_alarm
from parking.devices import gates
from parking.devices import texts as device_texts
from parking.devices.models import DeviceMessage, DeviceMessageKind, GateCommand, GateCommandStatus
from parking.lanes import texts
from parking.lanes.stays import leave
from parking.sessions.enums import ReleaseMethod, SessionState
from parking.sessions.models import ParkingSession
from parking.tenancy.enums import LaneDirection
from parking.tenancy.models import Lane, Lot

# A loop level older than this says nothing about the lane now (a missed "clear" must not block it for ever).
PRESENCE_FRESH_FOR = timedelta(minutes=10)
# A reversal closes a stay only if that stay began at this lane this recently: the car is still at the barrier.
REVERSAL_WINDOW = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class Sender:
    """The device a message came from, as authentication found it."""

    device_id: int
    lane_id: int | None
    lot_id: int


async def _lot_ref(session: AsyncSession, lot_id: int) -> LotRef | None:
    lot = await session.get(Lot, lot_id)
    return None if lot is None else LotRef(lot.agent_id, lot.customer_id, lot.id)


def _message(lot: LotRef, sender: Sender, kind: DeviceMessageKind, at: datetime, **values: object) -> DeviceMessage:
    return DeviceMessage(
        agent_id=lot.agent_id,
        customer_id=lot.customer_id,
        lot_id=lot.lot_id,
        device_id=sender.device_id,
        lane_id=sender.lane_id,
        kind=kind,
        at=at,
        **values,
    )


async def record_message(
    session: AsyncSession,
    sender: Sender,
    kind: DeviceMessageKind,
    at: datetime,
    *,
    io_input: int | None = None,
    io_value: int | None = None,
    detail: str = "",
    image_ref: str = "",
) -> None:
    lot = await _lot_ref(session, sender.lot_id)
    if lot is None:
        return
    session.add(
        _message(lot, sender, kind, at, io_input=io_input, io_value=io_value, detail=detail[:200], image_ref=image_ref)
    )


async def record_dropped_fields(session: AsyncSession, sender: Sender, dropped: tuple[str, ...], at: datetime) -> None:
    """A reading kept without some of its fields: recorded, and one alarm (counted, not repeated) for the lot."""
    lot = await _lot_ref(session, sender.lot_id)
    if lot is None:
        return
    detail = "; ".join(dropped)[:200]
    session.add(_message(lot, sender, DeviceMessageKind.DROPPED_FIELDS, at, detail=detail))
    await raise_alarm(
        session,
        lot,
        AlarmKind.DEVICE_DATA,
        device_texts.text(device_texts.DeviceText.FIELDS_DROPPED, device=sender.device_id, detail=detail)[:200],
        now=at,
        lane_id=sender.lane_id,
        device_id=sender.device_id,
        details={"dropped": list(dropped)[:10]},
    )


async def take_open_for_car(session: AsyncSession, sender: Sender, plate: str, now: datetime) -> bool:
    """The lane's pending open for this very car (released by a payment or an operator while it waited), taken
    exactly once for the reply to its camera's push: a camera in normal heartbeat mode ignores heartbeat replies,
    and the push is the one reply it acts on. False when none is pending for this plate."""
    if sender.lane_id is None:
        return False
    # Only an open for the plate's latest stay: an older stay's open still pending (nobody took it) must never let
    # the same car out on a later visit that owes.
    latest_stay = (
        select(func.max(ParkingSession.id))
        .where(ParkingSession.lot_id == sender.lot_id, ParkingSession.plate == plate)
        .scalar_subquery()
    )
    command_id = await session.scalar(
        select(GateCommand.id)
        .join(ParkingSession, ParkingSession.id == GateCommand.session_id)
        .where(
            GateCommand.lane_id == sender.lane_id,
            GateCommand.status == GateCommandStatus.PENDING,
            GateCommand.expires_at > now,
            ParkingSession.plate == plate,
            ParkingSession.id == latest_stay,
        )
        .order_by(GateCommand.issued_at.desc())
        .limit(1)
    )
    if command_id is None:
        return False
    taken = await session.execute(
        update(GateCommand)
        .where(GateCommand.id == command_id, GateCommand.status == GateCommandStatus.PENDING)
        .values(status=GateCommandStatus.DONE, completed_at=now, result="taken by the reply to the camera's push")
        .execution_options(synchronize_session=False)
    )
    if not getattr(taken, "rowcount", 0):
        return False
    await record_message(session, sender, DeviceMessageKind.OPEN_BY_PUSH, now, detail=plate)
    return True


async def lane_presence(
    session: AsyncSession, lane_id: int, now: datetime, *, io_input: int | None = None
) -> bool | None:
    """Whether the lane's loop detector sees a car: the latest recent IO level reported for the lane (None: no
    recent report). ``io_input`` picks one input when a camera has several wired."""
    stmt = (
        select(DeviceMessage.io_value)
        .where(
            DeviceMessage.lane_id == lane_id,
            DeviceMessage.kind == DeviceMessageKind.IO_INPUT,
            DeviceMessage.at >= now - PRESENCE_FRESH_FOR,
        )
        .order_by(DeviceMessage.at.desc(), DeviceMessage.id.desc())
        .limit(1)
    )
    if io_input is not None:
        stmt = stmt.where(DeviceMessage.io_input == io_input)
    level = await session.scalar(stmt)
    return None if level is None else level != 0


async def record_reversal(session: AsyncSession, sender: Sender, plate: str, now: datetime) -> bool:
    """The car read at the lane backed away: nothing pending opens for it, and at an entry the stay its reading
    opened (at this lane, moments ago) is closed as never entered. True when a stay was closed."""
    await record_message(session, sender, DeviceMessageKind.REVERSED, now, detail=plate)
    if sender.lane_id is None:
        return False
    await gates.void_pending(session, sender.lane_id, now, "the car reversed away")
    lane = await session.get(Lane, sender.lane_id)
    if lane is None or lane.direction is not LaneDirection.ENTRY or lane.area_id is not None:
        return False
    stay = await session.scalar(
        select(ParkingSession)
        .where(
            ParkingSession.lot_id == lane.lot_id,
            ParkingSession.plate == plate,
            ParkingSession.state == SessionState.IN_LOT,
            ParkingSession.parent_id.is_(None),
            ParkingSession.entry_lane_id == lane.id,
            ParkingSession.entry_at >= now - REVERSAL_WINDOW,
        )
        .order_by(ParkingSession.entry_at.desc())
        .limit(1)
    )
    if stay is None:
        return False
    return await leave(
        session,
        stay,
        now,
        lane.id,
        fee_due_fen=0,
        release_method=ReleaseMethod.AUTOMATIC,
        release_reason=texts.REVERSED_AWAY,
        note="reversed away at the entry: never entered",
    )
