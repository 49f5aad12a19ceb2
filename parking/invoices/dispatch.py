"""Invoice work as tasks in this process (no Redis: the embedded mode and tests); workers/invoices.py runs the
same use-cases as Dramatiq actors, with retries and backoff."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import Any

from parking.common.database import Database
from parking.common.db import utcnow
from parking.invoices.issuing import invoices_of_order, issue_invoice, reverse_invoice
from parking.invoices.provider import InvoiceProviders

logger = logging.getLogger(__name__)


class InProcessInvoices:
    """``InvoiceDispatch`` running each job as a task (one try: a provider that is down leaves the invoice for an
    operator's retry); ``drain()`` waits for the ones under way."""

    def __init__(self, db: Database, providers: InvoiceProviders, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.providers = providers
        self.clock = clock
        self._tasks: set[asyncio.Task[Any]] = set()

    async def issue(self, invoice_id: int) -> None:
        self._start(issue_invoice(self.db, self.providers, invoice_id, self.clock()))

    async def reverse(self, invoice_id: int) -> None:
        self._start(reverse_invoice(self.db, self.providers, invoice_id, self.clock()))

    async def order_refunded(self, order_id: int) -> None:
        self._start(self._reverse_order(order_id))

    async def _reverse_order(self, order_id: int) -> None:
        for invoice_id in await invoices_of_order(self.db, order_id):
            await reverse_invoice(self.db, self.providers, invoice_id, self.clock())

    def _start(self, work: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.warning("invoice job failed", exc_info=task.exception())

    async def drain(self) -> None:
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
