"""One lane event through cloud recognition: image, detection, engines, vote, verdict recorded once."""

from __future__ import annotations

import asyncio
import logging

import cv2
import numpy as np

from parking.common.scope import Scope
from parking.images import ImageNotFound
from parking.recognition import service
from parking.recognition.models import PlateRecognition
from parking.sessions.models import LaneEvent
from workers.recognition.pipeline import UnreadableImage, decode
from workers.recognition.review import camera_reading, decide
from workers.recognition.runtime import Runtime

logger = logging.getLogger(__name__)


async def process_lane_event(runtime: Runtime, lane_event_id: int) -> PlateRecognition | None:
    """Idempotent: an event already recorded is left alone, so a redelivered job changes nothing."""
    async with runtime.db.session(Scope.internal()) as session:
        event = await session.get(LaneEvent, lane_event_id)
        if event is None or not event.image_ref:
            return None
        if (done := await service.find(session, event.id)) is not None:
            return done
        image_ref, camera = event.image_ref, camera_reading(event.plate, event.confidence, event.plate_color)
    try:
        image = decode(await runtime.images.get(image_ref))
    except (ImageNotFound, UnreadableImage) as err:
        logger.warning("lane event %s: image %s unusable: %s", lane_event_id, image_ref, err)
        image = None
    if image is None:
        from workers.recognition.pipeline import PlateRead

        read = PlateRead(None, None)
        verdict = decide(camera, read, runtime.policy)
        verdict.confirmed_plate, verdict.reason, verdict.detail = None, "image_unusable", f"image {image_ref}"
    else:
        # CPU-bound: off the event loop so the actor's loop stays responsive.
        read = await asyncio.to_thread(runtime.recogniser.read_image, image)
        verdict = decide(camera, read, runtime.policy)
        # The crop is kept for a person, and as the evidence of a verdict that set the camera's reading aside.
        if (verdict.confirmed_plate is None or verdict.reason) and read.crop is not None:
            ok, png = cv2.imencode(".png", np.ascontiguousarray(read.crop[:, :, ::-1]))
            if ok:
                verdict.crop_ref = await runtime.images.put(png.tobytes())
    async with runtime.db.transaction(Scope.internal()) as tx:
        event = await tx.get(LaneEvent, lane_event_id)
        if event is None:
            return None
        return await service.record(tx, event, verdict)
