"""Dramatiq actor that makes the month partitions ahead (PostgreSQL), sent periodically by the worker.

``parkcloud worker`` sends ``ensure_month_partitions`` every ``PARKCLOUD_PARTITION_INTERVAL_S`` seconds (a day by
default). It creates this month's partitions of lane events and stays and the next three months' where they are
missing (parking/common/partitions.py), so an insert never meets a month without one even after weeks of failed
jobs. Idempotent: a retry or two supervisors sending it at once create nothing twice.
"""

from __future__ import annotations

import asyncio
import logging
import threading

import dramatiq
from sqlalchemy.pool import NullPool

from config.settings import Settings
from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.partitions import ensure_partitions
from workers.broker import broker
from workers.schedule import send_every

logger = logging.getLogger(__name__)

QUEUE = "maintenance"


async def run_ensure_partitions(settings: Settings) -> list[str]:
    db = Database.from_url(settings.database_url, poolclass=NullPool)
    try:
        async with db.engine.begin() as conn:
            return await ensure_partitions(conn, utcnow())
    finally:
        await db.dispose()


@dramatiq.actor(queue_name=QUEUE, max_retries=5, min_backoff=60_000, broker=broker)
def ensure_month_partitions() -> None:
    """Create the month partitions from this month to three months ahead where missing."""
    for name in asyncio.run(run_ensure_partitions(Settings.from_env())):
        logger.info("created partition %s", name)


def schedule_partitions(interval_s: float, stop: threading.Event | None = None) -> threading.Thread | None:
    """Send ``ensure_month_partitions`` now and every ``interval_s`` seconds (0: off)."""
    return send_every(ensure_month_partitions, interval_s, stop)
