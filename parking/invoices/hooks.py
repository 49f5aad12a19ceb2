"""Where invoicing meets the rest after commit: a requested invoice goes to the provider, a refunded payment's
invoice is reversed. The work itself runs through the dispatch under ``SERVICE`` (Dramatiq actors with retries
in workers/invoices.py, or tasks in the API process without Redis), never inside the request that set it off.
"""

from __future__ import annotations

from typing import Protocol

from parking.common.services import ServiceKey, Services
from parking.invoices.events import InvoiceRequested, InvoiceReversalWanted
from parking.payments.events import PaymentRefunded


class InvoiceDispatch(Protocol):
    """Runs (or queues) the provider work; each must be safe to run twice."""

    async def issue(self, invoice_id: int) -> None: ...

    async def reverse(self, invoice_id: int) -> None: ...

    async def order_refunded(self, order_id: int) -> None: ...


SERVICE = ServiceKey[InvoiceDispatch]("invoices")


async def after_requested(event: InvoiceRequested, services: Services) -> None:
    if (dispatch := services.get(SERVICE)) is not None:
        await dispatch.issue(event.invoice_id)


async def after_reversal_wanted(event: InvoiceReversalWanted, services: Services) -> None:
    if (dispatch := services.get(SERVICE)) is not None:
        await dispatch.reverse(event.invoice_id)


async def after_refund(event: PaymentRefunded, services: Services) -> None:
    if (dispatch := services.get(SERVICE)) is not None:
        await dispatch.order_refunded(event.order_id)
