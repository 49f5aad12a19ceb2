"""Dramatiq actors for field devices: execute a command, poll a lot's devices. Each run opens its own database."""

from __future__ import annotations

import asyncio
import logging

import dramatiq
from sqlalchemy.pool import NullPool

from config.settings import Settings
from parking.common.database import Database
from parking.devices.executor import execute_command
from parking.devices.poller import poll_lot
from workers.broker import broker

logger = logging.getLogger(__name__)

QUEUE = "devices"


def _database() -> Database:
    # NullPool: every message runs in a fresh event loop, and pooled connections belong to the loop that made them.
    return Database.from_url(Settings.from_env().database_url, poolclass=NullPool)


async def _execute(command_id: int) -> None:
    db = _database()
    try:
        status = await execute_command(db, command_id)
        logger.info("device command %s: %s", command_id, status)
    finally:
        await db.dispose()


async def _poll(lot_id: int) -> None:
    db = _database()
    try:
        report = await poll_lot(db, lot_id)
        logger.info("lot %s: %s devices observed, %s changed", lot_id, report.observed, len(report.changed))
    finally:
        await db.dispose()


# No retries by Dramatiq: a gate command retried late is worse than one reported failed.
@dramatiq.actor(queue_name=QUEUE, max_retries=0, broker=broker)
def execute_device_command(command_id: int) -> None:
    asyncio.run(_execute(command_id))


@dramatiq.actor(queue_name=QUEUE, max_retries=0, broker=broker)
def poll_lot_devices(lot_id: int) -> None:
    asyncio.run(_poll(lot_id))
