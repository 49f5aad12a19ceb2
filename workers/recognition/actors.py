"""Dramatiq actors for cloud recognition; ``enable(db)`` makes the lane flow enqueue every event with an image.

Run a worker with ``dramatiq workers.recognition.actors`` (PARKCLOUD_REDIS_URL selects the Redis broker).
"""

from __future__ import annotations

import asyncio

import dramatiq

from config.settings import Settings
from parking.common.database import Database
from parking.lanes.ports import LaneEventRecorded
from parking.recognition import hooks
from workers.broker import broker  # noqa: F401  (sets the broker before the actors are declared)
from workers.events import job_events
from workers.jobs import send_after_commit
from workers.recognition.process import process_lane_event
from workers.recognition.runtime import current

QUEUE = "recognition"


@dramatiq.actor(queue_name=QUEUE, max_retries=3, min_backoff=1000, max_backoff=30_000)
def recognise_lane_event(lane_event_id: int) -> None:
    # Each job gets its own event loop: the runtime's database uses no pool, so nothing crosses loops.
    asyncio.run(_recognise(lane_event_id))


async def _recognise(lane_event_id: int) -> None:
    runtime = current()
    # What the job changes (an alarm raised) is published to the API processes' subscribers (workers/events.py).
    async with job_events(runtime.db, Settings.from_env().redis_url):
        await process_lane_event(runtime, lane_event_id)


def enable(db: Database) -> None:
    """Enqueue a recognition job after the commit of every lane event of ``db`` that has an image (through the
    outbox when the process's relay sends jobs: workers/jobs.py)."""

    async def send(lane_event_id: int) -> None:
        await send_after_commit(db, recognise_lane_event, lane_event_id)

    db.services[hooks.QUEUE] = send
    db.handlers.on(LaneEventRecorded, hooks.after_lane_event)


def disable(db: Database) -> None:
    db.services.pop(hooks.QUEUE)
    db.handlers.off(LaneEventRecorded, hooks.after_lane_event)
