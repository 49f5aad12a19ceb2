"""Frictionless work as tasks in this process (no Redis); the Dramatiq actors in workers/ do the same."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import Any

from parking.common.database import Database
from parking.common.db import utcnow
from parking.payments.frictionless.deduction import request_deduction
from parking.payments.frictionless.entry import register_entry
from parking.payments.gateway import Channels

logger = logging.getLogger(__name__)


class InProcessFrictionless:
    """``FrictionlessDispatch`` running each job as a task; ``drain()`` waits for the ones under way."""

    def __init__(self, db: Database, channels: Channels, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.channels = channels
        self.clock = clock
        self._tasks: set[asyncio.Task[Any]] = set()

    def _start(self, job: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.create_task(job)
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("frictionless task failed", exc_info=task.exception())

    async def entered(self, session_id: int) -> None:
        service = self.channels.wechat_parking
        if service is not None:
            self._start(register_entry(self.db, service, session_id, self.clock()))

    async def held(self, session_id: int, lane_event_id: int) -> None:
        self._start(request_deduction(self.db, self.channels, session_id, lane_event_id, self.clock()))

    async def drain(self) -> None:
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
