"""Gate commands: recorded once each, delivered through the camera reply or taken by the camera's poll.

A command waiting to be delivered is valid for a short window (30 s by default) and then void, and a newer
reading of another car at the lane voids it at once: a remote open never opens for the next car.

The one home of gate commands: the ``GateCommand`` table is in ``parking.devices.models``; an open sent on to a
lane's hardware barriers is ``parking.devices.gate_relay``, one taken by a camera's poll ``camera_relay``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from parking.common.domain_events import DomainEvent, emit
from parking.common.services import ServiceKey, Services
from parking.devices.models import GateCommand, GateCommandKind, GateCommandStatus
from parking.devices.wakeup import wake_on_commit
from parking.tenancy.models import Lane

VALIDITY = timedelta(seconds=30)


@dataclass(frozen=True, slots=True)
class OpenRef:
    """Which open to relay: a gate command by id, or the one recorded for a reading (by its lane event)."""

    command_id: int | None = None
    lane_event_id: int | None = None


#: ``(lane_id, OpenRef)`` -> sends a committed open on to the lane's hardware barriers (Modbus relay, ISAPI); set
#: by the composition root in ``Database.services`` (see ``parking.devices.gate_relay``).
GateRelay = Callable[[int, OpenRef], Awaitable[None]]
GATE_RELAY_SERVICE = ServiceKey[GateRelay]("gate_relay")


@dataclass(frozen=True, slots=True)
class GateOpenQueued(DomainEvent):
    """A lane's new open, committed: the gate relay sends it on to the lane's hardware barriers.

    The open by its row (whose id the commit's flush assigned, so it is read on delivery) or by the reading's
    lane event (rows inserted with Core have no object to carry)."""

    lane_id: int
    command: GateCommand | None = None
    lane_event_id: int | None = None

    @property
    def ref(self) -> OpenRef:
        return OpenRef(self.command.id if self.command is not None else None, self.lane_event_id)


async def relay_open(event: GateOpenQueued, services: Services) -> None:
    """The handler of ``GateOpenQueued``: the relay the app installed (none: nothing to send on)."""
    relay = services.get(GATE_RELAY_SERVICE)
    if relay is not None:
        await relay(event.lane_id, event.ref)


def _tenant(lane: Lane) -> dict[str, int]:
    return {"agent_id": lane.agent_id, "customer_id": lane.customer_id, "lot_id": lane.lot_id}


def relay_on_commit(
    session: AsyncSession, lane_id: int, *, command: GateCommand | None = None, lane_event_id: int | None = None
) -> None:
    """After commit, hand the lane's new open to the gate relay (if the app installed one): the open by its row, or
    the one recorded for a reading by that reading's event (rows inserted with Core have no object to carry).
    The lane's held comet polls are woken too, so a camera acting on its poll replies takes a queued open."""
    wake_on_commit(session, lane_id=lane_id)
    emit(session, GateOpenQueued(lane_id, command, lane_event_id))


def reply_open_row(lane: Lane, now: datetime, *, lane_event_id: int, session_id: int | None) -> dict[str, Any]:
    """An open carried by the reply to the camera's own push (delivered by the answer itself), as a full row:
    the lane flow inserts it with Core (see ``last_writes``)."""
    return _row(lane, GateCommandStatus.DONE, now, now, now, session_id, lane_event_id, result="camera_reply")


def queue_open_row(
    lane: Lane,
    now: datetime,
    *,
    reason: str,
    operator_id: int | None = None,
    session_id: int | None = None,
    lane_event_id: int | None = None,
    image_ref: str = "",
    validity: timedelta = VALIDITY,
) -> dict[str, Any]:
    """An open waiting for the camera's poll, valid for ``validity``, as a full row."""
    return _row(
        lane,
        GateCommandStatus.PENDING,
        now,
        now + validity,
        None,
        session_id,
        lane_event_id,
        operator_id=operator_id,
        reason=reason[:200],
        image_ref=image_ref,
    )


def _row(
    lane: Lane,
    status: GateCommandStatus,
    issued_at: datetime,
    expires_at: datetime,
    completed_at: datetime | None,
    session_id: int | None,
    lane_event_id: int | None,
    *,
    operator_id: int | None = None,
    reason: str = "",
    result: str = "",
    image_ref: str = "",
) -> dict[str, Any]:
    return {
        **_tenant(lane),
        "lane_id": lane.id,
        "kind": GateCommandKind.OPEN,
        "status": status,
        "issued_at": issued_at,
        "expires_at": expires_at,
        "completed_at": completed_at,
        "operator_id": operator_id,
        "session_id": session_id,
        "lane_event_id": lane_event_id,
        "reason": reason,
        "result": result,
        "image_ref": image_ref,
    }


def queue_open(
    session: AsyncSession,
    lane: Lane,
    now: datetime,
    *,
    reason: str,
    operator_id: int | None = None,
    session_id: int | None = None,
    lane_event_id: int | None = None,
    image_ref: str = "",
    validity: timedelta = VALIDITY,
) -> GateCommand:
    row = queue_open_row(
        lane,
        now,
        reason=reason,
        operator_id=operator_id,
        session_id=session_id,
        lane_event_id=lane_event_id,
        image_ref=image_ref,
        validity=validity,
    )
    command = GateCommand(**row)
    session.add(command)
    relay_on_commit(session, lane.id, command=command)
    return command


async def void_pending(session: AsyncSession, lane_id: int, now: datetime, why: str) -> int:
    """Pending commands of a lane become void (expired ones, or all when another car is at the barrier)."""
    result = await session.execute(
        update(GateCommand)
        .where(GateCommand.lane_id == lane_id, GateCommand.status == GateCommandStatus.PENDING)
        .values(status=GateCommandStatus.EXPIRED, completed_at=now, result=why[:200])
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def expire_overdue(session: AsyncSession, now: datetime, lane_id: int | None = None) -> int:
    stmt = (
        update(GateCommand)
        .where(GateCommand.status == GateCommandStatus.PENDING, GateCommand.expires_at <= now)
        .values(status=GateCommandStatus.EXPIRED, completed_at=now, result="not delivered in time")
        .execution_options(synchronize_session=False)
    )
    if lane_id is not None:
        stmt = stmt.where(GateCommand.lane_id == lane_id)
    result = await session.execute(stmt)
    return int(getattr(result, "rowcount", 0) or 0)


async def take_pending(session: AsyncSession, lane_id: int, now: datetime) -> GateCommand | None:
    """The camera asks for work: the newest valid pending open, marked delivered exactly once."""
    await expire_overdue(session, now, lane_id)
    command = await session.scalar(
        select(GateCommand)
        .where(GateCommand.lane_id == lane_id, GateCommand.status == GateCommandStatus.PENDING)
        .order_by(GateCommand.issued_at.desc(), GateCommand.id.desc())
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    if command is None:
        return None
    # Conditional update: of two concurrent polls only one changes the row, and only that one opens.
    done = await session.execute(
        update(GateCommand)
        .where(GateCommand.id == command.id, GateCommand.status == GateCommandStatus.PENDING)
        .values(status=GateCommandStatus.DONE, completed_at=now, result="taken by camera poll")
        .execution_options(synchronize_session=False)
    )
    if not getattr(done, "rowcount", 0):
        return None
    await session.refresh(command)
    return command
