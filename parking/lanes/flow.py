"""A reading at a lane, end to end: record it once, decide, change the session and occupancy, answer.

The decision runs inside one short transaction and never waits on a queue: the camera's HTTP reply carries the
barrier command. Side effects (lane-event and alarm publications, recognition jobs) run after commit. What each
kind of lane does with the reading reads straight through in ``entries``, ``exits`` and ``inner``; offline
records that reach the cloud out of order are paired in ``late_pairs``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from parking.alarms.models import AlarmKind
from parking.alarms.service import LotRef, raise_alarm
from parking.common.database import Database, lost_connection
from parking.common.db import utcnow
from parking.common.domain_events import emit
from parking.common.events import lane_events_topic, publish_on_commit
from parking.common.scope import Scope
from parking.devices import gates
from parking.lanes import context, entries, exits, inner, last_writes, ports, texts
from parking.lanes.decisions import Action, Decision, Reading, Reason
from parking.lanes.sites import SiteCache
from parking.lanes.stays import pop_occupancy
from parking.plates import NO_PLATE, PlateColor, read_plate
from parking.sessions.enums import EventKind, ReadingSource
from parking.sessions.models import LaneEvent
from parking.tenancy.enums import LaneDirection

logger = logging.getLogger(__name__)

ATTEMPTS = 4


class UnknownLane(LookupError):
    pass


@dataclass(frozen=True, slots=True)
class InputNote:
    """Something wrong with the reading itself (unreadable plate text, a camera clock not believed), raised as an
    alarm with the reading's event in the decision's transaction."""

    kind: AlarmKind
    message: str
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class LaneInput:
    """One reading, decoded and normalised by whoever received it (camera endpoint, QR scan, edge replay)."""

    lane_id: int
    plate: str
    color: PlateColor
    confidence: float
    at: datetime
    dedup_key: str
    device_id: int | None = None
    source: ReadingSource = ReadingSource.CAMERA
    is_offline: bool = False
    image_ref: str = ""
    driver_key: str | None = None
    notes: tuple[InputNote, ...] = ()


def gated(reading: LaneInput, now: datetime) -> LaneInput:
    """The reading as the flow takes it, whoever sent it: a plate under the grammar (anything else goes the no-plate
    way with an ``unreadable_plate`` alarm), and a replayed record never later than its arrival (a camera clock
    ahead would otherwise make a stay that ends before it began)."""
    changes: dict[str, Any] = {}
    if reading.plate != NO_PLATE:
        read = read_plate(reading.plate)
        if read.unreadable is not None:
            note = InputNote(
                AlarmKind.UNREADABLE_PLATE,
                texts.text(texts.LaneText.ALARM_UNREADABLE_PLATE, text=read.unreadable[:40]),
                {"text": read.unreadable, "image_ref": reading.image_ref},
            )
            changes.update(plate=NO_PLATE, confidence=0.0, notes=(*reading.notes, note))
        elif read.plate != reading.plate:
            changes["plate"] = read.plate
    if reading.at > now:
        changes["at"] = now
    return replace(reading, **changes) if changes else reading


@dataclass(frozen=True, slots=True)
class Outcome:
    event_id: int
    decision: Decision
    session_id: int | None = None
    duplicate: bool = False
    lot_id: int | None = None


async def handle_reading(
    db: Database, reading: LaneInput, now: datetime | None = None, *, sites: SiteCache | None = None
) -> Outcome:
    """Decide and record; a race on the open-session index (two lanes, one plate) retries and then sees it.

    A connection the database dropped (restart, failover) is retried on a fresh one: the reading's dedup key
    makes that safe even when the lost statement was the commit, since the retry then replays the recorded
    decision. ``sites`` (the API's) serves the lane, lot and tariffs from memory; without it they are read
    each time.
    """
    now = now or utcnow()
    reading = gated(reading, now)
    for attempt in range(ATTEMPTS):
        try:
            async with db.transaction(Scope.internal()) as tx:
                return await _handle(tx, reading, now, sites)
        except IntegrityError:
            if attempt == ATTEMPTS - 1:
                raise
            logger.info("lane %s: concurrent change, deciding again", reading.lane_id)
        except DBAPIError as error:
            if attempt == ATTEMPTS - 1 or not lost_connection(error):
                raise
            logger.warning("lane %s: database connection lost, deciding again on a new one", reading.lane_id)
    raise AssertionError("unreachable")


_EVENTS = cast(Table, LaneEvent.__table__)
# Prebuilt: the insert is the same for every reading, only its values change (the columns come with them). On
# PostgreSQL the partitioned table's trigger skips a known dedup key (parking/sessions/global_keys.py), as ON
# CONFLICT DO NOTHING does on SQLite's unique index: either way a repeat returns no id.
_CLAIM = {
    "postgresql": postgresql.insert(_EVENTS).returning(_EVENTS.c.id),
    "sqlite": sqlite.insert(_EVENTS).on_conflict_do_nothing(index_elements=["dedup_key"]).returning(_EVENTS.c.id),
}


async def _claim(
    tx: AsyncSession, site: context.LaneSite, reading: LaneInput, kind: EventKind, now: datetime
) -> int | None:
    """Insert the event unless its dedup key is known: the first of two identical pushes wins, the other replays."""
    lane = site.lane
    conn = await tx.connection()
    values = {
        "agent_id": lane.agent_id,
        "customer_id": lane.customer_id,
        "lot_id": lane.lot_id,
        "lane_id": lane.id,
        "device_id": reading.device_id,
        "kind": kind,
        "at": reading.at,
        "received_at": now,
        "plate": reading.plate[:16],
        "plate_color": reading.color,
        "confidence": reading.confidence,
        "source": reading.source,
        "image_ref": reading.image_ref,
        "dedup_key": reading.dedup_key,
        "is_offline": reading.is_offline,
        "opened": False,
        "decision_reason": "",
    }
    return cast(int | None, (await conn.execute(_CLAIM[conn.dialect.name], values)).scalar_one_or_none())


async def _recorded_outcome(tx: AsyncSession, reading: LaneInput) -> Outcome:
    """A push already recorded (a repeat, or a retry after a lost reply): its decision as it was taken."""
    event = await tx.scalar(select(LaneEvent).where(LaneEvent.dedup_key == reading.dedup_key))
    if event is None:  # pragma: no cover - the conflicting row is committed before ON CONFLICT reports it
        raise RuntimeError("dedup conflict without a row")
    action = Action.OPEN if event.opened else Action.HOLD
    try:
        reason = Reason(event.decision_reason)
    except ValueError:
        reason = Reason.WELCOME if event.opened else Reason.AWAITING_OPERATOR
    line = texts.GOODBYE if event.kind in (EventKind.EXIT, EventKind.INNER_EXIT) else texts.WELCOME
    decision = Decision(action, reason, (texts.plate_line(event.plate), line), "")
    return Outcome(event.id, decision, event.session_id, duplicate=True, lot_id=event.lot_id)


async def _handle(tx: AsyncSession, reading: LaneInput, now: datetime, sites: SiteCache | None) -> Outcome:
    site = await (sites.site(tx, reading.lane_id) if sites is not None else context.load_site(tx, reading.lane_id))
    if site is None:
        raise UnknownLane(reading.lane_id)
    kind = _event_kind(site)
    event_id = await _claim(tx, site, reading, kind, now)
    if event_id is None:
        return await _recorded_outcome(tx, reading)
    decision, session_id = await _decide(tx, site, reading, now, sites)
    writes = last_writes.LastWrites(event_id, session_id, decision.opens, decision.reason.value, now)
    if not reading.is_offline:
        # Whatever was pending at this lane was for the car before this one.
        writes.void_lane_id, writes.void_why = site.lane.id, "another car read at the lane"
    if decision.opens and not reading.is_offline:
        if reading.source is ReadingSource.CAMERA:
            writes.command = gates.reply_open_row(site.lane, now, lane_event_id=event_id, session_id=session_id)
        else:
            # A code scanned at the lane has no camera reply to ride on: the camera's next poll takes it.
            writes.command = gates.queue_open_row(
                site.lane, now, reason=f"{reading.source.value} scan", session_id=session_id, lane_event_id=event_id
            )
        gates.relay_on_commit(tx, site.lane.id, lane_event_id=event_id)
    if reading.notes or decision.alarms:
        await _raise_alarms(tx, site, reading, kind, decision, event_id, session_id, now)
    publish_on_commit(tx, lane_events_topic(site.lot.id), {"id": event_id, "lane_id": site.lane.id})
    emit(tx, ports.LaneEventRecorded(site.lot, site.lane.id, event_id, kind, decision, session_id, reading.image_ref))
    writes.occupancy = pop_occupancy(tx)
    await last_writes.write(tx, writes)
    return Outcome(event_id, decision, session_id, lot_id=site.lot.id)


def _event_kind(site: context.LaneSite) -> EventKind:
    entering = site.lane.direction is LaneDirection.ENTRY
    if site.is_inner:
        return EventKind.INNER_ENTRY if entering else EventKind.INNER_EXIT
    return EventKind.ENTRY if entering else EventKind.EXIT


async def _decide(
    tx: AsyncSession, site: context.LaneSite, reading: LaneInput, now: datetime, sites: SiteCache | None
) -> tuple[Decision, int | None]:
    """The lane's decision and the stay it concerns, as the lane's kind makes them."""
    read = Reading(reading.plate, reading.color, reading.confidence, reading.at, reading.driver_key)
    entering = site.lane.direction is LaneDirection.ENTRY
    if site.is_inner:
        return await inner.on_inner(tx, site, read, entering)
    info = context.lane_info(site)
    if entering:
        return await entries.on_entry(tx, site, read, reading.is_offline, info, now)
    return await exits.on_exit(tx, site, read, reading.is_offline, info, sites)


async def _raise_alarms(
    tx: AsyncSession,
    site: context.LaneSite,
    reading: LaneInput,
    kind: EventKind,
    decision: Decision,
    event_id: int,
    session_id: int | None,
    now: datetime,
) -> None:
    """What was wrong with the reading itself, then what the decision found worth an operator's look."""
    lot_ref = LotRef(site.lot.agent_id, site.lot.customer_id, site.lot.id)
    for input_note in reading.notes:
        noted: dict[str, object] = {"event_id": event_id, **input_note.details}
        if input_note.kind is AlarmKind.UNREADABLE_PLATE and kind is EventKind.EXIT:
            # Help the cloud seat: the cars inside the text may be a misreading of.
            noted["candidates"] = await exits.candidates(tx, site.lot.id, str(input_note.details.get("text", "")))
        await raise_alarm(
            tx,
            lot_ref,
            input_note.kind,
            input_note.message,
            now=now,
            lane_id=site.lane.id,
            device_id=reading.device_id,
            session_id=session_id,
            plate=reading.plate,
            details=noted,
        )
    for note in decision.alarms:
        details: dict[str, object] = {"event_id": event_id, "reason": decision.reason.value}
        if decision.candidates:
            details["candidates"] = list(decision.candidates)
        await raise_alarm(
            tx,
            lot_ref,
            note.kind,
            note.message,
            now=now,
            lane_id=site.lane.id,
            device_id=reading.device_id,
            session_id=session_id,
            plate=reading.plate[:16],
            details=details,
        )
