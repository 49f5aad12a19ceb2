"""Open correction tasks on the lots of tests.factories' world, with a lane picture and a plate crop in a store."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import cv2
import numpy as np

from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.scope import Scope
from parking.images import LocalImageStore
from parking.lanes.flow import LaneInput, handle_reading
from parking.plates import PlateColor
from parking.recognition import service
from parking.sessions.models import LaneEvent
from tests.factories import World

_keys = itertools.count(1)


@dataclass(frozen=True)
class SeededTask:
    task_id: int
    event_id: int
    session_id: int | None
    image_ref: str
    crop_ref: str


def lane_picture(text: str) -> tuple[bytes, bytes]:
    """A JPEG of a lane with a blue plate on it, and the plate's crop as PNG (ASCII text: no CJK font needed)."""
    image = np.full((360, 640, 3), 90, np.uint8)
    cv2.rectangle(image, (220, 220), (420, 280), (160, 60, 0), -1)
    cv2.putText(image, text, (232, 264), cv2.FONT_HERSHEY_SIMPLEX, 1.1, (255, 255, 255), 2)
    ok_jpeg, jpeg = cv2.imencode(".jpg", image)
    ok_png, png = cv2.imencode(".png", np.ascontiguousarray(image[220:280, 220:420]))
    assert ok_jpeg
    assert ok_png
    return jpeg.tobytes(), png.tobytes()


async def seed_task(
    db: Database,
    world: World,
    lot: str,
    candidates: list[str],
    images_root: Path,
    *,
    at: datetime | None = None,
) -> SeededTask:
    """An entry read as ``candidates[0]`` at lot ``lot``'s lane, then the worker's disagreement on it."""
    at = at or utcnow()
    store = LocalImageStore(images_root)
    jpeg, png = lane_picture(candidates[0][1:])
    image_ref = await store.put(jpeg, at)
    crop_ref = await store.put(png, at)
    outcome = await handle_reading(
        db,
        LaneInput(
            lane_id=world.ids[f"lane:{lot}"],
            plate=candidates[0],
            color=PlateColor.BLUE,
            confidence=0.62,
            at=at,
            dedup_key=f"world-task:{next(_keys)}",
            image_ref=image_ref,
        ),
        now=at,
    )
    verdict = service.Verdict(
        None,
        "disagreement",
        f"{len(candidates)} different plates read",
        [
            {"plate": p, "sources": ["camera", "rapidocr"] if i == 0 else ["plate-crnn"], "confidence": 0.9 - i / 10}
            for i, p in enumerate(candidates)
        ],
        [{"source": "camera", "text": candidates[0], "confidence": 0.62}],
        crop_ref=crop_ref,
    )
    async with db.transaction(Scope.internal()) as tx:
        event = await tx.get(LaneEvent, outcome.event_id)
        assert event is not None
        task = await service.record(tx, event, verdict)
    return SeededTask(task.id, outcome.event_id, outcome.session_id, image_ref, crop_ref)
