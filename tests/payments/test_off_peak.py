"""Off-peak rental (错时停车) bought online: listed with the spaces left, a space held while it is paid, the pass
made once when the WeChat Pay notification comes (the fake, through the wechatpayv3 SDK), a renewal extending
it, a full period refused, a late payment for a space sold meanwhile refunded, and the bill honouring the window.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, update

from parking.common.database import Database
from parking.common.errors import DomainError, ErrorCode
from parking.common.scope import Scope
from parking.payments.models import OrderStatus, PaymentChannel, PaymentOrder, PaymentPurpose, RefundStatus
from parking.payments.pass_orders import HOLD
from parking.payments.pass_sales import reserve_pass_order
from parking.payments.state import DoublePayment
from parking.vehicles.enums import PassPeriod
from parking.vehicles.models import PassProduct
from parking.vehicles.periods import extend
from tests.conftest import GraphQL
from tests.factories import build_world
from tests.lanes.site import T0, build_site
from tests.payments.flow import OPENID, Flow, wall_now
from tests.payments.offpeak_helpers import add_product, local_day, local_midnight, pay, sold

PLATE = "沪B12345"
BUY = """
mutation Buy($input: PassBuyInput!) {
  passBuy(input: $input) {
    __typename
    ... on PaymentCreateSuccess { order { outTradeNo purpose amountFen status plate } clientParams reused }
    ... on PaymentError { code message field }
  }
}
"""
PRODUCTS = """
query Products($lot: ID!, $on: Date) {
  offPeakProducts(lotId: $lot, startsOn: $on) {
    name priceFen period windowStart windowEnd startsAt endsAt quota spacesLeft
  }
}
"""


async def buy(gql: GraphQL, product_id: int, plate: str = PLATE, **extra: Any) -> dict[str, Any]:
    input = {
        "productId": str(product_id),
        "plate": plate,
        "startsOn": local_day(wall_now()).isoformat(),
        "channel": "WECHAT_JSAPI",
        "openid": OPENID,
        **extra,
    }
    body = await gql(BUY, {"input": input})
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["passBuy"]
    return result


async def spaces_left(gql: GraphQL, lot_id: int) -> list[int | None]:
    body = await gql(PRODUCTS, {"lot": str(lot_id)})
    assert "errors" not in body, body
    return [p["spacesLeft"] for p in body["data"]["offPeakProducts"]]


async def test_a_pass_bought_online_is_made_once_when_paid(flow: Flow) -> None:
    gql = GraphQL(flow.http)
    product_id = await add_product(flow.site, quota=5)
    # given the public list of the lot's off-peak products
    body = await gql(PRODUCTS, {"lot": str(flow.site.lot_id)})
    [listed] = body["data"]["offPeakProducts"]
    today = local_day(wall_now())
    starts_at = local_midnight(today)
    ends_at = extend(starts_at, PassPeriod.MONTH, 1, "Asia/Shanghai")
    assert listed == {
        "name": "夜间错时停车",
        "priceFen": 30000,
        "period": "MONTH",
        "windowStart": "19:00:00",
        "windowEnd": "08:00:00",
        "startsAt": starts_at.astimezone(UTC).isoformat(),
        "endsAt": ends_at.astimezone(UTC).isoformat(),
        "quota": 5,
        "spacesLeft": 5,
    }
    # when a walk-in buyer (no login, no vehicle on record) buys one starting today
    bought = await buy(gql, product_id)
    assert bought["__typename"] == "PaymentCreateSuccess", bought
    order = bought["order"]
    assert (order["purpose"], order["amountFen"], order["status"]) == ("PASS_PURCHASE", 30000, "PAYING")
    assert bought["clientParams"]["package"].startswith("prepay_id=wx")
    # then the order holds a space while it is paid
    assert await spaces_left(gql, flow.site.lot_id) == [4]
    # when WeChat delivers the payment's notification three times (each copy signed anew)
    responses = await flow.relay(await flow.wechat_pay(order["outTradeNo"], copies=3))
    assert [r.status_code for r in responses] == [204, 204, 204]
    # then exactly one pass was made, for a vehicle made for the plate, from local midnight for one month
    result = await sold(flow.db, product_id)
    [pass_] = result.passes
    [vehicle] = result.vehicles
    assert vehicle.plate == PLATE
    assert (pass_.starts_at, pass_.ends_at) == (starts_at, ends_at)
    [paid] = result.orders
    assert (paid.status, paid.pass_id) == (OrderStatus.PAID, pass_.id)
    assert await spaces_left(gql, flow.site.lot_id) == [4]
    # and asking again for the same plate renews that pass: one period from its end
    renewal = await buy(gql, product_id)
    assert renewal["order"]["purpose"] == "PASS_RENEWAL"
    await flow.relay(await flow.wechat_pay(renewal["order"]["outTradeNo"], copies=2))
    result = await sold(flow.db, product_id)
    [renewed] = result.passes
    assert renewed.id == pass_.id
    assert renewed.ends_at == extend(pass_.ends_at, PassPeriod.MONTH, 1, "Asia/Shanghai")
    [record] = result.renewals
    assert (record.previous_ends_at, record.new_ends_at, record.amount_fen, record.method) == (
        pass_.ends_at,
        renewed.ends_at,
        30000,
        "online",
    )
    assert record.payment_order_id == result.orders[1].id


async def test_a_full_period_is_refused_and_nothing_is_made(flow: Flow) -> None:
    gql = GraphQL(flow.http)
    product_id = await add_product(flow.site, quota=1)
    # given the only space held by a buyer at the payment page
    first = await buy(gql, product_id)
    assert first["__typename"] == "PaymentCreateSuccess"
    # when another plate asks, and the first buyer asks again (a reloaded page)
    second = await buy(gql, product_id, plate="沪C54321", openid="o-another")
    again = await buy(gql, product_id)
    # then the other is refused with nothing made, and the first buyer gets the same order back
    assert (second["__typename"], second["code"], second["field"]) == ("PaymentError", "CONFLICT", "productId")
    assert second["message"] == "该时段车位已售罄"
    assert (again["reused"], again["order"]["outTradeNo"]) == (True, first["order"]["outTradeNo"])
    assert len((await sold(flow.db, product_id)).orders) == 1
    assert await spaces_left(gql, flow.site.lot_id) == [0]


@pytest.mark.parametrize(
    ("input", "field"),
    [
        ({"plate": "not a plate"}, "plate"),
        ({"startsOn": "2020-01-01"}, "startsOn"),
        ({"productId": "999999"}, "productId"),
        ({"channel": "CASH"}, "channel"),
        ({"openid": None}, "openid"),
    ],
    ids=["bad-plate", "start-in-the-past", "unknown-product", "offline-channel", "jsapi-without-openid"],
)
async def test_bad_input_is_refused_and_nothing_is_made(flow: Flow, input: dict[str, Any], field: str) -> None:
    gql = GraphQL(flow.http)
    product_id = await add_product(flow.site, quota=3)
    refused = await buy(gql, product_id, **input)
    assert (refused["__typename"], refused["field"]) == ("PaymentError", field)
    assert (await sold(flow.db, product_id)).orders == []


async def test_an_operator_of_another_tenant_cannot_sell_the_lots_pass_and_nothing_is_made(flow: Flow) -> None:
    gql = GraphQL(flow.http)
    product_id = await add_product(flow.site, quota=3)
    world = await build_world(flow.db)
    # an operator logged in for another agent names this lot's product
    body = await gql(
        BUY,
        {
            "input": {
                "productId": str(product_id),
                "plate": PLATE,
                "startsOn": local_day(wall_now()).isoformat(),
                "channel": "WECHAT_NATIVE",
            }
        },
        token=world.tokens["agentB"],
    )
    refused = body["data"]["passBuy"]
    assert (refused["code"], refused["field"]) == ("NOT_FOUND", "productId")
    assert (await sold(flow.db, product_id)).orders == []


async def test_a_product_not_sold_online_is_neither_listed_nor_sold(flow: Flow) -> None:
    gql = GraphQL(flow.http)
    product_id = await add_product(flow.site, quota=None)
    async with flow.db.transaction(Scope.internal()) as s:
        await s.execute(update(PassProduct).where(PassProduct.id == product_id).values(sold_online=False))
    assert await spaces_left(gql, flow.site.lot_id) == []
    refused = await buy(gql, product_id)
    assert (refused["code"], refused["field"]) == ("NOT_FOUND", "productId")


async def test_a_hold_runs_out_and_a_late_payment_for_a_sold_space_is_refunded(db: Database) -> None:
    site = await build_site(db)
    product_id = await add_product(site, quota=1)
    day = local_day(T0)
    # given a buyer who held the only space and has not paid within the hold
    late = await reserve_pass_order(db, Scope.internal(), product_id, PLATE, day, PaymentChannel.WECHAT_NATIVE, "", T0)
    with pytest.raises(DomainError) as refused:
        await reserve_pass_order(
            db, Scope.internal(), product_id, "沪C54321", day, PaymentChannel.WECHAT_NATIVE, "", T0
        )
    assert refused.value.code is ErrorCode.CONFLICT
    # when the hold has run out, another buyer takes the space and pays
    after = T0 + HOLD + timedelta(minutes=1)
    other = await reserve_pass_order(
        db, Scope.internal(), product_id, "沪C54321", day, PaymentChannel.WECHAT_NATIVE, "", after
    )
    assert (await pay(db, other.order.out_trade_no, 30000, after)).credited
    # and the first buyer's money still arrives
    applied = await pay(db, late.order.out_trade_no, 30000, after + timedelta(minutes=1))
    # then it buys nothing: the order is paid, flagged and its money goes back; one pass only
    assert not applied.credited
    result = await sold(db, product_id)
    assert [p.vehicle_id for p in result.passes] == [result.vehicles[0].id]
    assert result.vehicles[0].plate == "沪C54321"
    flagged = next(o for o in result.orders if o.out_trade_no == late.order.out_trade_no)
    assert (flagged.status, flagged.double_payment, flagged.pass_id) == (OrderStatus.PAID, DoublePayment.SOLD_OUT, None)
    [refund] = result.refunds
    assert (refund.order_id, refund.amount_fen, refund.reason) == (
        flagged.id,
        30000,
        "退款：付款到账时该时段车位已售罄",
    )
    assert refund.status in (RefundStatus.REQUESTED, RefundStatus.APPROVED)


async def test_twenty_concurrent_buyers_of_five_spaces_get_five_passes(db: Database, backend: str) -> None:
    if backend == "sqlite":
        pytest.skip("SQLite serialises writers itself; the product's row lock matters on PostgreSQL")
    site = await build_site(db)
    product_id = await add_product(site, quota=5)
    day = local_day(T0)
    plates = [f"沪D{n:05d}" for n in range(20)]

    async def one(plate: str) -> tuple[str, str]:
        """("held", its order number), or ("refused", the error code)."""
        try:
            held = await reserve_pass_order(
                db, Scope.internal(), product_id, plate, day, PaymentChannel.WECHAT_NATIVE, "", T0
            )
        except DomainError as err:
            return "refused", err.code.value
        return "held", held.order.out_trade_no

    # when twenty buyers ask at the same moment
    answers = await asyncio.gather(*(one(p) for p in plates))
    # then five hold a space and fifteen hear the period is sold out; paying the five makes five passes
    held = [no for kind, no in answers if kind == "held"]
    assert len(held) == 5
    assert [code for kind, code in answers if kind == "refused"] == [ErrorCode.CONFLICT.value] * 15
    await asyncio.gather(*(pay(db, no, 30000, T0 + timedelta(minutes=1)) for no in held))
    result = await sold(db, product_id)
    assert len(result.passes) == 5
    assert len({v.plate for v in result.vehicles}) == 5
    assert result.refunds == []
    async with db.session(Scope.internal()) as s:
        purposes = await s.scalar(select(func.count()).where(PaymentOrder.purpose == PaymentPurpose.PASS_PURCHASE))
    assert purposes == 5


async def test_a_night_pass_bought_online_pays_only_outside_its_window(db: Database) -> None:
    site = await build_site(db)
    product_id = await add_product(site, quota=None)  # 19:00-08:00
    # given a night pass bought and paid on the morning of T0 (09:00 in Shanghai), from that day
    held = await reserve_pass_order(
        db, Scope.internal(), product_id, PLATE, local_day(T0), PaymentChannel.WECHAT_NATIVE, "", T0
    )
    assert (await pay(db, held.order.out_trade_no, 30000, T0)).credited
    # when the car spends the night inside the window (19:30 to 07:30 next morning)
    await site.read("in", PLATE, T0 + timedelta(hours=10, minutes=30))
    night = await site.read("out", PLATE, T0 + timedelta(hours=22, minutes=30))
    # then it leaves free
    assert night.decision.opens
    assert night.decision.fee_fen == 0
    # when it comes at 17:00 the next day and leaves at 20:00, over the window's edge
    await site.read("in", PLATE, T0 + timedelta(hours=32))
    out = await site.read("out", PLATE, T0 + timedelta(hours=35))
    # then it pays only for 17:00-19:00, outside the window: four started half hours
    assert not out.decision.opens
    assert out.decision.fee_fen == 800
