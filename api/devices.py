"""Wires the device services into the app: the command dispatcher and the periodic health poll."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from config.settings import Settings
from parking.common.database import Database
from parking.common.events import EventBus, LocalBus
from parking.devices.commands import DISPATCH_SERVICE, DeviceCommandQueued, Dispatch, dispatch_command
from parking.devices.executor import InProcessDispatcher
from parking.devices.gate_relay import GateRelay
from parking.devices.gates import GATE_RELAY_SERVICE, GateOpenQueued, relay_open
from parking.devices.gates import GateRelay as OpenRelay
from parking.devices.poller import PollLoop
from parking.devices.wakeup import WAKEUPS_SERVICE, Wakeups

logger = logging.getLogger(__name__)


def dramatiq_dispatch(db: Database) -> Dispatch:
    """Queues each command for the ``devices`` queue through the outbox (workers/jobs.py)."""
    from workers.devices import execute_device_command
    from workers.jobs import send_after_commit

    async def send(command_id: int) -> None:
        await send_after_commit(db, execute_device_command, command_id)

    return send


def install_dispatcher(db: Database, settings: Settings) -> Dispatch:
    """Commands go to the Dramatiq workers when Redis is configured, else run as tasks in this process; the
    lane flow's opens reach hardware barriers through the same dispatch."""
    dispatch = dramatiq_dispatch(db) if settings.redis_url else InProcessDispatcher(db)
    db.services[DISPATCH_SERVICE] = dispatch
    relay: OpenRelay = GateRelay(db)
    db.services[GATE_RELAY_SERVICE] = relay
    db.handlers.on(DeviceCommandQueued, dispatch_command)
    db.handlers.on(GateOpenQueued, relay_open)
    return dispatch


@asynccontextmanager
async def camera_wakeups(db: Database, bus: EventBus) -> AsyncIterator[None]:
    """Held comet polls hear commands queued in other processes through the bus (the in-process bus needs no
    listener: ``wake_on_commit`` wakes this process's polls directly)."""
    wakeups = db.services.get(WAKEUPS_SERVICE)
    if not isinstance(wakeups, Wakeups) or isinstance(bus, LocalBus):
        yield
        return
    task = asyncio.create_task(wakeups.listen(bus), name="camera-wakeups")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


@asynccontextmanager
async def poll_loop(db: Database, interval_s: float, dispatch: Dispatch | None) -> AsyncIterator[PollLoop | None]:
    """Runs the health poll in the background for the duration of the block (off when ``interval_s`` is 0)."""
    if interval_s <= 0:
        yield None
        return
    loop = PollLoop(db, interval_s, dispatch=dispatch)
    task = asyncio.create_task(loop.run(), name="device-poll")
    logger.info("device health poll every %g s", interval_s)
    try:
        yield loop
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
