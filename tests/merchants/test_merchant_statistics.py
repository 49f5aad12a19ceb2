"""merchantStatistics and lotCouponStatistics against figures computed by hand from a seeded set.

The period is 2026-11-20..21 of the lot's days: in Asia/Shanghai that is [11-19 16:00, 11-21 16:00) UTC. Lot A1b
is moved to UTC, so its days are [11-20 00:00, 11-22 00:00) UTC: each lot counts its own days.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from parking.accounts.permissions import Perm
from parking.common.database import Database
from parking.common.scope import Scope
from parking.merchants.models import CouponStatus, StockSource
from parking.tenancy.models import Lot
from tests.conftest import GraphQL
from tests.factories import World, build_world
from tests.merchants import stats_seed as seed
from tests.merchants.stats_seed import at

pytestmark = pytest.mark.anyio

MERCHANTS = """
query ($f: MerchantStatisticsFilter!) {
  merchantStatistics(filter: $f) {
    merchantId merchantName issued redeemed expired voided discountFen soldFen boughtFen chargedFen stockRemaining
  }
}
"""
LOTS = """
query ($f: LotCouponStatisticsFilter!) {
  lotCouponStatistics(filter: $f) { lotId lotName issued redeemed expired voided discountFen soldFen stockRemaining }
}
"""
PERIOD = {"from": "2026-11-20", "to": "2026-11-21"}
ZERO = {"issued": 0, "redeemed": 0, "expired": 0, "voided": 0, "discountFen": 0, "soldFen": 0, "stockRemaining": 0}
MERCHANT_ZERO = {**ZERO, "boughtFen": 0, "chargedFen": 0}


async def _seed(db: Database, world: World) -> dict[str, Any]:
    ids: dict[str, Any] = {}
    a1a, a1b, b1a = world.ids["lot:A1a"], world.ids["lot:A1b"], world.ids["lot:B1a"]
    async with db.transaction(Scope.internal()) as s:
        lot_b = await s.get(Lot, a1b)
        assert lot_b is not None
        lot_b.timezone = "UTC"
        t = await seed.template(s, a1a)
        tb = await seed.template(s, a1b)
        alpha = await seed.merchant(s, a1a, "Alpha")
        beta = await seed.merchant(s, a1a, "Beta")
        gamma = await seed.merchant(s, a1b, "Gamma", other_lots=(a1a,))
        delta = await seed.merchant(s, b1a, "Delta")
        ids.update(alpha=alpha.id, beta=beta.id, gamma=gamma.id, delta=delta.id)
        # Alpha's packs: bought 3000 and credited-and-charged 2500 in the period; a free credit sells nothing;
        # one bought at 23:59 local on the 19th is outside. Remaining now: 6 + 5 + 4 + 1.
        P, C = StockSource.PURCHASE, StockSource.CREDIT
        await seed.stock(
            s, alpha, t, source=P, quantity=10, remaining=6, price_fen=3000, created=at("2026-11-20 02:00")
        )
        await seed.stock(
            s, alpha, t, source=C, quantity=5, remaining=5, price_fen=2500, created=at("2026-11-21 15:59"),
            charged_fen=2500,
        )  # fmt: skip
        await seed.stock(s, alpha, t, source=C, quantity=4, remaining=4, price_fen=0, created=at("2026-11-20 09:00"))
        await seed.stock(s, alpha, t, source=P, quantity=1, remaining=1, price_fen=1000, created=at("2026-11-19 15:59"))
        # Alpha's coupons.
        await seed.coupon(s, alpha, t, created=at("2026-11-20 01:00"))  # issued
        await seed.coupon(
            s, alpha, t, created=at("2026-11-20 03:00"), status=CouponStatus.REDEEMED,
            redeemed_at=at("2026-11-20 05:00"), discount_fen=800,
        )  # fmt: skip  # issued, redeemed
        await seed.coupon(
            s, alpha, t, created=at("2026-11-19 10:00"), status=CouponStatus.REDEEMED,
            redeemed_at=at("2026-11-19 17:00"), discount_fen=500,
        )  # fmt: skip  # issued on the 19th (local 18:00), redeemed on the 20th (local 01:00)
        await seed.coupon(s, alpha, t, created=at("2026-11-21 16:00"))  # local 00:00 on the 22nd: outside
        await seed.coupon(
            s, alpha, t, created=at("2026-11-18 00:00"), status=CouponStatus.EXPIRED,
            valid_until=at("2026-11-20 00:00"),
        )  # fmt: skip  # expired in the period
        await seed.coupon(
            s, alpha, t, created=at("2026-11-20 06:00"), status=CouponStatus.VOID, changed=at("2026-11-20 07:00")
        )  # issued, voided
        await seed.coupon(
            s, alpha, t, created=at("2026-11-21 10:00"), status=CouponStatus.REDEEMED,
            redeemed_at=at("2026-11-22 00:00"), discount_fen=999,
        )  # fmt: skip  # issued; redeemed after the period
        # Gamma: one coupon at A1a, one at its UTC home lot late on the 21st (inside for UTC), a pack there.
        await seed.coupon(s, gamma, t, created=at("2026-11-20 12:00"))
        await seed.coupon(s, gamma, tb, created=at("2026-11-21 20:00"))
        await seed.stock(s, gamma, tb, source=P, quantity=2, remaining=2, price_fen=700, created=at("2026-11-20 00:30"))
        # Another tenant.
        td = await seed.template(s, b1a)
        await seed.coupon(s, delta, td, created=at("2026-11-20 12:00"))
        ids["op"] = await seed.merchant_operator(s, alpha, "alpha-shop", [Perm.MERCHANT_STATS_VIEW.value])
        ids["op_none"] = await seed.merchant_operator(s, beta, "beta-shop", [])
    return ids


@pytest.fixture
async def world(db: Database) -> World:
    return await build_world(db)


@pytest.fixture
async def seeded(db: Database, world: World) -> dict[str, Any]:
    return await _seed(db, world)


def _row(key: str, value: str, name_key: str, name: str, **figures: int) -> dict[str, Any]:
    zero = MERCHANT_ZERO if key == "merchantId" else ZERO
    return {key: value, name_key: name, **{**zero, **figures}}


ALPHA = {"issued": 4, "redeemed": 2, "expired": 1, "voided": 1, "discountFen": 1300, "soldFen": 5500,
         "stockRemaining": 16}  # fmt: skip
ALPHA_SALES = {"boughtFen": 3000, "chargedFen": 2500}


async def test_per_merchant_of_a_lot(gql: GraphQL, world: World, seeded: dict[str, Any]) -> None:
    body = await gql(MERCHANTS, {"f": {**PERIOD, "lotId": world.id("lot:A1a")}}, token=world.tokens["custA1"])
    assert body == {
        "data": {
            "merchantStatistics": [
                _row("merchantId", str(seeded["alpha"]), "merchantName", "Alpha", **ALPHA, **ALPHA_SALES),
                _row("merchantId", str(seeded["beta"]), "merchantName", "Beta"),
                # Gamma counts here through its other lot, with the A1a coupon only.
                _row("merchantId", str(seeded["gamma"]), "merchantName", "Gamma", issued=1),
            ]
        }
    }


async def test_per_merchant_in_every_visible_lot(gql: GraphQL, world: World, seeded: dict[str, Any]) -> None:
    body = await gql(MERCHANTS, {"f": PERIOD}, token=world.tokens["custA1"])
    rows = body["data"]["merchantStatistics"]
    assert [r["merchantName"] for r in rows] == ["Alpha", "Beta", "Gamma"]
    assert rows[2] == _row(
        "merchantId",
        str(seeded["gamma"]),
        "merchantName",
        "Gamma",
        issued=2,
        soldFen=700,
        boughtFen=700,
        stockRemaining=2,
    )
    theirs = await gql(MERCHANTS, {"f": PERIOD}, token=world.tokens["agentB"])
    assert theirs["data"]["merchantStatistics"] == [
        _row("merchantId", str(seeded["delta"]), "merchantName", "Delta", issued=1)
    ]


async def test_per_lot(gql: GraphQL, world: World, seeded: dict[str, Any]) -> None:
    body = await gql(LOTS, {"f": PERIOD}, token=world.tokens["custA1"])
    alpha_and_gamma = {**ALPHA, "issued": ALPHA["issued"] + 1}
    assert body == {
        "data": {
            "lotCouponStatistics": [
                _row("lotId", world.id("lot:A1a"), "lotName", "Lot A1a", **alpha_and_gamma),
                _row("lotId", world.id("lot:A1b"), "lotName", "Lot A1b", issued=1, soldFen=700, stockRemaining=2),
            ]
        }
    }
    one_day = await gql(LOTS, {"f": {"from": "2026-11-21", "to": "2026-11-21", "lotId": world.id("lot:A1b")}},
                        token=world.tokens["custA1"])  # fmt: skip
    assert one_day["data"]["lotCouponStatistics"] == [
        _row("lotId", world.id("lot:A1b"), "lotName", "Lot A1b", issued=1, stockRemaining=2)
    ]


async def test_a_merchant_operator_sees_its_own_merchant_only(
    gql: GraphQL, world: World, seeded: dict[str, Any]
) -> None:
    own = await gql(MERCHANTS, {"f": PERIOD}, token=seeded["op"])
    assert own == {"data": {"merchantStatistics": [_row("merchantId", str(seeded["alpha"]), "merchantName", "Alpha",
                                                        **ALPHA, **ALPHA_SALES)]}}  # fmt: skip
    other = await gql(MERCHANTS, {"f": {**PERIOD, "merchantId": str(seeded["beta"])}}, token=seeded["op"])
    assert other["data"] is None
    assert other["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    lots = await gql(LOTS, {"f": PERIOD}, token=seeded["op"])
    assert lots["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    without = await gql(MERCHANTS, {"f": PERIOD}, token=seeded["op_none"])
    assert without["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"


@pytest.mark.parametrize(
    ("who", "variables", "code"),
    [
        ("viewer", {"f": PERIOD}, "PERMISSION_DENIED"),
        ("custA1", {"f": {**PERIOD, "lotId": "lot:B1a"}}, "NOT_FOUND"),
        ("custA1", {"f": {**PERIOD, "lotId": "nope"}}, "INVALID"),
        ("custA1", {"f": {"from": "2026-11-21", "to": "2026-11-20"}}, "INVALID"),
        ("custA1", {"f": {"from": "2025-01-01", "to": "2026-11-20"}}, "INVALID"),
    ],
)
async def test_refusals(
    gql: GraphQL, world: World, seeded: dict[str, Any], who: str, variables: Any, code: str
) -> None:
    f = variables["f"]
    if f.get("lotId", "").startswith("lot:"):
        f = {**f, "lotId": world.id(f["lotId"])}
    for query in (MERCHANTS, LOTS):
        body = await gql(query, {"f": f}, token=world.tokens[who])
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == code


IDS = st.one_of(st.text(max_size=24), st.integers(min_value=-(2**70), max_value=2**70).map(str))
DAYS = st.one_of(st.dates().map(str), st.text(max_size=12))


@settings(max_examples=60, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(lot=st.one_of(st.none(), IDS), merchant=st.one_of(st.none(), IDS), day_from=DAYS, day_to=DAYS)
@example(lot=None, merchant=None, day_from="9999-12-31", day_to="9999-12-31")
@example(lot=None, merchant=None, day_from="0001-01-01", day_to="0001-01-02")
@example(lot="99999999999999999999999", merchant="-1", day_from="2026-11-20", day_to="2026-11-20")
async def test_hostile_filters_get_a_clear_answer_never_a_crash(
    gql: GraphQL, world: World, lot: str | None, merchant: str | None, day_from: str, day_to: str
) -> None:
    f = {"lotId": lot, "merchantId": merchant, "from": day_from, "to": day_to}
    for query, variables in ((MERCHANTS, f), (LOTS, {k: v for k, v in f.items() if k != "merchantId"})):
        body = await gql(query, {"f": variables}, token=world.tokens["custA1"])
        codes = {e["extensions"]["code"] for e in body.get("errors", [])}
        assert codes <= {"INVALID", "NOT_FOUND", "GRAPHQL_VALIDATION_FAILED"}, body
        assert (body["data"] is None) == bool(codes)
