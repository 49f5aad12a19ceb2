"""Lane events with pictures and recognition verdicts on a lane-flow test site."""

from __future__ import annotations

import itertools
from datetime import datetime

from parking.common.scope import Scope
from parking.lanes.flow import LaneInput, Outcome, handle_reading
from parking.plates import PlateColor
from parking.recognition import service
from parking.recognition.models import PlateRecognition
from parking.sessions.models import LaneEvent
from tests.lanes.site import Site

_keys = itertools.count(1)


async def read_with_image(site: Site, lane: str, plate: str, at: datetime, image_ref: str) -> Outcome:
    return await handle_reading(
        site.db,
        LaneInput(
            lane_id=site.ids[lane],
            plate=plate,
            color=PlateColor.BLUE,
            confidence=0.9,
            at=at,
            dedup_key=f"recog:{next(_keys)}",
            image_ref=image_ref,
        ),
        now=at,
    )


async def open_task(site: Site, event_id: int, candidates: list[str]) -> PlateRecognition:
    """Record a disagreement on ``event_id`` as the worker would."""
    verdict = service.Verdict(
        None,
        "disagreement",
        "2 different plates read",
        [{"plate": p, "sources": ["rapidocr"], "confidence": 0.9} for p in candidates],
        [{"source": "camera", "text": candidates[0], "confidence": 0.9}],
        crop_ref="",
    )
    async with site.db.transaction(Scope.internal()) as tx:
        event = await tx.get(LaneEvent, event_id)
        assert event is not None
        return await service.record(tx, event, verdict)
