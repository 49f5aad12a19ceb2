"""Dramatiq actors for cloud recognition; ``enable()`` makes the lane flow enqueue every event with an image.

Run a worker with ``dramatiq workers.recognition.actors`` (PARKCLOUD_REDIS_URL selects the Redis broker).
"""

from __future__ import annotations

import asyncio

import dramatiq

from parking.recognition import hooks
from workers.broker import broker  # noqa: F401  (sets the broker before the actors are declared)
from workers.recognition.process import process_lane_event
from workers.recognition.runtime import current

QUEUE = "recognition"


@dramatiq.actor(queue_name=QUEUE, max_retries=3, min_backoff=1000, max_backoff=30_000)
def recognise_lane_event(lane_event_id: int) -> None:
    # Each job gets its own event loop: the runtime's database uses no pool, so nothing crosses loops.
    asyncio.run(process_lane_event(current(), lane_event_id))


def _send(lane_event_id: int) -> None:
    recognise_lane_event.send(lane_event_id)


def enable() -> None:
    """Enqueue a recognition job after the commit of every lane event that has an image."""
    hooks.listen(_send)


def disable() -> None:
    hooks.stop_listening(_send)
