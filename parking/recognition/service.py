"""Recording the cloud's verdict on a lane event, and resolving a correction task."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from parking.accounts.permissions import Perm
from parking.common import crud
from parking.common.actor import Actor
from parking.common.errors import DomainError, ErrorCode
from parking.lanes.seat import correct_plate
from parking.plates import InvalidPlate, normalize_plate
from parking.recognition.models import PlateRecognition, RecognitionStatus
from parking.sessions.enums import ReadingSource
from parking.sessions.models import LaneEvent, ParkingSession

RESOLVE_REASON = "cloud recognition review"
OVERRULE_REASON = "cloud recognition overruled the camera"
# The verdict's reason when the confirmed plate could not be given to the stay: a person decides.
ADOPT_CONFLICT = "overrule_conflict"


@dataclass
class Verdict:
    """What the worker decided, as plain data (the vote itself lives with the worker)."""

    confirmed_plate: str | None
    reason: str = ""
    detail: str = ""
    candidates: list[dict[str, Any]] = field(default_factory=list)
    readings: list[dict[str, Any]] = field(default_factory=list)
    crop_ref: str = ""


async def find(session: AsyncSession, lane_event_id: int) -> PlateRecognition | None:
    return await session.scalar(select(PlateRecognition).where(PlateRecognition.lane_event_id == lane_event_id))


async def _adopt(session: AsyncSession, event: LaneEvent, plate: str) -> str:
    """Give the stay (or a held reading) the plate confirmed over the camera's; what stood in the way, if any.

    The lane decided on the camera's reading without waiting for the cloud, so the stay carries it. A person who
    changed the stay's plate since is not overruled; a plate that already has an open stay in the lot goes to a
    person (two stays would claim one car).
    """
    if event.session_id is None:
        if not event.opened:
            # A held reading: a remote open then admits the right plate, as a person's correction would.
            event.plate, event.source = plate, ReadingSource.CLOUD
        return ""
    stay = await session.get(ParkingSession, event.session_id)
    if stay is None or stay.plate == plate:
        return ""
    if stay.plate != event.plate:
        return f"the stay's plate was changed to {stay.plate} since the camera read {event.plate}"
    try:
        await correct_plate(session, Actor.system("cloud recognition"), str(stay.id), plate, OVERRULE_REASON)
    except DomainError as err:
        return str(err)
    return ""


async def record(session: AsyncSession, event: LaneEvent, verdict: Verdict) -> PlateRecognition:
    """Store the verdict once per lane event; a second call (a redelivered job) returns the first row.

    A plate confirmed over the camera's reading is given to the stay; the row keeps the camera's reading.
    """
    if (existing := await find(session, event.id)) is not None:
        return existing
    camera_plate = event.plate
    overruled = bool(verdict.confirmed_plate) and verdict.confirmed_plate != event.plate
    if overruled and (problem := await _adopt(session, event, str(verdict.confirmed_plate))):
        candidates: list[dict[str, Any]] = [
            {"plate": verdict.confirmed_plate, "sources": ["cloud"], "confidence": 1.0},
            {"plate": camera_plate, "sources": ["camera"], "confidence": event.confidence},
        ]
        verdict = Verdict(None, ADOPT_CONFLICT, problem, candidates, verdict.readings, verdict.crop_ref)
    row = PlateRecognition(
        agent_id=event.agent_id,
        customer_id=event.customer_id,
        lot_id=event.lot_id,
        lane_event_id=event.id,
        session_id=event.session_id,
        status=RecognitionStatus.CONFIRMED if verdict.confirmed_plate else RecognitionStatus.OPEN,
        image_ref=event.image_ref,
        crop_ref=verdict.crop_ref,
        camera_plate=camera_plate,
        plate=verdict.confirmed_plate or "",
        reason=verdict.reason[:32],
        detail=verdict.detail[:200],
        candidates=verdict.candidates,
        readings=verdict.readings,
    )
    try:
        async with session.begin_nested():
            session.add(row)
    except IntegrityError:
        # Two workers raced on the same event: the other one's row stands.
        found = await find(session, event.id)
        assert found is not None
        return found
    return row


async def resolve(session: AsyncSession, actor: Actor, task_id: str, plate: str, now: datetime) -> PlateRecognition:
    """A person picks the plate: the stay's plate is fixed (open or already left) and the task is closed."""
    actor.require(Perm.SESSIONS_CORRECT)
    if not plate.strip():
        # normalize_plate reads an empty camera field as "no plate"; from a person it is a slip.
        raise DomainError(ErrorCode.INVALID, "a plate is required", "plate")
    try:
        fixed = normalize_plate(plate)
    except InvalidPlate as err:
        raise DomainError(ErrorCode.INVALID, f"not a plate: {plate!r}", "plate") from err
    task = await crud.get(session, PlateRecognition, task_id, "id")
    if task.status is not RecognitionStatus.OPEN:
        raise DomainError(ErrorCode.CONFLICT, "this task is already resolved", "id")
    if task.session_id is not None:
        await correct_plate(session, actor, str(task.session_id), fixed, RESOLVE_REASON)
    else:
        # A held entry has no stay yet: fix the reading itself so a remote open admits the right plate.
        event = await session.get(LaneEvent, task.lane_event_id)
        if event is not None and not event.opened:
            event.plate = fixed
            event.source = ReadingSource.OPERATOR
    task.status = RecognitionStatus.CORRECTED
    task.plate = fixed
    task.resolved_by_id = actor.operator_id
    task.resolved_at = now
    await session.flush()
    return task


async def labelled(session: AsyncSession, after_id: int = 0, limit: int = 100) -> list[PlateRecognition]:
    """Corrected tasks in id order: image, crop and the plate a person chose, for the next training run."""
    rows = await session.scalars(
        select(PlateRecognition)
        .where(PlateRecognition.status == RecognitionStatus.CORRECTED, PlateRecognition.id > after_id)
        .order_by(PlateRecognition.id)
        .limit(min(limit, 100))
    )
    return list(rows)
