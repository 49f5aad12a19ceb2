"""Finding the other half of a stay whose offline entry and exit reached the cloud in the wrong order.

The edge replays what it decided alone in its own order, but two outboxes (an edge restarted mid-outage) or a
camera's own offline records can interleave, so an exit may arrive before the entry of its stay. Such an exit
finds no open stay and is kept as an *orphan exit* (an offline exit event with no session); an entry that
arrives after a later stay of the same car began is kept as an *orphan entry* (an offline entry that opened and
has no session). When the missing half arrives, the two make one stay, created already closed. A half only pairs
with the nearest orphan on its side of time that no other stay of the car separates from it, and an offline exit
that falls inside a stay a later offline exit closed ends that stay instead (the later exit waits again).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.alarms.models import AlarmKind
from parking.alarms.service import resolve_open
from parking.lanes.decisions import Reason
from parking.sessions.enums import EventKind, SessionState
from parking.sessions.models import LaneEvent, ParkingSession


def _stays_of(lot_id: int, plate: str) -> list[ColumnElement[bool]]:
    return [
        ParkingSession.lot_id == lot_id,
        ParkingSession.plate == plate,
        ParkingSession.driver_key.is_(None),
        ParkingSession.parent_id.is_(None),
    ]


async def orphan_exit_after(session: AsyncSession, lot_id: int, plate: str, at: datetime) -> LaneEvent | None:
    """The first orphan exit of this plate after ``at``, unless another stay of the car began in between."""
    next_entry = await session.scalar(
        select(func.min(ParkingSession.entry_at)).where(*_stays_of(lot_id, plate), ParkingSession.entry_at > at)
    )
    stmt = select(LaneEvent).where(
        LaneEvent.lot_id == lot_id,
        LaneEvent.plate == plate,
        LaneEvent.kind == EventKind.EXIT,
        LaneEvent.is_offline.is_(True),
        LaneEvent.session_id.is_(None),
        LaneEvent.decision_reason == Reason.EXIT_WITHOUT_ENTRY.value,
        LaneEvent.at > at,
    )
    if next_entry is not None:
        stmt = stmt.where(LaneEvent.at < next_entry)
    return await session.scalar(stmt.order_by(LaneEvent.at, LaneEvent.id).limit(1).with_for_update())


async def orphan_entry_before(session: AsyncSession, lot_id: int, plate: str, at: datetime) -> LaneEvent | None:
    """The last orphan entry of this plate before ``at``, unless another stay of the car ended in between."""
    last_exit = await session.scalar(
        select(func.max(ParkingSession.exit_at)).where(*_stays_of(lot_id, plate), ParkingSession.exit_at < at)
    )
    stmt = select(LaneEvent).where(
        LaneEvent.lot_id == lot_id,
        LaneEvent.plate == plate,
        LaneEvent.kind == EventKind.ENTRY,
        LaneEvent.is_offline.is_(True),
        LaneEvent.session_id.is_(None),
        LaneEvent.opened.is_(True),
        LaneEvent.at < at,
    )
    if last_exit is not None:
        stmt = stmt.where(LaneEvent.at > last_exit)
    return await session.scalar(stmt.order_by(LaneEvent.at.desc(), LaneEvent.id.desc()).limit(1).with_for_update())


async def exit_after_inside(session: AsyncSession, lot_id: int, plate: str, at: datetime) -> LaneEvent | None:
    """The offline exit that closed a stay of this plate which began before ``at`` and ended after it.

    Such a stay was paired with an exit too late for it (records came as: exit 4, entry 1, then exit 2): the
    exit at ``at`` is its real end, and that later exit belongs to an entry still to come.
    """
    return await session.scalar(
        select(LaneEvent)
        .join(ParkingSession, ParkingSession.id == LaneEvent.session_id)
        .where(
            *_stays_of(lot_id, plate),
            ParkingSession.state != SessionState.IN_LOT,
            ParkingSession.entry_at < at,
            ParkingSession.exit_at > at,
            LaneEvent.kind == EventKind.EXIT,
            LaneEvent.is_offline.is_(True),
            LaneEvent.at == ParkingSession.exit_at,
        )
        .order_by(ParkingSession.entry_at.desc())
        .limit(1)
        .with_for_update()
    )


async def resolve_exit_alarm(session: AsyncSession, orphan: LaneEvent, now: datetime) -> None:
    """The orphan exit raised "exit without entry"; its entry has come, so the alarm is answered."""
    await resolve_open(
        session,
        AlarmKind.EXIT_WITHOUT_ENTRY,
        now,
        "its entry was replayed after it",
        lane_id=orphan.lane_id,
        plate=orphan.plate,
    )
