"""The coupon economy on the lot's settlement statement: packs sold to merchants and parking fees waived by coupons.

Day 2026-11-20 in Asia/Shanghai is [11-19 16:00, 11-20 16:00) UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import update

from parking.common.database import Database
from parking.common.scope import Scope
from parking.merchants.models import Coupon, CouponStatus, StockSource
from parking.payments.statements import produce_statements
from tests.conftest import GraphQL
from tests.factories import World, build_world
from tests.merchants import stats_seed as seed
from tests.merchants.stats_seed import at

pytestmark = pytest.mark.anyio

DAY = date(2026, 11, 20)
NOW = datetime(2026, 11, 22, tzinfo=UTC)
COUPONS = "coupons { boughtFen chargedFen soldFen redeemed discountFen }"
STATEMENTS = f"""
query ($lot: ID) {{
  settlementStatements(dayFrom: "2026-11-20", dayTo: "2026-11-20", lotId: $lot) {{ items {{ lotId {COUPONS} }} }}
}}
"""
CUSTOMER = f"""
query ($customer: ID!) {{ customerSettlement(customerId: $customer, day: "2026-11-20") {{ lotsSettled {COUPONS} }} }}
"""
NONE = {"boughtFen": 0, "chargedFen": 0, "soldFen": 0, "redeemed": 0, "discountFen": 0}


async def _seed(db: Database, world: World) -> dict[str, int]:
    a1a, a1b = world.ids["lot:A1a"], world.ids["lot:A1b"]
    async with db.transaction(Scope.internal()) as s:
        t, tb = await seed.template(s, a1a), await seed.template(s, a1b)
        shop = await seed.merchant(s, a1a, "Shop", other_lots=(a1b,))
        P, C = StockSource.PURCHASE, StockSource.CREDIT
        await seed.stock(
            s, shop, t, source=P, quantity=10, remaining=10, price_fen=3000, created=at("2026-11-20 02:00")
        )
        await seed.stock(
            s, shop, t, source=C, quantity=5, remaining=5, price_fen=2500, created=at("2026-11-20 10:00"),
            charged_fen=2500,
        )  # fmt: skip
        await seed.stock(s, shop, t, source=C, quantity=5, remaining=5, price_fen=0, created=at("2026-11-20 11:00"))
        await seed.stock(s, shop, t, source=P, quantity=1, remaining=1, price_fen=900, created=at("2026-11-20 16:00"))
        redeemed, issued = CouponStatus.REDEEMED, at("2026-11-19 12:00")

        async def used(template: Any, redeemed_at: str, discount_fen: int) -> Coupon:
            return await seed.coupon(
                s, shop, template, created=issued, status=redeemed, redeemed_at=at(redeemed_at),
                discount_fen=discount_fen,
            )  # fmt: skip

        first = await used(t, "2026-11-20 05:00", 800)
        await used(t, "2026-11-19 17:00", 500)  # local 01:00 on the 20th
        await used(t, "2026-11-20 16:30", 300)  # local 00:30 on the 21st: not this day
        await used(tb, "2026-11-20 08:00", 200)
        return {"first": first.id}


@pytest.fixture
async def world(db: Database) -> World:
    return await build_world(db)


async def _statements(gql: GraphQL, world: World) -> dict[str, Any]:
    body = await gql(STATEMENTS, {}, token=world.tokens["custA1"])
    return {item["lotId"]: item["coupons"] for item in body["data"]["settlementStatements"]["items"]}


async def test_the_statement_shows_packs_sold_and_fees_waived_next_to_revenue(
    db: Database, gql: GraphQL, world: World
) -> None:
    seeded = await _seed(db, world)
    await produce_statements(db, DAY, NOW)
    a1a = {"boughtFen": 3000, "chargedFen": 2500, "soldFen": 5500, "redeemed": 2, "discountFen": 1300}
    a1b = {**NONE, "redeemed": 1, "discountFen": 200}
    assert await _statements(gql, world) == {world.id("lot:A1a"): a1a, world.id("lot:A1b"): a1b}
    customer = await gql(CUSTOMER, {"customer": world.id("customer:A1")}, token=world.tokens["custA1"])
    assert customer["data"]["customerSettlement"] == {
        "lotsSettled": 2,
        "coupons": {"boughtFen": 3000, "chargedFen": 2500, "soldFen": 5500, "redeemed": 3, "discountFen": 1500},
    }
    # Another tenant's statements carry none of it.
    other = await gql(STATEMENTS, {}, token=world.tokens["agentB"])
    assert [item["coupons"] for item in other["data"]["settlementStatements"]["items"]] == [NONE]

    # Produced again it is the same; after a refund gave a coupon back, the statement produced again follows.
    await produce_statements(db, DAY, NOW)
    assert (await _statements(gql, world))[world.id("lot:A1a")] == a1a
    async with db.transaction(Scope.internal()) as s:
        await s.execute(
            update(Coupon)
            .where(Coupon.id == seeded["first"])
            .values(status=CouponStatus.ISSUED, redeemed_at=None, discount_fen=0, session_id=None)
        )
    await produce_statements(db, DAY, NOW)
    assert (await _statements(gql, world))[world.id("lot:A1a")] == {**a1a, "redeemed": 1, "discountFen": 500}
