"""The provider down, then up: the issue is retried and the invoice issued exactly once; an answer lost to a
timeout after the provider issued is found by asking, not by issuing again."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from parking.invoices.issuing import InvoicePending, issue_invoice, reverse_invoice
from parking.invoices.models import InvoiceStatus
from parking.invoices.provider import ProviderUnavailable
from tests.invoices.conftest import Invoicing, impatient
from tests.invoices.helpers import invoice

BILLING = "nuonuo.OpeMplatform.requestBillingNew"


def billings(ctx: Invoicing) -> int:
    return sum(1 for r in ctx.fake.requests if r["method"] == BILLING)


async def test_provider_down_then_up_issues_exactly_once(invoicing: Invoicing) -> None:
    ctx = invoicing
    ctx.fake.down = True
    asked = await ctx.request([await ctx.paid_order()])
    invoice_id = int(asked["invoice"]["id"])
    await ctx.dispatch.drain()  # the first try meets the provider down
    row = await invoice(ctx, invoice_id)
    assert (row.status, row.attempts, row.number) == (InvoiceStatus.ISSUING, 1, "")
    assert row.last_error.startswith(f"{BILLING}: HTTP 503")
    # the actor's retries while it stays down: each raises (Dramatiq backs off), nothing issued
    for _ in range(2):
        with pytest.raises(ProviderUnavailable):
            await issue_invoice(ctx.db, ctx.providers, invoice_id, datetime.now(UTC))
    assert ctx.fake.invoices == {}
    # up again: the next retry asks first, then issues; later retries change nothing
    ctx.fake.down = False
    assert await issue_invoice(ctx.db, ctx.providers, invoice_id, datetime.now(UTC)) is InvoiceStatus.ISSUED
    assert await issue_invoice(ctx.db, ctx.providers, invoice_id, datetime.now(UTC)) is InvoiceStatus.ISSUED
    assert len(ctx.fake.invoices) == 1
    assert billings(ctx) == 1
    row = await invoice(ctx, invoice_id)
    assert (row.status, row.attempts, row.last_error) == (InvoiceStatus.ISSUED, 4, "")
    assert row.number == next(iter(ctx.fake.invoices.values()))["invoiceNo"]


async def test_answer_lost_to_a_timeout_is_asked_for_not_issued_again(invoicing: Invoicing) -> None:
    ctx = invoicing
    ctx.fake.down = True  # keep the app's own try away: the retries below are the actor's
    asked = await ctx.request([await ctx.paid_order()])
    await ctx.dispatch.drain()
    invoice_id = int(asked["invoice"]["id"])
    ctx.fake.down, ctx.fake.delay_s = False, 1.0
    ctx.fake.requests.clear()
    hasty = impatient(ctx.providers, read_timeout_s=0.2)
    # this try asks (nothing yet), sends, and loses the answer: the provider issued it all the same
    with pytest.raises(ProviderUnavailable):
        await issue_invoice(ctx.db, hasty, invoice_id, datetime.now(UTC))
    assert len(ctx.fake.invoices) == 1
    ctx.fake.delay_s = 0.0
    assert await issue_invoice(ctx.db, ctx.providers, invoice_id, datetime.now(UTC)) is InvoiceStatus.ISSUED
    assert len(ctx.fake.invoices) == 1
    assert billings(ctx) == 1
    assert (await invoice(ctx, invoice_id)).number == next(iter(ctx.fake.invoices.values()))["invoiceNo"]


async def test_reversal_with_the_provider_down_is_retried_once_up(invoicing: Invoicing) -> None:
    ctx = invoicing
    asked = await ctx.request([await ctx.paid_order()])
    await ctx.dispatch.drain()
    invoice_id = int(asked["invoice"]["id"])
    ctx.fake.down = True
    with pytest.raises(ProviderUnavailable):
        await reverse_invoice(ctx.db, ctx.providers, invoice_id, datetime.now(UTC))
    assert (await invoice(ctx, invoice_id)).status is InvoiceStatus.REVERSING
    ctx.fake.down = False
    assert await reverse_invoice(ctx.db, ctx.providers, invoice_id, datetime.now(UTC)) is InvoiceStatus.REVERSED
    assert await reverse_invoice(ctx.db, ctx.providers, invoice_id, datetime.now(UTC)) is InvoiceStatus.REVERSED
    assert sorted(r["kind"] for r in ctx.fake.invoices.values()) == ["blue", "red"]


async def test_reversal_of_an_invoice_being_issued_waits(invoicing: Invoicing) -> None:
    ctx = invoicing
    ctx.fake.down = True
    asked = await ctx.request([await ctx.paid_order()])
    await ctx.dispatch.drain()
    with pytest.raises(InvoicePending):
        await reverse_invoice(ctx.db, ctx.providers, int(asked["invoice"]["id"]), datetime.now(UTC))
