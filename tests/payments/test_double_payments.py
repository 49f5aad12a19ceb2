"""Double payments are never silent: money for a stay that is already paid, or for a closed order, is not
credited; it raises a finance alarm, opens a refund (sent at once or waiting for approval, per lot), shows on the
order in GraphQL and is its own kind of line in reconciliation. Real wechatpayv3 / python-alipay-sdk clients
against the fakes; notifications relayed byte for byte."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from parking.alarms.models import Alarm, AlarmKind
from parking.common.scope import Scope
from parking.payments.models import OrderStatus, PaymentChannel, Refund, RefundStatus
from parking.payments.reconciliation import reconcile_day
from parking.payments.service import record_cash
from parking.payments.settlement_models import ReconciliationResult
from parking.payments.state import DoublePayment
from parking.tenancy.models import Lot
from tests.conftest import GraphQL
from tests.factories import build_world
from tests.payments.flow import ALIPAY_NOTIFY, PLATE, Flow, wall_now
from tests.payments.test_frictionless import enrol, enter, new_plate, parking_orders, push_exit, use_frictionless
from tests.payments.test_reconciliation import after_today, items, today
from tests.payments.test_refunds import DECIDE, second_approver

CREATE = """
mutation Pay($input: PaymentCreateInput!) {
  paymentCreate(input: $input) {
    __typename
    ... on PaymentCreateSuccess { order { outTradeNo amountFen status } reused }
    ... on PaymentError { code message field }
  }
}
"""
ORDERS = """
query { paymentOrders(first: 100) { items { outTradeNo status plate channelFeeFen doublePayment refundedFen } } }
"""
RECONCILIATION = """
query R($day: Date!) { reconciliation(channel: "wechatpay", day: $day) { matched doublePayment amountMismatch } }
"""


async def anonymous_create(gql: GraphQL, **input: Any) -> dict[str, Any]:
    body = await gql(CREATE, {"input": input})
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["paymentCreate"]
    assert result["__typename"] == "PaymentCreateSuccess", result
    return result


async def refunds_of(flow: Flow, out_trade_no: str) -> list[tuple[int, RefundStatus, str, int | None]]:
    order = await flow.order(out_trade_no)
    async with flow.db.session(Scope.internal()) as s:
        rows = await s.scalars(select(Refund).where(Refund.order_id == order.id).order_by(Refund.id))
        return [(r.amount_fen, r.status, r.reason, r.requested_by_id) for r in rows]


async def double_alarms(flow: Flow) -> list[tuple[str, str, int]]:
    async with flow.db.session(Scope.internal()) as s:
        rows = await s.scalars(select(Alarm).where(Alarm.kind == AlarmKind.DOUBLE_PAYMENT).order_by(Alarm.id))
        return [(a.details["out_trade_no"], a.details["reason"], a.details["amount_fen"]) for a in rows]


async def require_approval(flow: Flow) -> None:
    async with flow.db.transaction(Scope.internal()) as tx:
        await tx.execute(
            update(Lot).where(Lot.id == flow.site.lot_id).values(payment_settings={"double_payment_auto_refund": False})
        )


async def test_a_stay_paid_through_two_channels_credits_once_and_refunds_the_second_at_once(flow: Flow) -> None:
    # given a car held at the exit owing 600 fen, and two people scanning the exit's code without a login:
    # one pays with WeChat (lane code and plate), the other with Alipay (the exit's stay token)
    gql = GraphQL(flow.http)
    session_id = await flow.enter(minutes_ago=70)
    await flow.site.read("out", PLATE, wall_now() - timedelta(minutes=1))
    wechat = await anonymous_create(gql, laneCode=await flow.lane_code("out"), plate=PLATE, channel="WECHAT_NATIVE")
    waiting = await flow.waiting("out")
    assert waiting is not None
    alipay = await anonymous_create(gql, stayToken=waiting["stayToken"], channel="ALIPAY_QR")
    first, second = wechat["order"]["outTradeNo"], alipay["order"]["outTradeNo"]
    # the second request made an order beside the first and left the first open
    assert first != second
    assert [o.status for o in await flow.orders(session_id)] == [OrderStatus.PAYING, OrderStatus.PAYING]
    # when both pay
    [paid_first] = await flow.relay(await flow.wechat_pay(first))
    [paid_second] = await flow.relay(await flow.alipay_pay(second), ALIPAY_NOTIFY)
    assert (paid_first.status_code, paid_second.status_code, paid_second.text) == (204, 200, "success")
    # then the stay is credited once and the barrier opened once
    stay = await flow.stay(session_id)
    assert stay.paid_fen == 600
    assert len(await flow.queued_opens(session_id)) == 1
    # and the second payment is a double payment, refunded at once (Alipay refunds synchronously)
    order = await flow.order(second)
    assert (order.status, order.double_payment, order.refunded_fen) == (
        OrderStatus.REFUNDED,
        DoublePayment.ALREADY_SETTLED,
        600,
    )
    assert await refunds_of(flow, second) == [
        (600, RefundStatus.SUCCEEDED, "重复支付退款：该停车记录已由其他订单付清", None)
    ]
    assert (await flow.order(first)).double_payment is None
    # and a finance alarm names it
    assert await double_alarms(flow) == [(second, "already_settled", 600)]
    # and an operator sees it on the order, with both orders' channel fees (600 fen at 0.6% = 3.6, rounded: 4)
    world = await build_world(flow.db)
    listed = await gql(ORDERS, token=world.tokens["platform"])
    by_no = {o["outTradeNo"]: o for o in listed["data"]["paymentOrders"]["items"]}
    assert by_no[first] == {
        "outTradeNo": first,
        "status": "PAID",
        "plate": PLATE,
        "channelFeeFen": 4,
        "doublePayment": None,
        "refundedFen": 0,
    }
    assert by_no[second] == {
        "outTradeNo": second,
        "status": "REFUNDED",
        "plate": PLATE,
        "channelFeeFen": 4,
        "doublePayment": "ALREADY_SETTLED",
        "refundedFen": 600,
    }


async def test_money_after_cash_waits_for_an_approver_when_the_lot_says_so(flow: Flow) -> None:
    # given a lot whose double payments wait for approval, and a driver paying a WeChat QR while an operator
    # takes cash for the same stay: WeChat has the money, its notification is not here yet
    await require_approval(flow)
    world = await build_world(flow.db)
    approver = await second_approver(flow, world)
    session_id = await flow.enter(minutes_ago=70)
    await flow.site.read("out", PLATE, wall_now() - timedelta(minutes=1))
    started = await flow.start(session_id, PaymentChannel.WECHAT_NATIVE)
    no = started.order.out_trade_no
    deliveries = await flow.wechat_pay(no, copies=2)
    cash = await record_cash(flow.db, flow.channels, Scope.internal(), session_id, 600, None, wall_now())
    assert (await flow.order(no)).status is OrderStatus.CLOSED
    # when WeChat's notification (twice) arrives for the closed order
    responses = await flow.relay(deliveries)
    assert [r.status_code for r in responses] == [204, 204]
    # then the stay keeps the cash only, the barrier opened once (for the cash), and the order holds the money
    assert (await flow.stay(session_id)).paid_fen == 600
    assert [c.id for c in await flow.queued_opens(session_id)] == [cash.applied.gate_command_id]
    order = await flow.order(no)
    assert (order.status, order.double_payment, order.channel_fee_fen) == (
        OrderStatus.PAID,
        DoublePayment.PAID_AFTER_CLOSE,
        4,
    )
    # and one refund waits for an approver, with one alarm (the copy changed nothing)
    [(amount, status, reason, requester)] = await refunds_of(flow, no)
    assert (amount, status, reason, requester) == (
        600,
        RefundStatus.REQUESTED,
        "重复支付退款：订单关闭后收到付款",
        None,
    )
    assert await double_alarms(flow) == [(no, "paid_after_close", 600)]
    # when an operator approves it, WeChat refunds it and says so
    async with flow.db.session(Scope.internal()) as s:
        refund = await s.scalar(select(Refund).where(Refund.order_id == order.id))
        assert refund is not None
    approved = await GraphQL(flow.http)(DECIDE, {"id": str(refund.id)}, token=approver)
    assert approved["data"]["refundApprove"]["refund"]["status"] == "PROCESSING"
    before = len(flow.recorder.received)
    await flow.wechat_control.post(f"/refunds/{refund.out_refund_no}/complete", json={"outcome": "success"})
    await flow.relay(flow.recorder.received[before:])
    assert (await flow.order(no)).status is OrderStatus.REFUNDED
    assert (await flow.stay(session_id)).paid_fen == 600


async def test_a_double_payment_is_its_own_kind_in_reconciliation(flow: Flow) -> None:
    # given two WeChat orders for one stay (a QR and a mini-program payer), both paid; the second goes back
    gql = GraphQL(flow.http)
    world = await build_world(flow.db)
    session_id = await flow.enter(minutes_ago=70)
    native = await flow.start(session_id, PaymentChannel.WECHAT_NATIVE)
    jsapi = await flow.start(session_id, PaymentChannel.WECHAT_JSAPI)
    await flow.relay(await flow.wechat_pay(native.order.out_trade_no))
    await flow.relay(await flow.wechat_pay(jsapi.order.out_trade_no))
    [(_, status, _, _)] = await refunds_of(flow, jsapi.order.out_trade_no)
    assert status is RefundStatus.PROCESSING  # sent to WeChat, which finishes it by notification
    async with flow.db.session(Scope.internal()) as s:
        refund_no = await s.scalar(select(Refund.out_refund_no))
    before = len(flow.recorder.received)
    await flow.wechat_control.post(f"/refunds/{refund_no}/complete", json={"outcome": "success"})
    await flow.relay(flow.recorder.received[before:])
    # when the day's WeChat bill is reconciled
    run_id = await reconcile_day(flow.db, flow.channels, "wechatpay", today(), after_today())
    # then the credited payment matches, the double payment is its own kind, and its refund matches
    lot = flow.site.lot_id
    a, b = native.order.out_trade_no, jsapi.order.out_trade_no
    assert refund_no is not None
    assert await items(flow, run_id, {a, b, refund_no}) == {
        a: (ReconciliationResult.MATCHED, "payment", 600, 600, lot),
        b: (ReconciliationResult.DOUBLE_PAYMENT, "payment", 600, 600, lot),
        refund_no: (ReconciliationResult.MATCHED, "refund", 600, 600, lot),
    }
    counts = await gql(RECONCILIATION, {"day": today().isoformat()}, token=world.tokens["platform"])
    assert counts["data"]["reconciliation"] == {"matched": 2, "doublePayment": 1, "amountMismatch": 0}


async def test_the_channel_fee_is_written_at_the_lots_rate_when_an_order_settles(flow: Flow) -> None:
    # given a lot with a negotiated 0.38% rate
    async with flow.db.transaction(Scope.internal()) as tx:
        await tx.execute(update(Lot).where(Lot.id == flow.site.lot_id).values(payment_settings={"fee_rate_ppm": 3800}))
    session_id = await flow.enter(minutes_ago=70)
    started = await flow.start(session_id, PaymentChannel.ALIPAY_QR)
    no = started.order.out_trade_no
    # an open order has no fee yet
    assert (await flow.order(no)).channel_fee_fen == 0
    # when it is paid: 600 fen x 0.38% = 2.28, rounded half up to 2 fen
    await flow.relay(await flow.alipay_pay(no), ALIPAY_NOTIFY)
    assert ((await flow.order(no)).status, (await flow.order(no)).channel_fee_fen) == (OrderStatus.PAID, 2)
    # and cash pays no fee
    other = await flow.enter(plate="京A54321", minutes_ago=70)
    cash = await record_cash(flow.db, flow.channels, Scope.internal(), other, 600, None, wall_now())
    assert (await flow.order(cash.order.out_trade_no)).channel_fee_fen == 0


async def test_a_frictionless_pay_back_after_the_arrears_were_paid_is_refunded(flow: Flow) -> None:
    # given a car let out on ACCEPTED (垫资) whose deduction then failed: 600 fen of arrears
    await use_frictionless(flow, advance=True)
    plate = new_plate()
    await enrol(flow, plate)
    first = await enter(flow, plate)
    await push_exit(flow, plate)
    [order] = await parking_orders(flow, first)
    await flow.relay(await flow.wechat_pay(order.out_trade_no, outcome="fail"))
    assert (await flow.stay(first)).arrears_fen == 600
    # and, back another day, the driver paid the arrears with the new stay's fee by scanning at the exit
    second = await enter(flow, plate)
    await push_exit(flow, plate)
    scanned = await flow.start(second, PaymentChannel.WECHAT_NATIVE)
    assert scanned.order.amount_fen == 1200
    await flow.relay(await flow.wechat_pay(scanned.order.out_trade_no))
    assert (await flow.stay(first)).arrears_fen == 0
    # when the driver also pays the failed deduction back in WeChat (PAY_BACK)
    [response] = await flow.relay(await flow.wechat_pay(order.out_trade_no, outcome="pay_back"))
    assert response.status_code == 204
    # then that money was paid twice: an alarm, and the refund is on its way back through WeChat
    paid_back = await flow.order(order.out_trade_no)
    assert (paid_back.status, paid_back.double_payment) == (OrderStatus.PAID, DoublePayment.ALREADY_SETTLED)
    assert await refunds_of(flow, order.out_trade_no) == [
        (600, RefundStatus.PROCESSING, "重复支付退款：该停车记录已由其他订单付清", None)
    ]
    assert await double_alarms(flow) == [(order.out_trade_no, "already_settled", 600)]


async def test_two_orders_of_one_stay_paid_at_the_same_moment_credit_once(flow: Flow, backend: str) -> None:
    if backend == "sqlite":
        pytest.skip("SQLite serialises writers itself; the conditional credit matters on PostgreSQL")
    # given two payers' orders for one stay, both paid at WeChat
    session_id = await flow.enter(minutes_ago=70)
    await flow.site.read("out", PLATE, wall_now() - timedelta(minutes=1))
    native = await flow.start(session_id, PaymentChannel.WECHAT_NATIVE)
    jsapi = await flow.start(session_id, PaymentChannel.WECHAT_JSAPI)
    deliveries = [*await flow.wechat_pay(native.order.out_trade_no), *await flow.wechat_pay(jsapi.order.out_trade_no)]
    # when both notifications arrive at once
    responses = await asyncio.gather(*(flow.relay([d]) for d in deliveries))
    assert [r.status_code for [r] in responses] == [204, 204]
    # then the stay is credited once, the barrier opens once, and exactly one order is a double payment
    assert (await flow.stay(session_id)).paid_fen == 600
    assert len(await flow.queued_opens(session_id)) == 1
    doubles = [o.double_payment for o in await flow.orders(session_id)]
    assert sorted(doubles, key=str) == [None, DoublePayment.ALREADY_SETTLED]
    assert len(await double_alarms(flow)) == 1
