"""Payments through GraphQL: a driver starts a payment by a lane's code and the plate (or the stay token of the
exit's QR code) and follows its status; cash by an operator."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from parking.common.audit import AuditEntry
from parking.common.scope import Scope
from tests.conftest import GraphQL
from tests.factories import build_world
from tests.payments.flow import PLATE, Flow, wall_now

CREATE = """
mutation Pay($input: PaymentCreateInput!) {
  paymentCreate(input: $input) {
    __typename
    ... on PaymentCreateSuccess { order { outTradeNo amountFen status purpose plate } clientParams qrCode reused }
    ... on PaymentError { code message field }
  }
}
"""
STATUS = "query S($no: String!) { paymentStatus(outTradeNo: $no) { outTradeNo status amountFen paidAt } }"
CASH = """
mutation Cash($id: ID!, $fen: Fen!) {
  paymentRecordCash(sessionId: $id, amountFen: $fen) {
    __typename
    ... on PaymentCashSuccess { order { channel status amountFen } gateOpened }
    ... on PaymentError { code message field }
  }
}
"""


async def create(gql: GraphQL, **input: Any) -> dict[str, Any]:
    body = await gql(CREATE, {"input": input})
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["paymentCreate"]
    return result


async def test_driver_pays_by_lane_code_and_plate_and_sees_the_status(flow: Flow) -> None:
    gql = GraphQL(flow.http)
    session_id = await flow.enter(minutes_ago=70)
    await flow.site.read("out", PLATE, wall_now() - timedelta(minutes=1))
    # when the driver at the exit scans the lane's code and types the plate (no login)
    code = await flow.lane_code("out")
    created = await create(gql, laneCode=code, plate="京a 12345", channel="WECHAT_NATIVE")
    assert created["__typename"] == "PaymentCreateSuccess"
    order = created["order"]
    # (an anonymous caller sees the plate masked)
    assert (order["amountFen"], order["status"], order["purpose"], order["plate"]) == (
        600,
        "PAYING",
        "PARKING_EXIT",
        "京A·***45",
    )
    assert created["qrCode"].startswith("weixin://")
    assert created["clientParams"] == {}
    # and asking again through the exit's QR code (its stay token) shows the same order
    waiting = await flow.waiting("out")
    assert waiting is not None
    assert (waiting["plate"], waiting["feeFen"], "sessionId" in waiting) == ("京A·***45", 600, False)
    again = await create(gql, stayToken=waiting["stayToken"], channel="WECHAT_NATIVE")
    assert (again["order"]["outTradeNo"], again["reused"]) == (order["outTradeNo"], True)
    # then, after paying, its status page shows it paid, and the car is let out
    before = await gql(STATUS, {"no": order["outTradeNo"]})
    assert before["data"]["paymentStatus"]["status"] == "PAYING"
    await flow.relay(await flow.wechat_pay(order["outTradeNo"]))
    after = await gql(STATUS, {"no": order["outTradeNo"]})
    assert after["data"]["paymentStatus"]["status"] == "PAID"
    assert len(await flow.queued_opens(session_id)) == 1


async def test_jsapi_returns_the_request_payment_params(flow: Flow) -> None:
    gql = GraphQL(flow.http)
    await flow.enter(minutes_ago=70)
    by_plate = {"laneCode": await flow.lane_code("in"), "plate": PLATE}
    created = await create(gql, **by_plate, channel="WECHAT_JSAPI", payerId="o-openid-1")
    assert sorted(created["clientParams"]) == ["appId", "nonceStr", "package", "paySign", "signType", "timeStamp"]
    missing = await create(gql, **by_plate, channel="WECHAT_JSAPI")
    assert (missing["__typename"], missing["code"], missing["field"]) == ("PaymentError", "INVALID", "payerId")


async def test_unknown_plate_and_bad_plate_are_coded_errors(flow: Flow) -> None:
    gql = GraphQL(flow.http)
    await flow.enter(minutes_ago=70)
    code = await flow.lane_code("in")
    absent = await create(gql, laneCode=code, plate="沪B99999", channel="ALIPAY_QR")
    assert (absent["code"], absent["field"]) == ("NOT_FOUND", "plate")
    bad = await create(gql, laneCode=code, plate="not a plate", channel="ALIPAY_QR")
    assert (bad["code"], bad["field"]) == ("INVALID", "plate")
    cash = await create(gql, laneCode=code, plate=PLATE, channel="CASH")
    assert (cash["code"], cash["field"]) == ("INVALID", "channel")
    assert (await flow.orders((await flow.site.open_sessions(PLATE))[0].id)) == []


async def test_unknown_order_status_is_not_found(flow: Flow) -> None:
    body = await GraphQL(flow.http)(STATUS, {"no": "P20261121000000XXXXXXXXXXXXXX"})
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_cash_needs_the_permission_and_is_audited(flow: Flow) -> None:
    gql = GraphQL(flow.http)
    world = await build_world(flow.db)
    session_id = await flow.enter(minutes_ago=70)
    await flow.site.read("out", PLATE, wall_now() - timedelta(minutes=1))
    variables = {"id": str(session_id), "fen": 600}
    # an operator without the permission is refused and nothing is recorded
    denied = await gql(CASH, variables, token=world.tokens["viewer"])
    assert denied["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    # an operator of another agent does not see the stay
    other = await gql(CASH, variables, token=world.tokens["agentB"])
    assert other["data"]["paymentRecordCash"]["code"] == "NOT_FOUND"
    # the wrong amount is refused
    wrong = await gql(CASH, {**variables, "fen": 601}, token=world.tokens["platform"])
    assert (wrong["data"]["paymentRecordCash"]["code"], wrong["data"]["paymentRecordCash"]["field"]) == (
        "INVALID",
        "amountFen",
    )
    assert await flow.orders(session_id) == []
    # the right operator and amount: paid, the gate opens, one audit entry
    done = await gql(CASH, variables, token=world.tokens["platform"])
    assert done["data"]["paymentRecordCash"] == {
        "__typename": "PaymentCashSuccess",
        "order": {"channel": "CASH", "status": "PAID", "amountFen": 600},
        "gateOpened": True,
    }
    async with flow.db.session(Scope.internal()) as s:
        entries = list(await s.scalars(select(AuditEntry).where(AuditEntry.action == "payment.cash")))
    assert [(e.operator_id, e.entity) for e in entries] == [(world.ids["operator:platform"], "payment_order")]


OWED = "query O($id: ID!) { sessionOwed(sessionId: $id) }"


async def test_the_booth_reads_what_a_held_exit_owes_and_cash_takes_exactly_that(flow: Flow) -> None:
    gql = GraphQL(flow.http)
    world = await build_world(flow.db)
    session_id = await flow.enter(minutes_ago=70)
    await flow.site.read("out", PLATE, wall_now() - timedelta(minutes=1))
    variables = {"id": str(session_id)}
    assert (await gql(OWED, variables, token=world.tokens["viewer"]))["errors"][0]["extensions"]["code"] == (
        "PERMISSION_DENIED"
    )
    # another agent's operator does not see the stay; a malformed id is no stay either
    assert (await gql(OWED, variables, token=world.tokens["agentB"]))["data"]["sessionOwed"] is None
    assert (await gql(OWED, {"id": "x"}, token=world.tokens["platform"]))["data"]["sessionOwed"] is None
    owed = (await gql(OWED, variables, token=world.tokens["platform"]))["data"]["sessionOwed"]
    assert owed == 600
    done = await gql(CASH, {"id": str(session_id), "fen": owed}, token=world.tokens["platform"])
    assert done["data"]["paymentRecordCash"]["__typename"] == "PaymentCashSuccess"
    # paid and let out: nothing more to take
    assert (await gql(OWED, variables, token=world.tokens["platform"]))["data"]["sessionOwed"] == 0
