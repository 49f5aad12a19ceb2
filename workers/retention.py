"""Dramatiq actor of retention: the purge of what lots keep no longer, sent periodically by the worker.

``parkcloud worker`` sends ``purge_expired`` every ``PARKCLOUD_PURGE_INTERVAL_S`` seconds (a day by default).
The purge is idempotent and batched (parking/retention/purge.py), so a retry or two supervisors sending it at
once remove nothing twice.
"""

from __future__ import annotations

import asyncio
import logging
import threading

import dramatiq

from config.images import image_store
from config.settings import Settings
from parking.common.db import utcnow
from parking.retention.purge import LotPurge, purge
from workers.broker import broker
from workers.events import job_database
from workers.schedule import send_every

logger = logging.getLogger(__name__)

QUEUE = "retention"


async def run_purge(settings: Settings, *, dry_run: bool = False) -> list[LotPurge]:
    async with job_database(settings) as db:
        return await purge(db, image_store(settings), utcnow(), batch=settings.purge_batch, dry_run=dry_run)


@dramatiq.actor(queue_name=QUEUE, max_retries=3, min_backoff=60_000, time_limit=6 * 3600 * 1000, broker=broker)
def purge_expired() -> None:
    """Purge pictures and records past each lot's retention."""
    for lot in asyncio.run(run_purge(Settings.from_env())):
        logger.info("purged %s", lot.line())


def schedule_purge(interval_s: float, stop: threading.Event | None = None) -> threading.Thread | None:
    """Send ``purge_expired`` now and every ``interval_s`` seconds (0: off)."""
    return send_every(purge_expired, interval_s, stop)
