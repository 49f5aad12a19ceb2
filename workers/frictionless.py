"""Dramatiq actors for WeChat frictionless parking: register an entry, request an exit deduction.

Both are idempotent (the stay's row and order are reused), so Dramatiq may retry them after a transport error.
Run with ``dramatiq workers.frictionless`` (PARKCLOUD_REDIS_URL selects the Redis broker).
"""

from __future__ import annotations

import asyncio
import logging

import dramatiq

from config.payment_channels import load_channels
from config.settings import Settings
from parking.common.db import utcnow
from parking.payments.frictionless.deduction import request_deduction
from parking.payments.frictionless.entry import register_entry
from parking.payments.gateway import Channels
from workers.broker import broker
from workers.events import job_database

logger = logging.getLogger(__name__)

QUEUE = "payments"


def _channels(settings: Settings) -> Channels:
    return load_channels(settings.payment_credentials, settings.public_url, settings.redis_url)


async def _entry(session_id: int) -> None:
    settings = Settings.from_env()
    channels = _channels(settings)
    async with job_database(settings) as db:
        if channels.wechat_parking is not None:
            state = await register_entry(db, channels.wechat_parking, session_id, utcnow())
            logger.info("stay %s registered with WeChat: %s", session_id, state)


async def _deduct(session_id: int, lane_event_id: int) -> None:
    settings = Settings.from_env()
    channels = _channels(settings)
    async with job_database(settings) as db:
        status = await request_deduction(db, channels, session_id, lane_event_id, utcnow())
        logger.info("deduction for stay %s: %s", session_id, status)


@dramatiq.actor(queue_name=QUEUE, max_retries=5, min_backoff=1000, max_backoff=60_000, broker=broker)
def register_frictionless_entry(session_id: int) -> None:
    asyncio.run(_entry(session_id))


# A car waits at the barrier: retry quickly and not for long (after the waiting window it opens nothing anyway).
@dramatiq.actor(queue_name=QUEUE, max_retries=3, min_backoff=500, max_backoff=5_000, broker=broker)
def request_frictionless_deduction(session_id: int, lane_event_id: int) -> None:
    asyncio.run(_deduct(session_id, lane_event_id))
