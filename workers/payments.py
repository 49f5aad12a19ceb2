"""Dramatiq actors for the money after the fact: T+1 settlement statements and the channels' daily bills.

Both are idempotent (a statement is keyed by lot and day, a reconciliation by channel and day), so Dramatiq's
retries and a second run of the same day are harmless. Enqueue them once a day after midnight, e.g. from cron:
``parkcloud finance`` (settles yesterday and reconciles yesterday's bills).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import date

import dramatiq

from config.payment_channels import load_channels
from config.settings import Settings
from parking.common.db import utcnow
from parking.payments.reconciliation import reconcile_day
from parking.payments.statements import produce_previous_day, produce_statements
from workers.broker import broker
from workers.events import job_database

logger = logging.getLogger(__name__)

QUEUE = "payments"


async def _settle(day: str | None) -> list[int]:
    async with job_database() as db:
        if day is None:
            return await produce_previous_day(db, utcnow())
        return await produce_statements(db, date.fromisoformat(day), utcnow())


async def _reconcile(channel: str, day: str) -> int:
    settings = Settings.from_env()
    async with job_database(settings) as db:
        channels = load_channels(settings.payment_credentials, settings.public_url, settings.redis_url)
        return await reconcile_day(db, channels, channel, date.fromisoformat(day), utcnow())


@dramatiq.actor(queue_name=QUEUE, max_retries=3, min_backoff=5_000, broker=broker)
def produce_settlement_statements(day: str | None = None) -> None:
    """Every lot's statement of ``day`` (YYYY-MM-DD), or of each lot's yesterday (T+1) when None."""
    ids = asyncio.run(_settle(day))
    logger.info("settlement statements produced: %s", len(ids))


@dramatiq.actor(queue_name=QUEUE, max_retries=5, min_backoff=60_000, broker=broker)
def reconcile_channel_bill(channel: str, day: str) -> None:
    """``channel``'s (wechatpay, alipay) bill of ``day`` against our records; retried while the bill is not out."""
    run_id = asyncio.run(_reconcile(channel, day))
    logger.info("reconciliation %s %s stored as run %s", channel, day, run_id)
