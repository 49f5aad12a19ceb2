"""Pay on behalf (代缴): anyone may pay a plate's fee or its arrears; an order whose payer is not known as the
plate's driver is marked so with the payer's note, listed by that filter, and its openid is never taken as the
driver's. Paid through the WeChat Pay fake and the wechatpayv3 SDK, notifications relayed byte for byte."""

from __future__ import annotations

from typing import Any

from config.settings import Settings
from parking.common.scope import Scope
from parking.payments.anonymous import issue_stay_token
from parking.payments.frictionless.entry import known_openid
from parking.payments.models import OrderStatus, PaymentPurpose
from parking.payments.state import DoublePayment
from parking.sessions.enums import SessionState
from tests.conftest import GraphQL
from tests.factories import build_world
from tests.payments.flow import PLATE, Flow, wall_now

CREATE = """
mutation Pay($input: PaymentCreateInput!) {
  paymentCreate(input: $input) {
    __typename
    ... on PaymentCreateSuccess { order { outTradeNo amountFen purpose onBehalf payerNote sessionId } reused }
    ... on PaymentError { code message field }
  }
}
"""
ORDERS = """
query Orders($filter: PaymentOrderFilter) {
  paymentOrders(filter: $filter) { items { outTradeNo onBehalf payerNote plate } }
}
"""
DRIVER = "o-driver-own"
FRIEND = "o-friend-pays"


async def create(gql: GraphQL, **input: Any) -> dict[str, Any]:
    body = await gql(CREATE, {"input": input})
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["paymentCreate"]
    assert result["__typename"] == "PaymentCreateSuccess", result
    return result


async def test_a_friend_pays_a_cars_fee_on_behalf_with_a_note(flow: Flow, settings: Settings) -> None:
    gql = GraphQL(flow.http)
    session_id = await flow.enter(minutes_ago=70)
    code = await flow.lane_code("in")
    # given the driver, who scanned the lane the car stands at (a stay token), paying an earlier fee
    token = issue_stay_token(settings.secret_key, session_id, wall_now())
    own = await create(gql, stayToken=token, channel="WECHAT_JSAPI", payerId=DRIVER)
    assert (own["order"]["onBehalf"], own["order"]["payerNote"]) == (False, "")
    # when a friend who knows the plate pays it from the lane's code, with a note (control characters dropped)
    friend = await create(
        gql, laneCode=code, plate=PLATE, channel="WECHAT_JSAPI", payerId=FRIEND, payerNote="  替老王缴费\x00\n "
    )
    # then the friend's order is on behalf, keeps the note, and is a parking fee like any other
    order = friend["order"]
    assert (order["onBehalf"], order["payerNote"], order["amountFen"]) == (True, "替老王缴费", 600)
    assert order["purpose"] == "PARKING_PREPAY"
    # when the friend pays in WeChat
    [response] = await flow.relay(await flow.wechat_pay(order["outTradeNo"]))
    assert response.status_code == 204
    # then the stay is credited as by the driver
    assert (await flow.stay(session_id)).paid_fen == 600
    # and an operator finds it by the filter, with the whole plate and the note
    world = await build_world(flow.db)
    body = await gql(ORDERS, {"filter": {"onBehalf": True}}, token=world.tokens["platform"])
    assert "errors" not in body, body
    nodes = body["data"]["paymentOrders"]["items"]
    assert nodes == [{"outTradeNo": order["outTradeNo"], "onBehalf": True, "payerNote": "替老王缴费", "plate": PLATE}]
    mine = await gql(ORDERS, {"filter": {"onBehalf": False}}, token=world.tokens["platform"])
    assert [o["outTradeNo"] for o in mine["data"]["paymentOrders"]["items"]] == [own["order"]["outTradeNo"]]
    # and the plate's WeChat user is still the driver, not the friend who paid last
    stay = await flow.stay(session_id)
    async with flow.db.session(Scope.internal()) as s:
        assert await known_openid(s, stay.customer_id, PLATE) == DRIVER


async def test_a_driver_who_paid_the_plate_before_is_not_on_behalf(flow: Flow, settings: Settings) -> None:
    gql = GraphQL(flow.http)
    code = await flow.lane_code("in")
    # given the driver paid a first stay at the car (stay token)
    first = await flow.enter(minutes_ago=70)
    token = issue_stay_token(settings.secret_key, first, wall_now())
    paid = await create(gql, stayToken=token, channel="WECHAT_JSAPI", payerId=DRIVER)
    await flow.relay(await flow.wechat_pay(paid["order"]["outTradeNo"]))
    await flow.site.update_session(first, state=SessionState.EXITED, exit_at=wall_now())
    # when the same driver pays the next stay by typing the plate
    await flow.enter(minutes_ago=40)
    typed = await create(gql, laneCode=code, plate=PLATE, channel="WECHAT_JSAPI", payerId=DRIVER)
    # then it is the driver's own payment
    assert typed["order"]["onBehalf"] is False
    # while a payer at a QR code (no payer id) is on behalf only when they say so
    shown = await create(gql, laneCode=code, plate=PLATE, channel="WECHAT_NATIVE")
    said = await create(gql, laneCode=code, plate=PLATE, channel="ALIPAY_QR", onBehalf=True, payerNote="同事代付")
    assert (shown["order"]["onBehalf"], said["order"]["onBehalf"], said["order"]["payerNote"]) == (
        False,
        True,
        "同事代付",
    )


async def test_anyone_pays_a_plates_arrears_when_the_car_is_not_inside(flow: Flow) -> None:
    gql = GraphQL(flow.http)
    code = await flow.lane_code("in")
    # given two earlier stays that left owing 600 and 400 fen
    older = await flow.enter(minutes_ago=300)
    await flow.site.update_session(older, state=SessionState.EXITED, exit_at=wall_now(), arrears_fen=600)
    newer = await flow.enter(minutes_ago=200)
    await flow.site.update_session(newer, state=SessionState.EXITED, exit_at=wall_now(), arrears_fen=400)
    # when a friend pays the plate's arrears from a lane's code, the car being away
    made = await create(gql, laneCode=code, plate=PLATE, channel="WECHAT_JSAPI", payerId=FRIEND, payerNote="代缴欠费")
    order = made["order"]
    assert (order["purpose"], order["amountFen"], order["sessionId"]) == ("ARREARS", 1000, None)
    assert (order["onBehalf"], order["payerNote"]) == (True, "代缴欠费")
    # and asks again (a reloaded page): the same order
    again = await create(gql, laneCode=code, plate=PLATE, channel="WECHAT_JSAPI", payerId=FRIEND)
    assert (again["reused"], again["order"]["outTradeNo"]) == (True, order["outTradeNo"])
    # and WeChat delivers the payment twice
    responses = await flow.relay(await flow.wechat_pay(order["outTradeNo"], copies=2))
    assert [r.status_code for r in responses] == [204, 204]
    # then both stays are cleared, once
    assert [(await flow.stay(s)).arrears_fen for s in (older, newer)] == [0, 0]
    assert (await flow.order(order["outTradeNo"])).status is OrderStatus.PAID
    # and with nothing owed and no car inside, there is nothing to pay
    body = await gql(CREATE, {"input": {"laneCode": code, "plate": PLATE, "channel": "WECHAT_NATIVE"}})
    refused = body["data"]["paymentCreate"]
    assert (refused["code"], refused["field"]) == ("NOT_FOUND", "plate")


async def test_arrears_paid_twice_give_the_second_payment_back(flow: Flow) -> None:
    gql = GraphQL(flow.http)
    code = await flow.lane_code("in")
    stay = await flow.enter(minutes_ago=300)
    await flow.site.update_session(stay, state=SessionState.EXITED, exit_at=wall_now(), arrears_fen=600)
    # given the driver and a friend each with an order for the same arrears
    mine = await create(gql, laneCode=code, plate=PLATE, channel="WECHAT_JSAPI", payerId=DRIVER)
    theirs = await create(gql, laneCode=code, plate=PLATE, channel="WECHAT_JSAPI", payerId=FRIEND)
    assert mine["order"]["outTradeNo"] != theirs["order"]["outTradeNo"]
    # when both pay
    await flow.relay(await flow.wechat_pay(mine["order"]["outTradeNo"]))
    await flow.relay(await flow.wechat_pay(theirs["order"]["outTradeNo"]))
    # then the arrears are cleared once, and the second payment is a double payment going back
    assert (await flow.stay(stay)).arrears_fen == 0
    second = await flow.order(theirs["order"]["outTradeNo"])
    assert (second.status, second.double_payment) == (OrderStatus.PAID, DoublePayment.ALREADY_SETTLED)
    assert second.purpose is PaymentPurpose.ARREARS
    first = await flow.order(mine["order"]["outTradeNo"])
    assert (first.status, first.double_payment) == (OrderStatus.PAID, None)
