"""Buying a pack of coupons online: a COUPON_PURCHASE order through the WeChat Pay fake (the real wechatpayv3 SDK
signs and verifies), paid in the payer's WeChat client, its notification relayed to our endpoint; the stock is
created once, however often the notification arrives."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select

from fakes.recorder import NotificationRecorder, Recorded
from parking.common.database import Database
from parking.common.scope import Scope
from parking.merchants.models import CouponStock, LedgerKind, MerchantLedgerEntry, StockSource
from parking.payments.models import OrderStatus, PaymentOrder, PaymentPurpose
from tests.conftest import GraphQL
from tests.merchants.accounts_world import PRICE_FEN, build_merchant_world, count, mutate
from tests.payments.conftest import (  # noqa: F401  (the fakes and our app wired to them)
    alipay,
    alipay_config,
    alipay_fake,
    channels,
    pay_client,
    recorder,
    wechat,
    wechat_config,
    wechat_control,
    wechat_fake,
)

OPENID = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"
WECHAT_NOTIFY = "/payments/notify/wechatpay"
BOUGHT = "... on CouponPackBuySuccess { order { outTradeNo amountFen purpose status sessionId } clientParams qrCode }"


def _buy(mw: Any, quantity: int, channel: str = "WECHAT_JSAPI", openid: str | None = OPENID) -> str:
    payer = f', openid: "{openid}"' if openid else ""
    ids = f'merchantId: "{mw.id("merchant:M")}", templateId: "{mw.id("template:T")}"'
    return f"input: {{{ids}, quantity: {quantity}, channel: {channel}{payer}}}"


async def _pay_in_wechat(
    control: httpx.AsyncClient, notices: NotificationRecorder, params: dict[str, str]
) -> list[Recorded]:
    """The payer's WeChat client runs wx.requestPayment with the params we handed out."""
    before = len(notices.received)
    response = await control.post("/request-payment", json=params)
    assert response.status_code == 200, response.text
    return notices.received[before:]


async def _relay(http: httpx.AsyncClient, deliveries: list[Recorded]) -> list[int]:
    statuses = []
    for d in deliveries:
        headers = {k: v for k, v in d.headers.items() if k.lower() not in ("host", "content-length")}
        statuses.append((await http.post(WECHAT_NOTIFY, content=d.body, headers=headers)).status_code)
    return statuses


async def _order(db: Database, out_trade_no: str) -> PaymentOrder:
    async with db.session(Scope.internal()) as s:
        row = await s.scalar(select(PaymentOrder).where(PaymentOrder.out_trade_no == out_trade_no))
        assert row is not None
        return row


async def test_a_paid_pack_becomes_stock_once_even_when_the_notification_is_replayed(
    db: Database,
    pay_client: httpx.AsyncClient,  # noqa: F811
    wechat_control: httpx.AsyncClient,  # noqa: F811
    recorder: tuple[NotificationRecorder, str],  # noqa: F811
) -> None:
    mw = await build_merchant_world(db)
    gql = GraphQL(pay_client)
    # given the cafe's operator orders 20 coupons at 3 yuan through WeChat Pay JSAPI
    bought = await mutate(gql, mw.token("mop"), "couponPackBuy", _buy(mw, 20), BOUGHT)
    order = bought["order"]
    stocks_before = await count(db, CouponStock)
    # when the payer pays in WeChat and the notification reaches us, then arrives again
    deliveries = await _pay_in_wechat(wechat_control, recorder[0], bought["clientParams"])
    first = await _relay(pay_client, deliveries)
    replayed = await _relay(pay_client, deliveries)
    # then the order is paid and the merchant has one new stock of 20, with one PURCHASE line on its statement
    assert (order["amountFen"], order["purpose"], order["status"], order["sessionId"]) == (
        20 * PRICE_FEN,
        "COUPON_PURCHASE",
        "PAYING",
        None,
    )
    assert len(deliveries) == 1
    assert first[0] < 300
    assert all(status < 500 for status in replayed)
    paid = await _order(db, order["outTradeNo"])
    assert (paid.status, paid.purpose) == (OrderStatus.PAID, PaymentPurpose.COUPON_PURCHASE)
    async with db.session(Scope.internal()) as s:
        stocks = list(await s.scalars(select(CouponStock).where(CouponStock.order_id == paid.id)))
        entries = list(await s.scalars(select(MerchantLedgerEntry).where(MerchantLedgerEntry.order_id == paid.id)))
    assert [(st.source, st.quantity, st.remaining, st.price_fen) for st in stocks] == [
        (StockSource.PURCHASE, 20, 20, 20 * PRICE_FEN)
    ]
    assert [(e.kind, e.amount_fen, e.balance_after_fen) for e in entries] == [(LedgerKind.PURCHASE, 0, 0)]
    assert await count(db, CouponStock) == stocks_before + 1
    # and the merchant can issue from it
    body = await gql(
        f'{{ couponStocks(filter: {{merchantId: "{mw.id("merchant:M")}"}}) {{ items {{ source remaining }} }} }}',
        token=mw.token("mop"),
    )
    assert {"source": "PURCHASE", "remaining": 20} in body["data"]["couponStocks"]["items"]


async def test_native_qr_pack_paid_twice_by_copies_credits_once(
    db: Database,
    pay_client: httpx.AsyncClient,  # noqa: F811
    wechat_control: httpx.AsyncClient,  # noqa: F811
    recorder: tuple[NotificationRecorder, str],  # noqa: F811
) -> None:
    mw = await build_merchant_world(db)
    gql = GraphQL(pay_client)
    bought = await mutate(gql, mw.token("lotA1a"), "couponPackBuy", _buy(mw, 2, "WECHAT_NATIVE", None), BOUGHT)
    out_trade_no = bought["order"]["outTradeNo"]
    before = len(recorder[0].received)
    response = await wechat_control.post(f"/transactions/{out_trade_no}/pay", json={"copies": 2})
    assert response.status_code == 200, response.text
    statuses = await _relay(pay_client, recorder[0].received[before:])
    assert bought["qrCode"]
    assert all(status < 500 for status in statuses)
    paid = await _order(db, out_trade_no)
    assert paid.status is OrderStatus.PAID
    assert await count(db, CouponStock, CouponStock.order_id == paid.id) == 1
    assert await count(db, MerchantLedgerEntry, MerchantLedgerEntry.order_id == paid.id) == 1


async def test_buying_is_refused_without_a_payer_for_jsapi_or_for_another_merchant(
    db: Database,
    pay_client: httpx.AsyncClient,  # noqa: F811
) -> None:
    mw = await build_merchant_world(db)
    gql = GraphQL(pay_client)
    no_payer = await mutate(gql, mw.token("mop"), "couponPackBuy", _buy(mw, 1, openid=None), BOUGHT)
    other = await mutate(gql, mw.token("nop"), "couponPackBuy", _buy(mw, 1), BOUGHT)
    too_many = await mutate(gql, mw.token("mop"), "couponPackBuy", _buy(mw, 0), BOUGHT)
    assert (no_payer["code"], no_payer["field"]) == ("INVALID", "openid")
    assert (other["code"], other["field"]) == ("PERMISSION_DENIED", "merchantId")
    assert (too_many["code"], too_many["field"]) == ("INVALID", "quantity")
    assert await count(db, PaymentOrder) == 0
