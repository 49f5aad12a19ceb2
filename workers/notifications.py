"""Dramatiq actors sending a stay's entry notification and a paid order's payment notification (subscribe
messages) to the driver's WeChat through wechatpy.

Idempotent (one row per stay, kind and order, parking/payments/messages), so Dramatiq retries a transient error;
a permanent errcode (the user refused, 43101) is recorded and not retried.
Run with ``dramatiq workers.notifications`` (PARKCLOUD_REDIS_URL selects the Redis broker).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import dramatiq
import redis
from wechatpy.session.redisstorage import RedisStorage

from config.settings import Settings
from parking.common.db import utcnow
from parking.payments.config import MiniProgramConfig
from parking.payments.messages.entry import send_entry_notice
from parking.payments.messages.paid import send_paid_notice
from parking.payments.miniprogram import MiniProgramClient
from workers.broker import broker
from workers.events import job_database

logger = logging.getLogger(__name__)

QUEUE = "notifications"


def _token_storage(settings: Settings) -> Any:
    """The access token shared by every worker process (wechatpy's Redis storage), else one per message."""
    if not settings.redis_url:
        return None
    return RedisStorage(redis.Redis.from_url(settings.redis_url), prefix="parkcloud:wechatpy")


async def _send(kind: str, key: int) -> None:
    settings = Settings.from_env()
    client = MiniProgramClient(
        MiniProgramConfig(settings.wechat_appid, settings.wechat_secret, settings.wechat_api_url),
        _token_storage(settings),
    )
    try:
        async with job_database(settings) as db:
            if kind == "entry":
                status = await send_entry_notice(db, client, key, utcnow())
            else:
                status = await send_paid_notice(db, client, key, utcnow())
            logger.info("%s notification for %s: %s", kind, key, status)
    finally:
        await client.aclose()


@dramatiq.actor(queue_name=QUEUE, max_retries=5, min_backoff=2000, max_backoff=120_000, broker=broker)
def send_entry_notification(session_id: int) -> None:
    asyncio.run(_send("entry", session_id))


@dramatiq.actor(queue_name=QUEUE, max_retries=5, min_backoff=2000, max_backoff=120_000, broker=broker)
def send_paid_notification(order_id: int) -> None:
    """The payment notification of a paid order (停车缴费成功), to the driver who bound the plate."""
    asyncio.run(_send("paid", order_id))
