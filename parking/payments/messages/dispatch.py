"""Entry notifications as tasks in this process (no Redis); workers/notifications.py does the same with retries."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import Any

from parking.common.database import Database
from parking.common.db import utcnow
from parking.payments.messages.entry import send_entry_notice
from parking.payments.messages.paid import send_paid_notice
from parking.payments.miniprogram import MiniProgramClient

logger = logging.getLogger(__name__)


class InProcessMessages:
    """``MessageDispatch`` running each send as a task (one try); ``drain()`` waits for the ones under way."""

    def __init__(self, db: Database, client: MiniProgramClient, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.client = client
        self.clock = clock
        self._tasks: set[asyncio.Task[Any]] = set()

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.warning("driver notification failed", exc_info=task.exception())

    async def entered(self, session_id: int) -> None:
        self._start(send_entry_notice(self.db, self.client, session_id, self.clock()))

    async def paid(self, order_id: int) -> None:
        self._start(send_paid_notice(self.db, self.client, order_id, self.clock()))

    def _start(self, work: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._done)

    async def drain(self) -> None:
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
