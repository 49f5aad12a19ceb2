"""Dramatiq actors of merchants: expiring unused coupons past their end, sent periodically by the worker.

``parkcloud worker`` sends ``expire_coupons`` every ``PARKCLOUD_COUPON_EXPIRY_S`` seconds (api/cli.py, like the
device poll). The job is idempotent (a conditional update per batch), so a retry, a late message or two worker
supervisors sending it at once change nothing twice.
"""

from __future__ import annotations

import asyncio
import logging
import threading

import dramatiq

from parking.common.db import utcnow
from parking.merchants.expiry import expire_coupons as expire_past_end
from workers.broker import broker
from workers.events import job_database
from workers.schedule import send_every

logger = logging.getLogger(__name__)

QUEUE = "merchants"


async def _expire() -> int:
    async with job_database() as db:
        return await expire_past_end(db, utcnow())


@dramatiq.actor(queue_name=QUEUE, max_retries=3, min_backoff=10_000, broker=broker)
def expire_coupons() -> None:
    """Mark every ``ISSUED`` coupon past its ``valid_until`` ``EXPIRED``."""
    expired = asyncio.run(_expire())
    logger.info("coupons expired: %s", expired)


def schedule_expiry(interval_s: float, stop: threading.Event | None = None) -> threading.Thread | None:
    """Send ``expire_coupons`` now and every ``interval_s`` seconds (0: off)."""
    return send_every(expire_coupons, interval_s, stop)
