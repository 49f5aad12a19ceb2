"""Dramatiq actor sending a stay's entry notification (subscribe message) to the driver's WeChat.

Idempotent (one row per stay and kind, parking/payments/messages), so Dramatiq retries a transient error;
a permanent errcode (the user refused, 43101) is recorded and not retried.
Run with ``dramatiq workers.notifications`` (PARKCLOUD_REDIS_URL selects the Redis broker).
"""

from __future__ import annotations

import asyncio
import logging

import dramatiq
from sqlalchemy.pool import NullPool

from config.settings import Settings
from parking.common.database import Database
from parking.common.db import utcnow
from parking.payments.config import MiniProgramConfig
from parking.payments.messages.entry import send_entry_notice
from parking.payments.miniprogram import MiniProgramClient
from workers.broker import broker

logger = logging.getLogger(__name__)

QUEUE = "notifications"


async def _entry(session_id: int) -> None:
    settings = Settings.from_env()
    # NullPool: every message runs in a fresh event loop, and pooled connections belong to the loop that made them.
    db = Database.from_url(settings.database_url, poolclass=NullPool)
    client = MiniProgramClient(
        MiniProgramConfig(settings.wechat_appid, settings.wechat_secret, settings.wechat_api_url)
    )
    try:
        status = await send_entry_notice(db, client, session_id, utcnow())
        logger.info("entry notification for stay %s: %s", session_id, status)
    finally:
        await client.aclose()
        await db.dispose()


@dramatiq.actor(queue_name=QUEUE, max_retries=5, min_backoff=2000, max_backoff=120_000, broker=broker)
def send_entry_notification(session_id: int) -> None:
    asyncio.run(_entry(session_id))
