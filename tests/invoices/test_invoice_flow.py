"""A driver's invoice through the fake Nuonuo over real HTTP: request, issue, download, refund, red-letter reversal;
and the operators' list, retry and reversal."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from parking.common.audit import AuditEntry
from parking.common.scope import Scope
from parking.invoices.models import InvoiceStatus
from parking.payments.models import OrderStatus
from tests.invoices.conftest import Invoicing
from tests.invoices.helpers import invoice, linked_orders, refund

MY_INVOICES = "{ myInvoices { items { id status number amountFen orderIds } pageInfo { hasNextPage } } }"
LIST = """
query L($filter: InvoiceFilter) {
  invoices(filter: $filter) { items { id status number amountFen orderIds attempts lastError redNumber } }
}
"""
RETRY = """
mutation R($id: ID!) {
  invoiceRetry(id: $id) { __typename ... on InvoiceSuccess { invoice { id status } } ... on InvoiceError { code } }
}
"""
REVERSE = """
mutation R($id: ID!) {
  invoiceReverse(id: $id) { __typename ... on InvoiceSuccess { invoice { id status } } ... on InvoiceError { code } }
}
"""


async def listed(ctx: Invoicing, token: str, **filter: Any) -> list[dict[str, Any]]:
    body = await ctx.gql(LIST, {"filter": filter or None}, token=token)
    assert "errors" not in body, body
    items: list[dict[str, Any]] = body["data"]["invoices"]["items"]
    return items


async def test_request_issue_download_refund_reverse(invoicing: Invoicing) -> None:
    ctx = invoicing
    first, second = await ctx.paid_order(fen=600), await ctx.paid_order(fen=1250)
    asked = await ctx.request([first, second, first])  # an order named twice counts once
    assert asked["__typename"] == "DriverInvoiceSuccess", asked
    assert (asked["invoice"]["amountFen"], asked["invoice"]["status"]) == (1850, "REQUESTED")
    assert asked["invoice"]["orderIds"] == [str(first), str(second)]
    invoice_id = asked["invoice"]["id"]
    await ctx.dispatch.drain()

    # issued once at the provider, for the orders' amount, number and PDF recorded
    issued = await invoice(ctx, invoice_id)
    assert issued.status is InvoiceStatus.ISSUED
    assert len(issued.number) == 20
    blue = [r for r in ctx.fake.invoices.values() if r["kind"] == "blue"]
    assert [(r["orderNo"], r["totalFen"], r["invoiceNo"]) for r in blue] == [
        (f"PCB{int(invoice_id):014d}", 1850, issued.number)
    ]
    mine = (await ctx.gql(MY_INVOICES, token=ctx.token(ctx.driver)))["data"]["myInvoices"]["items"]
    assert [(i["id"], i["status"], i["number"]) for i in mine] == [(invoice_id, "ISSUED", issued.number)]
    assert (await ctx.gql(MY_INVOICES, token=ctx.token(ctx.other_driver)))["data"]["myInvoices"]["items"] == []

    # the PDF through our API: the driver's own, an operator's of their tenants
    pdf = await ctx.http.get(f"/api/driver/invoices/{invoice_id}/pdf", headers=_bearer(ctx.token(ctx.driver)))
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf"
    other = await ctx.http.get(f"/api/driver/invoices/{invoice_id}/pdf", headers=_bearer(ctx.token(ctx.other_driver)))
    assert other.status_code == 404
    assert (await ctx.http.get(f"/api/driver/invoices/{invoice_id}/pdf")).status_code == 401
    operator = await ctx.http.get(f"/api/invoices/{invoice_id}/pdf", headers=_bearer(ctx.world.tokens["custA1"]))
    assert operator.status_code == 200
    assert operator.content.startswith(b"%PDF")
    foreign = await ctx.http.get(f"/api/invoices/{invoice_id}/pdf", headers=_bearer(ctx.world.tokens["agentB"]))
    assert foreign.status_code == 404
    viewer = await ctx.http.get(f"/api/invoices/{invoice_id}/pdf", headers=_bearer(ctx.world.tokens["viewer"]))
    assert viewer.status_code == 403

    # a refund of one of its payments reverses it with a red-letter invoice, after the refund's commit
    await refund(ctx, second, 250)
    await ctx.dispatch.drain()
    reversed_ = await invoice(ctx, invoice_id)
    assert reversed_.status is InvoiceStatus.REVERSED
    assert reversed_.red_number
    assert reversed_.reversed_at
    red = [r for r in ctx.fake.invoices.values() if r["kind"] == "red"]
    assert [(r["orderNo"], r["blueSerialNo"], r["totalFen"]) for r in red] == [
        (f"PCR{int(invoice_id):014d}", issued.serial_no, -1850)
    ]
    # it lets go of its payments: the refunded one is refused, the other may be invoiced again
    assert await linked_orders(ctx) == []
    assert (await ctx.request([second]))["code"] == "CONFLICT"
    again = await ctx.request([first])
    assert again["__typename"] == "DriverInvoiceSuccess"
    await ctx.dispatch.drain()
    assert (await invoice(ctx, again["invoice"]["id"])).status is InvoiceStatus.ISSUED


async def test_refund_while_issuing_waits_for_the_issue(invoicing: Invoicing) -> None:
    ctx = invoicing
    order = await ctx.paid_order()
    ctx.fake.down = True  # the issue fails to reach the provider: the invoice waits for a retry
    asked = await ctx.request([order])
    await ctx.dispatch.drain()
    assert (await invoice(ctx, asked["invoice"]["id"])).status is InvoiceStatus.ISSUING
    await refund(ctx, order, 600)
    await ctx.dispatch.drain()
    # still being issued: the reversal waits (the actor retries it) and nothing reaches the provider meanwhile
    assert (await invoice(ctx, asked["invoice"]["id"])).status is InvoiceStatus.ISSUING
    assert ctx.fake.invoices == {}


async def test_refund_of_a_failed_invoice_voids_it_without_the_provider(invoicing: Invoicing) -> None:
    ctx = invoicing
    await ctx.set_lot(sellerTaxNumber="91310000MA1FL0000X")  # no provider account: the invoice fails
    order = await ctx.paid_order()
    asked = await ctx.request([order])
    await ctx.dispatch.drain()
    assert (await invoice(ctx, asked["invoice"]["id"])).status is InvoiceStatus.FAILED
    await refund(ctx, order, 100)
    await ctx.dispatch.drain()
    assert (await invoice(ctx, asked["invoice"]["id"])).status is InvoiceStatus.VOID
    assert await linked_orders(ctx) == []
    assert ctx.fake.requests == []


async def test_operator_list_retry_and_reverse(invoicing: Invoicing) -> None:
    ctx = invoicing
    platform = ctx.world.tokens["platform"]
    # a lot whose seller has no provider account: the invoice fails, with the reason for the operator
    assert (await ctx.set_lot("A1b", sellerTaxNumber="91310000MA1FL0000X"))["__typename"] == (
        "LotInvoiceSettingsSuccess"
    )
    order = await ctx.paid_order("A1b")
    asked = await ctx.request([order])
    await ctx.dispatch.drain()
    failed = await listed(ctx, platform, status="FAILED")
    assert [(i["id"], i["attempts"]) for i in failed] == [(asked["invoice"]["id"], 1)]
    assert failed[0]["lastError"] == "开票平台未配置该销售方的凭据"
    # once the lot names the configured seller, a retry issues it
    await ctx.set_lot("A1b")
    retried = (await ctx.gql(RETRY, {"id": asked["invoice"]["id"]}, token=platform))["data"]["invoiceRetry"]
    assert retried["invoice"]["status"] == "REQUESTED"
    await ctx.dispatch.drain()
    assert (await listed(ctx, platform, number=None, status="ISSUED"))[0]["id"] == asked["invoice"]["id"]
    again = (await ctx.gql(RETRY, {"id": asked["invoice"]["id"]}, token=platform))["data"]["invoiceRetry"]
    assert again["code"] == "CONFLICT"
    # an operator reverses it
    reversing = (await ctx.gql(REVERSE, {"id": asked["invoice"]["id"]}, token=platform))["data"]["invoiceReverse"]
    assert reversing["invoice"]["status"] == "REVERSING"
    await ctx.dispatch.drain()
    done = await listed(ctx, platform, status="REVERSED")
    assert len(done) == 1
    assert done[0]["redNumber"]
    assert (await ctx.gql(REVERSE, {"id": asked["invoice"]["id"]}, token=platform))["data"]["invoiceReverse"][
        "code"
    ] == "CONFLICT"
    async with ctx.db.session(Scope.internal()) as s:
        actions = list(await s.scalars(select(AuditEntry.action).where(AuditEntry.entity == "invoice")))
    assert sorted(actions) == ["invoice.retry", "invoice.reverse"]


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


INVOICEABLE = """
query P($first: Int!, $after: String) {
  invoiceablePayments(first: $first, after: $after) {
    items { orderId lotName amountFen paidAt invoiceUntil } pageInfo { hasNextPage endCursor }
  }
}
"""


async def test_the_driver_sees_what_may_be_invoiced(invoicing: Invoicing) -> None:
    ctx = invoicing
    newest, older = await ctx.paid_order(paid_days_ago=1), await ctx.paid_order(paid_days_ago=2, fen=800)
    await ctx.paid_order(paid_days_ago=400)  # past the deadline
    await ctx.paid_order("A1b")  # the lot issues no invoices
    await ctx.paid_order(status=OrderStatus.REFUNDED, refunded_fen=600)
    await ctx.paid_order(payer=ctx.other_driver)
    invoiced = await ctx.paid_order(paid_days_ago=3)
    assert (await ctx.request([invoiced]))["__typename"] == "DriverInvoiceSuccess"
    token = ctx.token(ctx.driver)
    first = (await ctx.gql(INVOICEABLE, {"first": 1}, token=token))["data"]["invoiceablePayments"]
    assert [(i["orderId"], i["lotName"]) for i in first["items"]] == [(str(newest), "Lot A1a")]
    assert first["pageInfo"]["hasNextPage"] is True
    cursor = first["pageInfo"]["endCursor"]
    rest = (await ctx.gql(INVOICEABLE, {"first": 100, "after": cursor}, token=token))["data"]["invoiceablePayments"]
    assert [(i["orderId"], i["amountFen"]) for i in rest["items"]] == [(str(older), 800)]
    assert rest["pageInfo"]["hasNextPage"] is False
    too_many = await ctx.gql(INVOICEABLE, {"first": 101}, token=token)
    assert too_many["errors"][0]["extensions"]["code"] == "INVALID"
    anonymous = await ctx.gql(INVOICEABLE, {"first": 10})
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    await ctx.dispatch.drain()
