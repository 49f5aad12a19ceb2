"""Refusals: another driver's or tenant's invoices and orders, bad input and bad orders answer a coded error,
never a 500, and write nothing."""

from __future__ import annotations

from typing import Any

import pytest

from parking.payments.models import OrderStatus
from tests.invoices.conftest import Invoicing
from tests.invoices.helpers import invoice_count, linked_orders

LIST = "{ invoices { items { id } } }"
RETRY = """
mutation R($id: ID!) { invoiceRetry(id: $id) { __typename ... on InvoiceError { code field } } }
"""
SETTINGS_OF = "query S($lot: ID!) { lotInvoiceSettings(lotId: $lot) { sellerName } }"


async def test_another_driver_or_tenant_cannot_see_or_request(invoicing: Invoicing) -> None:
    ctx = invoicing
    order = await ctx.paid_order()
    # another driver cannot invoice the payment: it reads as absent
    theirs = await ctx.request([order], token=ctx.token(ctx.other_driver))
    assert (theirs["code"], theirs["field"]) == ("NOT_FOUND", "orderIds")
    assert await invoice_count(ctx) == 0
    asked = await ctx.request([order])
    await ctx.dispatch.drain()
    invoice_id = asked["invoice"]["id"]
    # operators see it only within their tenants
    for who, expected in (
        ("platform", [invoice_id]),
        ("custA1", [invoice_id]),
        ("lotA1a", [invoice_id]),
        ("agentB", []),
    ):
        body = await ctx.gql(LIST, token=ctx.world.tokens[who])
        assert [i["id"] for i in body["data"]["invoices"]["items"]] == expected, who
    viewer = await ctx.gql(LIST, token=ctx.world.tokens["viewer"])
    assert viewer["data"] is None
    assert viewer["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    # nor act on it or on the lot's settings
    retry = (await ctx.gql(RETRY, {"id": invoice_id}, token=ctx.world.tokens["agentB"]))["data"]["invoiceRetry"]
    assert retry == {"__typename": "InvoiceError", "code": "NOT_FOUND", "field": "id"}
    foreign = await ctx.set_lot(token=ctx.world.tokens["agentB"], sellerName="别人的公司")
    assert (foreign["code"], foreign["field"]) == ("NOT_FOUND", "lotId")
    seen = await ctx.gql(SETTINGS_OF, {"lot": ctx.world.id("lot:A1a")}, token=ctx.world.tokens["agentB"])
    assert seen["data"]["lotInvoiceSettings"] is None
    mine = await ctx.gql(SETTINGS_OF, {"lot": ctx.world.id("lot:A1a")}, token=ctx.world.tokens["custA1"])
    assert mine["data"]["lotInvoiceSettings"]["sellerName"] == "上海停车管理有限公司"
    # the settings never carry the provider's keys
    assert "appSecret" not in str(mine)
    assert ctx.fake.app_secret not in str(mine)


BAD_INPUT = [
    ({"orderIds": []}, "orderIds", "请选择要开票的缴费记录"),
    ({"orderIds": ["abc"]}, "orderIds", None),
    ({"orderIds": ["99999999999999999999999"]}, "orderIds", None),
    ({"orderIds": [str(i) for i in range(1, 22)]}, "orderIds", "一张发票最多合并 20 笔缴费"),
    ({"title": "   "}, "title", "发票抬头应为 1 到 100 个字符"),
    ({"title": "长" * 101}, "title", None),
    ({"buyerKind": "COMPANY"}, "taxNumber", "单位抬头须填写纳税人识别号"),
    ({"buyerKind": "COMPANY", "taxNumber": "123"}, "taxNumber", "纳税人识别号应为 15 到 20 位数字或大写字母"),
    ({"taxNumber": "91310000MA1FL0000X"}, "taxNumber", "个人抬头无需填写纳税人识别号"),
    ({"email": "not-an-email"}, "email", "请填写正确的电子邮箱"),
    ({"email": "a@" + "b" * 100 + ".cn"}, "email", None),
]


@pytest.mark.parametrize(("change", "field", "message"), BAD_INPUT)
async def test_bad_input_is_refused_with_its_field(
    invoicing: Invoicing, change: dict[str, Any], field: str, message: str | None
) -> None:
    ctx = invoicing
    order = await ctx.paid_order()
    change = dict(change)  # the parameters are shared by both databases' runs
    ids = change.pop("orderIds", [order])
    refused = await ctx.request(ids, **change)
    assert (refused["__typename"], refused["code"], refused["field"]) == ("InvoiceError", "INVALID", field)
    if message is not None:
        assert refused["message"] == message
    assert await invoice_count(ctx) == 0


async def test_orders_that_cannot_be_invoiced(invoicing: Invoicing) -> None:
    ctx = invoicing
    paid = await ctx.paid_order()
    unpaid = await ctx.paid_order(status=OrderStatus.PAYING, paid_at=None)
    refunded = await ctx.paid_order(status=OrderStatus.PARTLY_REFUNDED, refunded_fen=100)
    old = await ctx.paid_order(paid_days_ago=366)
    free = await ctx.paid_order(fen=0)
    elsewhere = await ctx.paid_order("A1b")
    expected = [
        ([paid, unpaid], "CONFLICT", "该笔订单尚未支付，不能开票"),
        ([refunded], "CONFLICT", "该笔订单已退款，不能开票"),
        ([old], "EXPIRED", "该笔订单已超过开票期限（支付后 365 天内）"),
        ([free], "INVALID", "金额为 0 的订单无需开票"),
        ([paid, elsewhere], "INVALID", "不同停车场的缴费请分别开票"),
        ([elsewhere], "CONFLICT", "该停车场暂未开通电子发票"),
    ]
    for ids, code, message in expected:
        refused = await ctx.request(ids)
        assert (refused.get("code"), refused.get("message")) == (code, message), ids
    assert await invoice_count(ctx) == 0
    # the deadline is the lot's: a longer one lets the old payment through
    assert (await ctx.set_lot(deadlineDays=400))["__typename"] == "LotInvoiceSettingsSuccess"
    assert (await ctx.request([old]))["__typename"] == "DriverInvoiceSuccess"
    # one invoice per payment
    assert (await ctx.request([paid]))["__typename"] == "DriverInvoiceSuccess"
    twice = await ctx.request([paid])
    assert (twice["code"], twice["message"]) == ("DUPLICATE", "该笔订单已开过发票")
    assert await linked_orders(ctx) == sorted([old, paid])
    await ctx.dispatch.drain()


async def test_no_driver_token(invoicing: Invoicing) -> None:
    ctx = invoicing
    order = await ctx.paid_order()
    body = await ctx.gql(
        "mutation R($i: InvoiceRequestInput!) { invoiceRequest(input: $i) { ... on InvoiceError { code } } }",
        {"i": {"orderIds": [str(order)], "title": "张三", "email": "zs@example.com"}},
    )
    assert body["data"]["invoiceRequest"] == {"code": "UNAUTHENTICATED"}
    # an operator's token is no driver's
    operator = await ctx.request([order], token=ctx.world.tokens["platform"])
    assert operator["code"] == "UNAUTHENTICATED"
    mine = await ctx.gql("{ myInvoices { items { id } } }")
    assert mine["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await invoice_count(ctx) == 0


SETTINGS_REFUSALS = [
    ({"taxRatePermille": 70}, "taxRatePermille"),
    ({"goodsCode": "123"}, "goodsCode"),
    ({"deadlineDays": 0}, "deadlineDays"),
    ({"deadlineDays": 100000}, "deadlineDays"),
    ({"sellerName": ""}, "sellerName"),
    ({"sellerTaxNumber": "bad tax"}, "sellerTaxNumber"),
    ({"sellerPhone": "1" * 21}, "sellerPhone"),
]


@pytest.mark.parametrize(("change", "field"), SETTINGS_REFUSALS)
async def test_bad_settings_change_nothing(invoicing: Invoicing, change: dict[str, Any], field: str) -> None:
    ctx = invoicing
    refused = await ctx.set_lot(**change)
    assert (refused["code"], refused["field"]) == ("INVALID", field)
    body = await ctx.gql(
        "query S($lot: ID!) { lotInvoiceSettings(lotId: $lot) { sellerName taxRatePermille deadlineDays } }",
        {"lot": ctx.world.id("lot:A1a")},
        token=ctx.world.tokens["platform"],
    )
    assert body["data"]["lotInvoiceSettings"] == {
        "sellerName": "上海停车管理有限公司",
        "taxRatePermille": 90,
        "deadlineDays": 365,
    }


async def test_first_settings_need_a_seller(invoicing: Invoicing) -> None:
    ctx = invoicing
    body = await ctx.gql(
        "mutation S($lot: ID!) { lotInvoiceSettingsUpdate(lotId: $lot, input: {taxRatePermille: 30}) "
        "{ ... on InvoiceError { code field } } }",
        {"lot": ctx.world.id("lot:A1b")},
        token=ctx.world.tokens["platform"],
    )
    assert body["data"]["lotInvoiceSettingsUpdate"] == {"code": "INVALID", "field": "sellerName"}


async def test_pdf_of_an_invoice_not_issued(invoicing: Invoicing) -> None:
    ctx = invoicing
    ctx.fake.down = True
    asked = await ctx.request([await ctx.paid_order()])
    await ctx.dispatch.drain()
    headers = {"Authorization": f"Bearer {ctx.token(ctx.driver)}"}
    assert (
        await ctx.http.get(f"/api/driver/invoices/{asked['invoice']['id']}/pdf", headers=headers)
    ).status_code == 409
    assert (await ctx.http.get("/api/driver/invoices/abc/pdf", headers=headers)).status_code == 404
    assert (await ctx.http.get("/api/driver/invoices/999999/pdf", headers=headers)).status_code == 404
