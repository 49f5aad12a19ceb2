"""couponEvents over a real graphql-transport-ws socket, on the in-process bus and on Redis pub/sub."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from parking.accounts.permissions import Perm
from parking.common.actor import Actor
from parking.common.database import Database
from parking.common.scope import Scope
from parking.merchants import coupons, redemption
from parking.merchants.events import coupons_topic
from parking.merchants.inputs import CouponVoid
from parking.merchants.issuing import issue_coupon
from parking.merchants.models import CouponSource, Merchant, StockSource
from parking.sessions.models import ParkingSession
from tests.factories import World
from tests.live import LiveServer, bearer, graphql_ws
from tests.merchants import stats_seed as seed

COUPON_EVENTS = (
    "subscription ($lot: ID!) { couponEvents(lotId: $lot) { change coupon { id merchantId plate status } } }"
)
NOW = datetime(2026, 11, 20, 8, tzinfo=UTC)


async def _shops(db: Database, world: World) -> dict[str, Any]:
    """Two merchants of lot A1a with stock of one template, and an operator of the first one."""
    async with db.transaction(Scope.internal()) as s:
        t = await seed.template(s, world.ids["lot:A1a"])
        ids: dict[str, Any] = {"template": t.id}
        for name in ("alpha", "beta"):
            shop = await seed.merchant(s, world.ids["lot:A1a"], name)
            await seed.stock(s, shop, t, source=StockSource.CREDIT, quantity=9, remaining=9, price_fen=0, created=NOW)
            ids[name] = shop.id
        alpha = await s.get(Merchant, ids["alpha"])
        assert alpha is not None
        ids["alpha_op"] = await seed.merchant_operator(s, alpha, "alpha-shop", [Perm.MERCHANT_STATS_VIEW.value])
        ids["no_perm_op"] = await seed.merchant_operator(s, alpha, "alpha-clerk", [])
    return ids


async def _stay(db: Database, world: World, plate: str) -> int:
    async with db.transaction(Scope.internal()) as s:
        stay = ParkingSession(
            agent_id=world.ids["agent:A"],
            customer_id=world.ids["customer:A1"],
            lot_id=world.ids["lot:A1a"],
            plate=plate,
            entry_at=NOW,
        )
        s.add(stay)
        await s.flush()
        return stay.id


async def _issue(db: Database, merchant_id: int, template_id: int, plate: str) -> int:
    async with db.transaction(Scope.internal()) as s:
        coupon = await issue_coupon(
            s, merchant_id=merchant_id, template_id=template_id, plate=plate, source=CouponSource.MERCHANT, now=NOW
        )
        return coupon.id


def _next(op: str, change: str, coupon_id: int, merchant_id: int, plate: str, status: str) -> dict[str, Any]:
    coupon = {"id": str(coupon_id), "merchantId": str(merchant_id), "plate": plate, "status": status}
    return {"id": op, "type": "next", "payload": {"data": {"couponEvents": {"change": change, "coupon": coupon}}}}


async def test_issued_redeemed_and_voided_coupons_reach_the_lot(server: LiveServer, db: Database, world: World) -> None:
    shops = await _shops(db, world)
    async with graphql_ws(server, bearer(world.tokens["custA1"])) as ws:
        op = await ws.subscribe(COUPON_EVENTS, {"lot": world.id("lot:A1a")})
        await server.wait_for_subscribers(coupons_topic(world.ids["lot:A1a"]))

        # An issue that rolls back is never heard of.
        with pytest.raises(RuntimeError):  # noqa: PT012 (the issue and the failure are one transaction)
            async with db.transaction(Scope.internal()) as s:
                await issue_coupon(
                    s, merchant_id=shops["beta"], template_id=shops["template"], plate="京B00001",
                    source=CouponSource.MERCHANT, now=NOW,
                )  # fmt: skip
                raise RuntimeError("rolled back")
        first = await _issue(db, shops["alpha"], shops["template"], "京A12345")
        assert await ws.receive() == _next(op, "ISSUED", first, shops["alpha"], "京A12345", "ISSUED")

        # A settled stay redeems it (parking.merchants.redemption, as the settling code does); a waiver of that
        # stay gives it back.
        stay_id = await _stay(db, world, "京A12345")
        async with db.transaction(Scope.internal()) as s:
            assert await redemption.redeem(s, stay_id, {first: 300}, NOW) == 1
        assert await ws.receive() == _next(op, "REDEEMED", first, shops["alpha"], "京A12345", "REDEEMED")
        async with db.transaction(Scope.internal()) as s:
            assert await redemption.give_back(s, stay_id, NOW) == 1
        assert await ws.receive() == _next(op, "RETURNED", first, shops["alpha"], "京A12345", "ISSUED")

        second = await _issue(db, shops["beta"], shops["template"], "京B12345")
        assert await ws.receive() == _next(op, "ISSUED", second, shops["beta"], "京B12345", "ISSUED")
        async with db.transaction(Scope.internal()) as s:
            await coupons.void(s, Actor.system(), CouponVoid(id=str(second), reason="misissued"), NOW)
        assert await ws.receive() == _next(op, "VOIDED", second, shops["beta"], "京B12345", "VOID")


async def test_a_merchant_operator_hears_its_own_merchants_coupons_only(
    server: LiveServer, db: Database, world: World
) -> None:
    shops = await _shops(db, world)
    async with graphql_ws(server, bearer(shops["alpha_op"])) as ws:
        op = await ws.subscribe(COUPON_EVENTS, {"lot": world.id("lot:A1a")})
        await server.wait_for_subscribers(coupons_topic(world.ids["lot:A1a"]))

        await _issue(db, shops["beta"], shops["template"], "京B12345")  # another merchant's: not heard
        own = await _issue(db, shops["alpha"], shops["template"], "京A12345")

        assert await ws.receive() == _next(op, "ISSUED", own, shops["alpha"], "京A12345", "ISSUED")


@pytest.mark.parametrize(
    ("who", "lot", "code"),
    [
        ("viewer", "lot:A1a", "PERMISSION_DENIED"),
        ("no_perm_op", "lot:A1a", "PERMISSION_DENIED"),
        ("agentB", "lot:A1a", "NOT_FOUND"),
        ("custA1", "lot:B1a", "NOT_FOUND"),
        ("custA1", "x", "INVALID"),
    ],
)
async def test_a_refused_coupon_subscription_gets_a_coded_error(
    server: LiveServer, db: Database, world: World, who: str, lot: str, code: str
) -> None:
    shops = await _shops(db, world)
    token = shops[who] if who in shops else world.tokens[who]
    async with graphql_ws(server, bearer(token)) as ws:
        op = await ws.subscribe(COUPON_EVENTS, {"lot": world.id(lot) if lot.startswith("lot:") else lot})
        message = await ws.receive()

        assert (message["id"], message["type"]) == (op, "error")
        assert message["payload"][0]["extensions"]["code"] == code
        assert await server.bus.subscriber_count(coupons_topic(world.ids["lot:A1a"])) == 0
