"""Refunds: a reason, one operator asks and another approves, never more than was paid, credited once."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from parking.accounts.auth import issue_token
from parking.accounts.models import Operator
from parking.common.scope import Scope, ScopeLevel
from parking.payments.models import OrderStatus, PaymentChannel, Refund, RefundStatus
from tests.conftest import GraphQL
from tests.factories import PASSWORD_HASH, SECRET, World, build_world
from tests.payments.flow import ALIPAY_NOTIFY, Flow

REQUEST = """
mutation R($order: ID!, $fen: Fen!, $reason: String!) {
  refundRequest(orderId: $order, amountFen: $fen, reason: $reason) {
    __typename
    ... on RefundSuccess { refund { id outRefundNo amountFen status reason } }
    ... on PaymentError { code message field }
  }
}
"""
DECIDE = """
mutation D($id: ID!) {
  refundApprove(id: $id) {
    __typename
    ... on RefundSuccess { refund { id amountFen status } }
    ... on PaymentError { code message field }
  }
}
"""
REJECT = """
mutation R($id: ID!, $reason: String!) {
  refundReject(id: $id, reason: $reason) {
    __typename
    ... on RefundSuccess { refund { id amountFen status decisionNote } }
    ... on PaymentError { code message field }
  }
}
"""


async def second_approver(flow: Flow, world: World) -> str:
    """Another platform operator with every permission: refunds need two people."""
    async with flow.db.transaction(Scope.internal()) as s:
        op = Operator(
            scope_level=ScopeLevel.PLATFORM,
            username="approver",
            display_name="approver",
            password_hash=PASSWORD_HASH,
            role_id=world.ids["role:all"],
        )
        s.add(op)
        await s.flush()
        return issue_token(SECRET, op, datetime.now(UTC), 3600)


async def paid_order(flow: Flow, channel: PaymentChannel = PaymentChannel.WECHAT_NATIVE) -> tuple[int, str]:
    session_id = await flow.enter(minutes_ago=70)
    started = await flow.start(session_id, channel)
    if channel is PaymentChannel.ALIPAY_QR:
        await flow.relay(await flow.alipay_pay(started.order.out_trade_no), ALIPAY_NOTIFY)
    else:
        await flow.relay(await flow.wechat_pay(started.order.out_trade_no))
    assert (await flow.order(started.order.out_trade_no)).status is OrderStatus.PAID
    return started.order.id, started.order.out_trade_no


async def refunds_of(flow: Flow, order_id: int) -> list[tuple[int, RefundStatus]]:
    async with flow.db.session(Scope.internal()) as s:
        rows = await s.scalars(select(Refund).where(Refund.order_id == order_id).order_by(Refund.id))
        return [(r.amount_fen, r.status) for r in rows]


async def ask(gql: GraphQL, token: str, order_id: int, fen: int, reason: str = "多收费") -> dict[str, Any]:
    body = await gql(REQUEST, {"order": str(order_id), "fen": fen, "reason": reason}, token=token)
    result: dict[str, Any] = body["data"]["refundRequest"]
    return result


async def test_wechat_refund_needs_two_people_and_never_exceeds_the_payment(flow: Flow) -> None:
    gql = GraphQL(flow.http)
    world = await build_world(flow.db)
    requester, approver = world.tokens["platform"], await second_approver(flow, world)
    order_id, out_trade_no = await paid_order(flow)
    # more than was paid is refused, and so is a refund without a reason; nothing is recorded
    too_much = await ask(gql, requester, order_id, 601)
    assert (too_much["code"], too_much["field"]) == ("INVALID", "amountFen")
    assert too_much["message"] == "refund of 601 fen exceeds the 600 fen still refundable"
    no_reason = await ask(gql, requester, order_id, 100, reason="  ")
    assert (no_reason["code"], no_reason["field"]) == ("INVALID", "reason")
    assert await refunds_of(flow, order_id) == []
    # a request holds its amount: a second one for more than the rest is refused
    asked = await ask(gql, requester, order_id, 400)
    assert asked["refund"]["status"] == "REQUESTED"
    rest = await ask(gql, requester, order_id, 201)
    assert rest["message"] == "refund of 201 fen exceeds the 200 fen still refundable"
    # the requester cannot approve it
    own = (await gql(DECIDE, {"id": asked["refund"]["id"]}, token=requester))["data"]["refundApprove"]
    assert own["code"] == "PERMISSION_DENIED"
    # another operator approves: WeChat accepts it and finishes it later
    approved = (await gql(DECIDE, {"id": asked["refund"]["id"]}, token=approver))["data"]["refundApprove"]
    assert approved["refund"]["status"] == "PROCESSING"
    again = (await gql(DECIDE, {"id": asked["refund"]["id"]}, token=approver))["data"]["refundApprove"]
    assert again["code"] == "CONFLICT"
    # when WeChat's REFUND.SUCCESS arrives twice, the refund is counted once
    no = asked["refund"]["outRefundNo"]
    before = len(flow.recorder.received)
    done = await flow.wechat_control.post(f"/refunds/{no}/complete", json={"outcome": "success", "copies": 2})
    assert done.status_code == 200
    responses = await flow.relay(flow.recorder.received[before:])
    assert [r.status_code for r in responses] == [204, 204]
    assert await refunds_of(flow, order_id) == [(400, RefundStatus.SUCCEEDED)]
    order = await flow.order(out_trade_no)
    assert (order.status, order.refunded_fen) == (OrderStatus.PARTLY_REFUNDED, 400)


async def test_rejected_refund_frees_its_amount(flow: Flow) -> None:
    gql = GraphQL(flow.http)
    world = await build_world(flow.db)
    requester, approver = world.tokens["platform"], await second_approver(flow, world)
    order_id, _ = await paid_order(flow)
    asked = await ask(gql, requester, order_id, 600)
    refund_id = asked["refund"]["id"]
    blank = (await gql(REJECT, {"id": refund_id, "reason": "  "}, token=approver))["data"]["refundReject"]
    assert (blank["code"], blank["field"]) == ("INVALID", "reason")
    assert await refunds_of(flow, order_id) == [(600, RefundStatus.REQUESTED)]  # a blank reason changes nothing
    rejected = (await gql(REJECT, {"id": refund_id, "reason": "车辆未出场, 不予退款"}, token=approver))["data"][
        "refundReject"
    ]
    assert rejected["refund"]["status"] == "REJECTED"
    assert rejected["refund"]["decisionNote"] == "车辆未出场, 不予退款"
    assert (await ask(gql, requester, order_id, 600))["refund"]["amountFen"] == 600


async def test_alipay_full_refund_finishes_at_once(flow: Flow) -> None:
    gql = GraphQL(flow.http)
    world = await build_world(flow.db)
    requester, approver = world.tokens["platform"], await second_approver(flow, world)
    order_id, out_trade_no = await paid_order(flow, PaymentChannel.ALIPAY_QR)
    asked = await ask(gql, requester, order_id, 600)
    approved = (await gql(DECIDE, {"id": asked["refund"]["id"]}, token=approver))["data"]["refundApprove"]
    assert approved["refund"]["status"] == "SUCCEEDED"
    order = await flow.order(out_trade_no)
    assert (order.status, order.refunded_fen) == (OrderStatus.REFUNDED, 600)
    nothing_left = await ask(gql, requester, order_id, 1)
    assert nothing_left["message"] == "refund of 1 fen exceeds the 0 fen still refundable"


async def test_unpaid_order_and_missing_permission_are_refused(flow: Flow) -> None:
    gql = GraphQL(flow.http)
    world = await build_world(flow.db)
    session_id = await flow.enter(minutes_ago=70)
    started = await flow.start(session_id, PaymentChannel.WECHAT_NATIVE)
    unpaid = await ask(gql, world.tokens["platform"], started.order.id, 100)
    assert (unpaid["code"], unpaid["field"]) == ("CONFLICT", "orderId")
    denied = await gql(REQUEST, {"order": str(started.order.id), "fen": 1, "reason": "x"}, token=world.tokens["viewer"])
    assert denied["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    other = await ask(gql, world.tokens["agentB"], started.order.id, 100)
    assert other["code"] == "NOT_FOUND"
    assert await refunds_of(flow, started.order.id) == []


WHO = """
query W($order: ID!) { refunds(filter: { orderId: $order }) { items { amountFen status requestedBy approvedBy } } }
"""


async def test_the_refund_list_names_who_asked_and_who_decided(flow: Flow) -> None:
    gql = GraphQL(flow.http)
    world = await build_world(flow.db)
    requester, approver = world.tokens["platform"], await second_approver(flow, world)
    order_id, _ = await paid_order(flow, PaymentChannel.ALIPAY_QR)
    first = await ask(gql, requester, order_id, 200)
    await ask(gql, requester, order_id, 100)
    await gql(DECIDE, {"id": first["refund"]["id"]}, token=approver)
    body = await gql(WHO, {"order": str(order_id)}, token=requester)
    assert body["data"]["refunds"]["items"] == [
        {"amountFen": 100, "status": "REQUESTED", "requestedBy": "platform", "approvedBy": None},
        {"amountFen": 200, "status": "SUCCEEDED", "requestedBy": "platform", "approvedBy": "approver"},
    ]
