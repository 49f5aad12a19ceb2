"""Who hears about a new lane event with an image: the recognition queue, when it is switched on.

The worker side puts its job sender under ``QUEUE`` and registers ``after_lane_event`` for the lane flow's
``LaneEventRecorded`` (see workers/recognition/actors.py); keeping the hook here lets ``parking`` stay free of
Dramatiq, and the lane flow free of recognition.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from parking.common.services import ServiceKey, Services
from parking.lanes.ports import LaneEventRecorded

#: Sends the recognition job of a lane event (by id).
Enqueue = Callable[[int], Awaitable[None]]
QUEUE = ServiceKey[Enqueue]("recognition_queue")


async def after_lane_event(event: LaneEventRecorded, services: Services) -> None:
    """Queue the picture for recognition; nothing without an image or without a queue."""
    enqueue = services.get(QUEUE)
    if enqueue is not None and event.image_ref:
        await enqueue(event.lane_event_id)
