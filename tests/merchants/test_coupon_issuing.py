"""Issuing and voiding coupons: the merchant's own stock only, the last coupon exactly once, audited."""

from __future__ import annotations

import anyio
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from parking.accounts.auth import actor_for_operator
from parking.common.audit import AuditEntry
from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.errors import DomainError
from parking.common.scope import Scope
from parking.merchants import coupons, ledger
from parking.merchants.inputs import CouponIssue, StockCredit
from parking.merchants.models import Coupon, CouponStatus, CouponStock, Merchant
from tests.conftest import GraphQL
from tests.merchants.accounts_world import MerchantWorld, build_merchant_world, count, mutate, row

COUPON = "... on CouponSuccess { coupon { id plate status kind value source stockId } }"
PLATES = ["京A12345", "沪B6789D", "粤Z1234港", "京AD12345"]


def _issue(mw: MerchantWorld, plate: str, merchant: str = "merchant:M") -> str:
    return f'input: {{merchantId: "{mw.id(merchant)}", templateId: "{mw.id("template:T")}", plate: "{plate}"}}'


async def _remaining(db: Database, stock_id: int) -> int:
    stock = await row(db, CouponStock, stock_id)
    return int(stock.remaining)


async def test_merchant_issues_from_its_stock_and_voiding_returns_it(db: Database, gql: GraphQL) -> None:
    mw = await build_merchant_world(db)
    stock_id = mw.world.ids["stock:M"]
    issued = await mutate(gql, mw.token("mop"), "couponIssue", _issue(mw, "京a12345"), COUPON)
    coupon = issued["coupon"]
    after_issue = await _remaining(db, stock_id)
    voided = await mutate(gql, mw.token("mop"), "couponVoid", f'id: "{coupon["id"]}", reason: "客人取消"', COUPON)
    again = await mutate(gql, mw.token("mop"), "couponVoid", f'id: "{coupon["id"]}"', COUPON)
    assert coupon["plate"] == "京A12345"
    assert (coupon["status"], coupon["kind"], coupon["value"], coupon["source"]) == (
        "ISSUED",
        "AMOUNT",
        500,
        "MERCHANT",
    )
    assert (after_issue, await _remaining(db, stock_id)) == (9, 10)
    assert voided["coupon"]["status"] == "VOID"
    assert (again["code"], again["field"]) == ("CONFLICT", "id")
    async with db.session(Scope.internal()) as s:
        actions = list(
            await s.scalars(
                select(AuditEntry.action).where(AuditEntry.entity_id == int(coupon["id"])).order_by(AuditEntry.id)
            )
        )
    assert actions == ["coupon.issue", "coupon.void"]


async def test_issuing_for_another_merchant_is_denied_and_changes_nothing(db: Database, gql: GraphQL) -> None:
    mw = await build_merchant_world(db)
    before = (await count(db, Coupon), await _remaining(db, mw.world.ids["stock:M"]))
    # the shop's operator tries to spend the cafe's stock
    result = await mutate(gql, mw.token("nop"), "couponIssue", _issue(mw, "京A12345"), COUPON)
    assert (result["code"], result["field"]) == ("PERMISSION_DENIED", "merchantId")
    assert (await count(db, Coupon), await _remaining(db, mw.world.ids["stock:M"])) == before


async def test_voiding_another_merchants_coupon_is_not_found_and_changes_nothing(db: Database, gql: GraphQL) -> None:
    mw = await build_merchant_world(db)
    issued = await mutate(gql, mw.token("mop"), "couponIssue", _issue(mw, "京A12345"), COUPON)
    coupon_id = issued["coupon"]["id"]
    result = await mutate(gql, mw.token("nop"), "couponVoid", f'id: "{coupon_id}"', COUPON)
    assert result["code"] == "NOT_FOUND"
    coupon = await row(db, Coupon, int(coupon_id))
    assert coupon.status is CouponStatus.ISSUED


async def test_a_merchant_without_stock_gets_a_clear_error(db: Database, gql: GraphQL) -> None:
    mw = await build_merchant_world(db)
    result = await mutate(gql, mw.token("nop"), "couponIssue", _issue(mw, "京A12345", "merchant:N"), COUPON)
    assert (result["code"], result["field"]) == ("INSUFFICIENT_FUNDS", "templateId")
    assert await count(db, Coupon) == 0


async def test_lot_side_issues_for_a_merchant(db: Database, gql: GraphQL) -> None:
    mw = await build_merchant_world(db)
    issued = await mutate(gql, mw.token("lotA1a"), "couponIssue", _issue(mw, "沪B6789D"), COUPON)
    assert (issued["coupon"]["source"], issued["coupon"]["stockId"]) == ("LOT", mw.id("stock:M"))


@settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plate=st.one_of(st.text(max_size=20), st.sampled_from(PLATES)))
async def test_any_plate_text_is_issued_normalised_or_refused_unchanged(
    backend: str, db: Database, gql: GraphQL, plate: str
) -> None:
    if backend != "sqlite":
        pytest.skip("input handling is the same on both databases: once is enough")
    # Examples share the test's database: the world is built by the first one.
    mw = _WORLDS.get(id(db)) or _WORLDS.setdefault(id(db), await build_merchant_world(db))
    before = await count(db, Coupon)
    body = await gql(
        "mutation($input: CouponIssueInput!) { couponIssue(input: $input) { __typename "
        "... on CouponSuccess { coupon { plate } } ... on MerchantError { code field } } }",
        {"input": {"merchantId": mw.id("merchant:M"), "templateId": mw.id("template:T"), "plate": plate}},
        token=mw.token("mop"),
    )
    assert body.get("errors") is None, body
    result = body["data"]["couponIssue"]
    if result["__typename"] == "CouponSuccess":
        assert await count(db, Coupon) == before + 1
        assert result["coupon"]["plate"]
        assert result["coupon"]["plate"] == result["coupon"]["plate"].upper()
    else:
        assert result["code"] in ("INVALID", "INSUFFICIENT_FUNDS", "CONFLICT"), result
        assert await count(db, Coupon) == before


_WORLDS: dict[int, MerchantWorld] = {}


async def test_the_last_coupon_of_a_pack_goes_exactly_once_under_50_concurrent_issues(
    backend: str, db: Database
) -> None:
    if backend != "postgres":
        pytest.skip("the race needs concurrent transactions: PostgreSQL")
    mw = await build_merchant_world(db)
    stock_id = mw.world.ids["stock:M"]
    async with db.transaction(Scope.internal()) as s:
        stock = await s.get(CouponStock, stock_id)
        assert stock is not None
        stock.remaining = 1
        actor = await actor_for_operator(s, mw.world.ids["operator:mop"], None)
    assert actor is not None
    outcomes: list[str] = []

    async def one(i: int) -> None:
        data = CouponIssue(merchant_id=mw.id("merchant:M"), template_id=mw.id("template:T"), plate=f"京A{i:05d}")
        try:
            async with db.transaction(actor.scope) as s:
                await coupons.issue(s, actor, data, utcnow())
        except DomainError as err:
            outcomes.append(str(err.code))
        else:
            outcomes.append("issued")

    async with anyio.create_task_group() as tg:
        for i in range(50):
            tg.start_soon(one, i)
    assert outcomes.count("issued") == 1
    assert set(outcomes) - {"issued"} == {"insufficient_funds"}
    assert await count(db, Coupon) == 1
    assert await _remaining(db, stock_id) == 0


async def test_concurrent_credits_cannot_overdraw_the_credit_line(backend: str, db: Database) -> None:
    if backend != "postgres":
        pytest.skip("the race needs concurrent transactions: PostgreSQL")
    mw = await build_merchant_world(db, credit_limit_fen=1000)  # room for 3 coupons at 300
    async with db.session(Scope.internal()) as s:
        actor = await actor_for_operator(s, mw.world.ids["operator:custA1"], None)
    assert actor is not None
    outcomes: list[str] = []

    async def one() -> None:
        data = StockCredit(merchant_id=mw.id("merchant:M"), template_id=mw.id("template:T"), quantity=1)
        try:
            async with db.transaction(actor.scope) as s:
                await ledger.credit_stock(s, actor, data, utcnow())
        except DomainError as err:
            outcomes.append(str(err.code))
        else:
            outcomes.append("credited")

    async with anyio.create_task_group() as tg:
        for _ in range(20):
            tg.start_soon(one)
    merchant = await row(db, Merchant, mw.world.ids["merchant:M"])
    assert outcomes.count("credited") == 3
    assert merchant.balance_fen == -900
    assert await count(db, CouponStock) == 1 + 3
