"""Entry notifications as tasks in this process (no Redis); workers/notifications.py does the same with retries."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from parking.common.database import Database
from parking.common.db import utcnow
from parking.payments.messages.entry import send_entry_notice
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
            logger.warning("entry notification failed", exc_info=task.exception())

    async def entered(self, session_id: int) -> None:
        task = asyncio.create_task(send_entry_notice(self.db, self.client, session_id, self.clock()))
        self._tasks.add(task)
        task.add_done_callback(self._done)

    async def drain(self) -> None:
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
