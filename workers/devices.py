"""Dramatiq actors for field devices: execute a command, poll a lot's devices. Each run opens its own database."""

from __future__ import annotations

import asyncio
import logging

import dramatiq

from parking.devices.executor import execute_command
from parking.devices.poller import poll_lot
from workers.broker import broker
from workers.events import job_database

logger = logging.getLogger(__name__)

QUEUE = "devices"


async def _execute(command_id: int) -> None:
    async with job_database() as db:
        status = await execute_command(db, command_id)
        logger.info("device command %s: %s", command_id, status)


async def _poll(lot_id: int) -> None:
    # A device found offline here is published (outbox, Redis) to the consoles connected to any API process.
    async with job_database() as db:
        report = await poll_lot(db, lot_id)
        logger.info("lot %s: %s devices observed, %s changed", lot_id, report.observed, len(report.changed))


# No retries by Dramatiq: a gate command retried late is worse than one reported failed.
@dramatiq.actor(queue_name=QUEUE, max_retries=0, broker=broker)
def execute_device_command(command_id: int) -> None:
    asyncio.run(_execute(command_id))


@dramatiq.actor(queue_name=QUEUE, max_retries=0, broker=broker)
def poll_lot_devices(lot_id: int) -> None:
    asyncio.run(_poll(lot_id))
