"""Dramatiq actors issuing and reversing e-invoices at the provider (parking/invoices/issuing.py).

Both use-cases are idempotent (the provider's order number is derived from our invoice id, and a run after an
earlier attempt asks before sending), so Dramatiq's retries are safe: a provider that is down or still working
raises, and the message comes back with exponential backoff until it answers. A refusal is recorded on the
invoice (FAILED, an operator may retry) and not retried. Run with ``dramatiq workers.invoices``.
"""

from __future__ import annotations

import asyncio
import logging

import dramatiq
from dramatiq.actor import ActorDecorator

from config.invoice_provider import load_invoice_providers
from config.settings import Settings
from parking.common.db import utcnow
from parking.common.errors import DomainError
from parking.invoices.issuing import invoices_of_order, issue_invoice, reverse_invoice
from workers.broker import broker
from workers.events import job_database

logger = logging.getLogger(__name__)

QUEUE = "invoices"
# About a day of tries: 10 s doubling up to an hour between them; a domain refusal (no such invoice) is final.
MAX_RETRIES, MIN_BACKOFF_MS, MAX_BACKOFF_MS = 30, 10_000, 3_600_000


def retrying() -> ActorDecorator:
    """Issue and reversal: retried with backoff while the provider is away; a domain refusal is final. A fresh
    decorator per actor: dramatiq's remembers the first function's name."""
    return dramatiq.actor(
        queue_name=QUEUE,
        broker=broker,
        max_retries=MAX_RETRIES,
        min_backoff=MIN_BACKOFF_MS,
        max_backoff=MAX_BACKOFF_MS,
        throws=(DomainError,),
    )


async def _issue(invoice_id: int) -> str:
    settings = Settings.from_env()
    async with job_database(settings) as db:
        providers = load_invoice_providers(settings.payment_credentials)
        return (await issue_invoice(db, providers, invoice_id, utcnow())).value


async def _reverse(invoice_id: int) -> str:
    settings = Settings.from_env()
    async with job_database(settings) as db:
        providers = load_invoice_providers(settings.payment_credentials)
        return (await reverse_invoice(db, providers, invoice_id, utcnow())).value


async def _of_order(order_id: int) -> list[int]:
    async with job_database() as db:
        return await invoices_of_order(db, order_id)


@retrying()
def issue_invoice_job(invoice_id: int) -> None:
    logger.info("invoice %s: %s", invoice_id, asyncio.run(_issue(invoice_id)))


@retrying()
def reverse_invoice_job(invoice_id: int) -> None:
    logger.info("invoice %s reversal: %s", invoice_id, asyncio.run(_reverse(invoice_id)))


@dramatiq.actor(queue_name=QUEUE, broker=broker, max_retries=5, min_backoff=5_000)
def reverse_refunded_order(order_id: int) -> None:
    """A refunded order: each of its invoices (one at most) gets a reversal job of its own."""
    for invoice_id in asyncio.run(_of_order(order_id)):
        reverse_invoice_job.send(invoice_id)
