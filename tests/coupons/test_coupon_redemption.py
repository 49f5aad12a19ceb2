"""Coupons from the lane to the money: which of a plate's coupons a stay's bill sees, the exit and the payments
that redeem them (each once, also when settled twice at once), and the refund and the waiver that give them back."""

from __future__ import annotations

import asyncio
from typing import Any, cast

import pytest
from sqlalchemy import select

from parking.common.actor import Actor
from parking.common.database import Database
from parking.common.errors import DomainError
from parking.common.scope import Scope
from parking.lanes import context
from parking.lanes.seat import match_exit, waive_fee
from parking.merchants.models import CouponKind, CouponStatus, MerchantLot
from parking.merchants.redemption import redeem
from parking.payments.gateway import Channels
from parking.payments.models import OrderStatus, PaymentChannel, PaymentOrder, Refund, RefundStatus
from parking.payments.refunds import send_refund
from parking.payments.service import StayRef, record_cash, reserve_order
from parking.payments.settle import apply_to_order
from parking.payments.state import DoublePayment, PaymentSucceeded
from parking.sessions.enums import SessionState
from parking.sessions.models import ParkingSession
from parking.tariffs.samples import chongqing_airport_t2
from parking.tenancy.models import Lot
from tests.conftest import GraphQL
from tests.coupons.helpers import coupon, give, later, merchant_of, set_coupon
from tests.lanes.site import T0, Site, build_site, seat_tokens

pytestmark = pytest.mark.anyio

PLATE = "京A12345"
NO_CHANNELS = cast(Channels, None)  # cash and its refunds never reach a channel
# 重庆江北机场 T2 (small car): 4 h 10 min = 500 + 7 × 200 = 1900; with 2 h free the rest is 500 + 3 × 200 = 1100.
STAY_MIN = 250


async def t2_site(db: Database, **kw: Any) -> Site:
    return await build_site(db, tariff=chongqing_airport_t2(), **kw)


async def _stay_id(site: Site) -> int:
    [stay] = await site.open_sessions(PLATE)
    return stay.id


async def _quote(site: Site, stay_id: int, minutes: int) -> Any:
    async with site.db.session(Scope.internal()) as s:
        stay = await s.get(ParkingSession, stay_id)
        lot = await s.get(Lot, site.lot_id)
        assert stay is not None
        assert lot is not None
        facts = await context.load_plate(s, lot.id, stay.plate)
        return await context.bill_stay(s, lot, stay, facts, later(T0, minutes))


async def test_an_exit_with_nothing_due_thanks_to_a_coupon_opens_and_redeems_it(db: Database) -> None:
    site = await t2_site(db)
    await site.read("in", PLATE, T0)
    stay_id = await _stay_id(site)
    full = await give(site, PLATE, CouponKind.FULL, 0, later(T0, 10))
    out = await site.read("out", PLATE, later(T0, STAY_MIN))
    assert out.decision.opens
    stay = await site.session(stay_id)
    assert (stay.state, stay.fee_due_fen, stay.arrears_fen) == (SessionState.EXITED, 0, 0)
    row = await coupon(site, full)
    assert (row.status, row.session_id, row.discount_fen) == (CouponStatus.REDEEMED, stay_id, 1900)
    assert row.redeemed_at is not None


async def test_a_held_car_keeps_its_coupon_until_it_pays_the_rest(db: Database) -> None:
    site = await t2_site(db)
    await site.read("in", PLATE, T0)
    stay_id = await _stay_id(site)
    two_hours = await give(site, PLATE, CouponKind.MINUTES, 120, later(T0, 10))
    held = await site.read("out", PLATE, later(T0, STAY_MIN))
    assert (held.decision.opens, held.decision.fee_fen) == (False, 1100)
    assert (await coupon(site, two_hours)).status is CouponStatus.ISSUED
    # the amount is what is left after the coupon: the whole fee is refused, nothing changes
    with pytest.raises(DomainError):
        await record_cash(db, NO_CHANNELS, Scope.internal(), stay_id, 1900, None, later(T0, STAY_MIN))
    assert (await coupon(site, two_hours)).status is CouponStatus.ISSUED
    cash = await record_cash(db, NO_CHANNELS, Scope.internal(), stay_id, 1100, None, later(T0, STAY_MIN))
    assert cash.order.details["coupons"] == [
        {"id": two_hours, "kind": "minutes", "label": "优惠券（减时2小时）", "fen": 800}
    ]
    row = await coupon(site, two_hours)
    assert (row.status, row.session_id, row.discount_fen) == (CouponStatus.REDEEMED, stay_id, 800)
    assert (await site.session(stay_id)).state is SessionState.EXITED


async def test_the_bill_sees_only_the_plates_usable_coupons_of_this_lot_or_its_merchants(db: Database) -> None:
    site = await t2_site(db)
    beside = await t2_site(db, same_customer_as=site)
    await site.read("in", PLATE, T0)
    stay_id = await _stay_id(site)
    at = later(T0, 10)
    other_plate = await give(site, "京B54321", CouponKind.AMOUNT, 100, at)
    expired = await give(site, PLATE, CouponKind.AMOUNT, 200, at, valid_minutes=60)
    void = await give(site, PLATE, CouponKind.AMOUNT, 300, at)
    await set_coupon(site, void, status=CouponStatus.VOID)
    elsewhere = await give(beside, PLATE, CouponKind.AMOUNT, 400, at)  # the other lot's merchant, not counting here
    usable = await give(site, PLATE, CouponKind.AMOUNT, 500, at)
    bill = await _quote(site, stay_id, STAY_MIN)
    assert bill.coupon_ids == (usable,)
    assert {other_plate, expired, void, elsewhere}.isdisjoint(bill.coupon_ids)
    # once the other lot's merchant counts this lot among its lots, its coupon counts here too
    await merchant_of(beside)
    async with db.transaction(Scope.internal()) as s:
        s.add(
            MerchantLot(
                agent_id=site.ids["agent"],
                customer_id=site.ids["customer"],
                lot_id=site.lot_id,
                merchant_id=beside.ids["merchant"],
            )
        )
    bill = await _quote(site, stay_id, STAY_MIN)
    assert set(bill.coupon_ids) == {usable, elsewhere}
    assert (bill.fee_fen, bill.coupon_fen) == (1000, 900)


async def _prepaid_with_coupon(site: Site) -> tuple[int, int, PaymentOrder]:
    await site.read("in", PLATE, T0)
    stay_id = await _stay_id(site)
    two_hours = await give(site, PLATE, CouponKind.MINUTES, 120, later(T0, 10))
    cash = await record_cash(site.db, NO_CHANNELS, Scope.internal(), stay_id, 1100, None, later(T0, STAY_MIN))
    assert (await coupon(site, two_hours)).status is CouponStatus.REDEEMED
    return stay_id, two_hours, cash.order


async def _refund_in_full(site: Site, order: PaymentOrder, minutes: int) -> None:
    async with site.db.transaction(Scope.internal()) as s:
        s.add(
            Refund(
                agent_id=order.agent_id,
                customer_id=order.customer_id,
                lot_id=order.lot_id,
                order_id=order.id,
                out_refund_no=f"R{order.id}",
                amount_fen=order.amount_fen,
                reason="driver complained",
                status=RefundStatus.APPROVED,
            )
        )
    refund = await send_refund(site.db, NO_CHANNELS, f"R{order.id}", later(T0, minutes))
    assert refund.status is RefundStatus.SUCCEEDED


async def test_a_full_refund_of_the_payment_gives_its_coupons_back(db: Database) -> None:
    site = await t2_site(db)
    stay_id, two_hours, order = await _prepaid_with_coupon(site)
    await _refund_in_full(site, order, STAY_MIN + 30)
    row = await coupon(site, two_hours)
    assert (row.status, row.session_id, row.discount_fen, row.redeemed_at) == (CouponStatus.ISSUED, None, 0, None)
    # the stay's next bill sees it again
    assert two_hours in (await _quote(site, stay_id, STAY_MIN + 40)).coupon_ids


async def test_a_coupon_given_back_after_its_validity_expires(db: Database) -> None:
    site = await t2_site(db)
    _, two_hours, order = await _prepaid_with_coupon(site)
    await _refund_in_full(site, order, 2 * 24 * 60)  # the coupon was valid for 24 h from its issue
    row = await coupon(site, two_hours)
    assert (row.status, row.session_id, row.discount_fen) == (CouponStatus.EXPIRED, None, 0)


async def test_a_waiver_of_the_stays_fee_gives_its_coupons_back(db: Database) -> None:
    site = await t2_site(db)
    stay_id, two_hours, _ = await _prepaid_with_coupon(site)
    # 50 min later (past the grace), 5 h in all: 500 + 8 × 200 = 2100; after the bound 2 h coupon 500 + 4 × 200
    # = 1300 (800 off), 1100 paid: 200 more due; the operator waives it
    async with db.transaction(Scope.internal()) as s:
        await waive_fee(s, Actor.system("seat"), str(stay_id), "barrier fault", later(T0, STAY_MIN + 50))
    row = await coupon(site, two_hours)
    assert (row.status, row.session_id, row.discount_fen) == (CouponStatus.ISSUED, None, 0)
    # what the coupon had taken off is forgiven too, so nothing is due and the coupon is not needed
    bill = await _quote(site, stay_id, STAY_MIN + 50)
    assert (bill.due_fen, bill.coupons) == (0, ())
    stay = await site.session(stay_id)
    # the whole 2100: 1100 paid, 200 due and the coupon's 800 forgiven
    assert (stay.paid_fen, stay.discount_fen) == (1100, 1000)


async def test_a_stay_settled_twice_at_once_redeems_its_coupon_once(db: Database, backend: str) -> None:
    if backend == "sqlite":
        pytest.skip("SQLite serialises writers itself; the conditional credit and redemption matter on PostgreSQL")
    site = await t2_site(db)
    await site.read("in", PLATE, T0)
    stay_id = await _stay_id(site)
    two_hours = await give(site, PLATE, CouponKind.MINUTES, 120, later(T0, 10))
    at = later(T0, STAY_MIN)
    orders = [
        (await reserve_order(db, Scope.internal(), StayRef(stay_id), channel, payer, at))[0]
        for channel, payer in ((PaymentChannel.WECHAT_JSAPI, "openid-1"), (PaymentChannel.ALIPAY_QR, ""))
    ]
    assert [o.amount_fen for o in orders] == [1100, 1100]
    await asyncio.gather(
        *(apply_to_order(db, o.out_trade_no, at, event=PaymentSucceeded(f"T{o.id}", o.amount_fen, at)) for o in orders)
    )
    row = await coupon(site, two_hours)
    assert (row.status, row.session_id, row.discount_fen) == (CouponStatus.REDEEMED, stay_id, 800)
    async with db.session(Scope.internal()) as s:
        paid = list(await s.scalars(select(PaymentOrder).where(PaymentOrder.session_id == stay_id)))
    assert {o.status for o in paid} == {OrderStatus.PAID}
    assert sorted((o.double_payment for o in paid), key=str) == [None, DoublePayment.ALREADY_SETTLED]
    assert (await site.session(stay_id)).paid_fen == 1100


async def test_one_coupon_redeemed_by_two_stays_at_once_goes_to_one(db: Database, backend: str) -> None:
    if backend == "sqlite":
        pytest.skip("SQLite serialises writers itself; the compare-and-set matters on PostgreSQL")
    site = await t2_site(db)
    await site.read("in", PLATE, T0)
    await site.read("in", "京B54321", T0)
    stays = [s.id for s in await site.open_sessions()]
    shared = await give(site, PLATE, CouponKind.AMOUNT, 500, later(T0, 10))

    async def settle(stay_id: int) -> int:
        async with db.transaction(Scope.internal()) as s:
            return await redeem(s, stay_id, {shared: 500}, later(T0, 60))

    assert sorted(await asyncio.gather(*(settle(i) for i in stays))) == [0, 1]
    row = await coupon(site, shared)
    assert row.status is CouponStatus.REDEEMED
    assert row.session_id in stays


async def test_a_lot_without_coupons_skips_the_coupon_query(db: Database) -> None:
    site = await t2_site(db)
    async with db.session(Scope.internal()) as s:
        assert not (await context.load_site(s, site.ids["out"])).lot_has_coupons  # type: ignore[union-attr]
    await give(site, PLATE, CouponKind.AMOUNT, 100, T0)
    async with db.session(Scope.internal()) as s:
        assert (await context.load_site(s, site.ids["out"])).lot_has_coupons  # type: ignore[union-attr]


ORDERS_AND_STAYS = """
query {
  paymentOrders(first: 10) { items { amountFen couponFen coupons { couponId kind label discountFen } } }
  parkingSessions(first: 10) { items { plate couponFen coupons { couponId kind label discountFen } } }
}
"""


async def test_graphql_shows_the_coupon_lines_of_an_order_and_of_the_stay_that_used_them(
    db: Database, gql: GraphQL
) -> None:
    site = await t2_site(db)
    _, two_hours, _ = await _prepaid_with_coupon(site)
    tokens = await seat_tokens(site)
    body = await gql(ORDERS_AND_STAYS, token=tokens["seat"])
    assert "errors" not in body, body
    line = {"couponId": str(two_hours), "kind": "MINUTES", "label": "优惠券（减时2小时）", "discountFen": 800}
    assert body["data"]["paymentOrders"]["items"] == [{"amountFen": 1100, "couponFen": 800, "coupons": [line]}]
    assert body["data"]["parkingSessions"]["items"] == [{"plate": PLATE, "couponFen": 800, "coupons": [line]}]


async def test_an_exit_matched_by_an_operator_with_nothing_due_thanks_to_a_coupon_redeems_it(db: Database) -> None:
    site = await t2_site(db)
    entry = await site.read("in", PLATE, T0)
    full = await give(site, PLATE, CouponKind.FULL, 0, later(T0, 10))
    misread = await site.read("out", "京A1234S", later(T0, STAY_MIN))
    assert misread.decision.reason.value == "exit_without_entry"
    async with db.transaction(Scope.internal()) as s:
        stay = await match_exit(
            s, Actor.system("seat"), str(misread.event_id), str(entry.session_id), later(T0, STAY_MIN)
        )
    assert stay.state is SessionState.EXITED
    row = await coupon(site, full)
    assert (row.status, row.session_id, row.discount_fen) == (CouponStatus.REDEEMED, entry.session_id, 1900)
