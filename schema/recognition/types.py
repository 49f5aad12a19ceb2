"""Correction task types: a lane event the cloud could not confirm, its picture, crop and candidates."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

import strawberry

from parking.recognition.models import RecognitionStatus
from parking.sessions.models import LaneEvent
from parking.tenancy.models import Lane
from schema.core.context import Info
from schema.sessions.types import LaneEventType
from schema.tenancy.types import LaneType

RecognitionStatusEnum = strawberry.enum(RecognitionStatus, name="RecognitionStatus")


@strawberry.type(description="A plate the readings clustered on, best first.")
class PlateCandidate:
    plate: str
    sources: list[str]
    confidence: float


@strawberry.type(name="PlateReading", description="One source's raw reading: the camera or a cloud engine.")
class PlateReadingType:
    source: str
    text: str
    confidence: float


def _candidates(root: Any) -> list[PlateCandidate]:
    rows: list[dict[str, Any]] = root.candidates
    return [PlateCandidate(plate=c["plate"], sources=list(c["sources"]), confidence=c["confidence"]) for c in rows]


def _readings(root: Any) -> list[PlateReadingType]:
    rows: list[dict[str, Any]] = root.readings
    return [PlateReadingType(source=r["source"], text=r["text"], confidence=r["confidence"]) for r in rows]


@strawberry.type(
    name="CorrectionTask", description="The cloud's verdict on one lane event; open ones wait for a person."
)
class CorrectionTaskType:
    id: strawberry.ID
    lot_id: strawberry.ID
    lane_event_id: strawberry.ID
    session_id: strawberry.ID | None
    status: RecognitionStatus
    image_ref: str
    crop_ref: str
    camera_plate: str
    plate: str = strawberry.field(description="The confirmed plate, or the one a person chose; empty while open.")
    reason: str
    detail: str
    resolved_by_id: strawberry.ID | None
    resolved_at: datetime | None
    created_at: datetime
    candidates: list[PlateCandidate] = strawberry.field(resolver=_candidates)
    readings: list[PlateReadingType] = strawberry.field(resolver=_readings)

    @strawberry.field(description="The reading the task is about: entry or exit, when, at which lane.")
    async def lane_event(self, info: Info) -> LaneEventType | None:
        event = await info.context.loaders.by_id(LaneEvent).load(int(self.lane_event_id))
        return cast(LaneEventType | None, event)

    @strawberry.field(description="The lane the picture was taken at.")
    async def lane(self, info: Info) -> LaneType | None:
        event = await info.context.loaders.by_id(LaneEvent).load(int(self.lane_event_id))
        if event is None:
            return None
        return cast(LaneType | None, await info.context.loaders.by_id(Lane).load(event.lane_id))
