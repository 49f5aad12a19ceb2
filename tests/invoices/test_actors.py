"""The invoice actors under Dramatiq's stub broker and a worker: a provider down for a while is retried with
backoff until it answers, and the invoice is issued exactly once; a refund's reversal goes the same way."""

from __future__ import annotations

from pathlib import Path

import dramatiq
import pytest

from parking.common.database import Database
from parking.invoices.models import InvoiceStatus
from tests.invoices.conftest import Invoicing
from tests.invoices.helpers import invoice
from workers import invoices as actors
from workers.broker import broker


def send_fast(actor: dramatiq.Actor[[int], None], invoice_id: int) -> None:
    """A message with a fast backoff (the actors' own starts at 10 s): Dramatiq's Retries reads it from there."""
    actor.send_with_options(args=(invoice_id,), min_backoff=20, max_backoff=100)


@pytest.fixture
def worker_env(monkeypatch: pytest.MonkeyPatch, db: Database, credentials: Path) -> None:
    """What a worker process reads: the test's database and the credentials naming the fake."""
    monkeypatch.setenv("PARKCLOUD_DATABASE_URL", db.engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("PARKCLOUD_PAYMENT_CREDENTIALS", str(credentials))


def _drain() -> None:
    worker = dramatiq.Worker(broker, queues={actors.QUEUE}, worker_timeout=50, worker_threads=1)
    worker.start()
    try:
        broker.join(actors.QUEUE)
        worker.join()
    finally:
        worker.stop()


@pytest.mark.usefixtures("worker_env")
async def test_issue_is_retried_with_backoff_until_the_provider_answers(invoicing: Invoicing) -> None:
    ctx = invoicing
    ctx.fake.down = True  # the app's own try fails: the worker takes over
    order = await ctx.paid_order(fen=900)
    asked = await ctx.request([order])
    await ctx.dispatch.drain()
    invoice_id = int(asked["invoice"]["id"])
    ctx.fake.down, ctx.fake.failing_calls = False, 3  # three more failed calls, then it answers
    send_fast(actors.issue_invoice_job, invoice_id)
    send_fast(actors.issue_invoice_job, invoice_id)  # a duplicate message changes nothing
    _drain()
    row = await invoice(ctx, invoice_id)
    assert row.status is InvoiceStatus.ISSUED
    assert row.attempts >= 4
    assert [r["kind"] for r in ctx.fake.invoices.values()] == ["blue"]
    assert sum(1 for r in ctx.fake.requests if r["method"].endswith("requestBillingNew")) == 1
    # a reversal through a short outage too
    ctx.fake.failing_calls = 2
    send_fast(actors.reverse_invoice_job, invoice_id)
    _drain()
    assert (await invoice(ctx, invoice_id)).status is InvoiceStatus.REVERSED
    assert sorted(r["kind"] for r in ctx.fake.invoices.values()) == ["blue", "red"]


@pytest.mark.usefixtures("worker_env")
async def test_a_refunded_orders_invoice_is_reversed_by_the_worker(invoicing: Invoicing) -> None:
    ctx = invoicing
    order = await ctx.paid_order()
    asked = await ctx.request([order])
    await ctx.dispatch.drain()
    invoice_id = int(asked["invoice"]["id"])
    assert (await invoice(ctx, invoice_id)).status is InvoiceStatus.ISSUED
    # what DramatiqInvoices sends after a refund's commit: the order's invoice gets a reversal job of its own
    actors.reverse_refunded_order.send(order)
    actors.reverse_refunded_order.send(order)  # twice: still one red-letter invoice
    _drain()
    assert (await invoice(ctx, invoice_id)).status is InvoiceStatus.REVERSED
    assert sorted(r["kind"] for r in ctx.fake.invoices.values()) == ["blue", "red"]
