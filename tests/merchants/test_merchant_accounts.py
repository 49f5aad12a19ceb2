"""Merchant accounts: joining with an invite code, the merchant operator's scope, denial, lots and credit."""

from __future__ import annotations

from sqlalchemy import select

from parking.accounts.models import Operator, Role
from parking.accounts.permissions import MERCHANT_PERMISSIONS
from parking.common.database import Database
from parking.common.scope import Scope
from parking.merchants.models import (
    Coupon,
    CouponStock,
    CouponTemplate,
    LedgerKind,
    Merchant,
    MerchantLedgerEntry,
    MerchantLot,
)
from tests.conftest import GraphQL
from tests.factories import PASSWORD
from tests.merchants.accounts_world import PRICE_FEN, build_merchant_world, count, mutate, row

OPERATOR = "... on MerchantOperatorSuccess { operator { id username } }"
MERCHANT = "... on MerchantSuccess { merchant { id name creditLimitFen lotIds balanceFen inviteCode } }"
STOCK = "... on CouponStockSuccess { stock { id quantity remaining priceFen source } }"
ENTRY = "... on MerchantLedgerSuccess { entry { kind amountFen balanceAfterFen } }"


def _join(code: str, username: str) -> str:
    return f'input: {{inviteCode: "{code}", username: "{username}", password: "{PASSWORD}", displayName: "店员"}}'


async def _login(gql: GraphQL, username: str) -> str:
    body = await gql(
        f'mutation {{ login(username: "{username}", password: "{PASSWORD}") {{ ... on LoginSuccess {{ token }} }} }}'
    )
    token: str = body["data"]["login"]["token"]
    return token


async def test_join_with_invite_code_makes_an_operator_of_that_merchant_only(db: Database, gql: GraphQL) -> None:
    mw = await build_merchant_world(db)
    # when the cafe's staff join with the cafe's code and sign in with the ordinary login
    joined = await mutate(gql, "", "merchantJoin", _join("invite-M-0001", "cafe.staff"), OPERATOR)
    token = await _login(gql, "cafe.staff")
    query = "{ me { merchantId } merchants { items { id name inviteCode } } couponTemplates { items { id name } } }"
    body = await gql(query, token=token)
    # then the operator is bound to the cafe, holds the built-in merchant role, and sees the cafe alone
    assert joined["__typename"] == "MerchantOperatorSuccess"
    async with db.session(Scope.internal()) as s:
        operator = await s.scalar(select(Operator).where(Operator.username == "cafe.staff"))
        assert operator is not None
        role = await s.get(Role, operator.role_id)
    assert operator.merchant_id == mw.world.ids["merchant:M"]
    assert role is not None
    assert set(role.permissions) == MERCHANT_PERMISSIONS
    assert body.get("errors") is None, body
    assert body["data"]["me"] == {"merchantId": mw.id("merchant:M")}
    assert body["data"]["merchants"]["items"] == [{"id": mw.id("merchant:M"), "name": "咖啡店", "inviteCode": None}]
    assert body["data"]["couponTemplates"]["items"] == [{"id": mw.id("template:T"), "name": "减5元"}]


async def test_a_wrong_invite_code_creates_nothing_and_is_throttled(db: Database, gql: GraphQL) -> None:
    await build_merchant_world(db)
    before = await count(db, Operator)
    results = [await mutate(gql, "", "merchantJoin", _join(f"guess-{i}", f"guesser{i}"), OPERATOR) for i in range(6)]
    # the right code from the same address is refused too while the address is locked out
    locked = await mutate(gql, "", "merchantJoin", _join("invite-M-0001", "late.staff"), OPERATOR)
    assert [r["code"] for r in results[:5]] == ["INVALID"] * 5
    assert results[0]["field"] == "inviteCode"
    assert "邀请码" in results[0]["message"]
    assert results[5]["code"] == locked["code"] == "RATE_LIMITED"
    assert await count(db, Operator) == before


async def test_join_with_a_taken_username_creates_nothing(db: Database, gql: GraphQL) -> None:
    await build_merchant_world(db)
    before = await count(db, Operator)
    result = await mutate(gql, "", "merchantJoin", _join("invite-M-0001", "mop"), OPERATOR)
    assert (result["code"], result["field"]) == ("DUPLICATE", "username")
    assert await count(db, Operator) == before


async def test_rotating_the_invite_kills_the_old_code(db: Database, gql: GraphQL) -> None:
    mw = await build_merchant_world(db)
    rotated = await mutate(gql, mw.token("custA1"), "merchantInviteRotate", f'id: "{mw.id("merchant:M")}"', MERCHANT)
    old = await mutate(gql, "", "merchantJoin", _join("invite-M-0001", "cafe.staff"), OPERATOR)
    new_code = rotated["merchant"]["inviteCode"]
    fresh = await mutate(gql, "", "merchantJoin", _join(new_code, "cafe.staff"), OPERATOR)
    assert new_code
    assert new_code != "invite-M-0001"
    assert old["code"] == "INVALID"
    assert fresh["__typename"] == "MerchantOperatorSuccess"


async def test_lot_side_creates_a_merchant_operator(db: Database, gql: GraphQL) -> None:
    mw = await build_merchant_world(db)
    args = f'input: {{merchantId: "{mw.id("merchant:N")}", username: "shop.boss", password: "{PASSWORD}"}}'
    created = await mutate(gql, mw.token("lotA1a"), "merchantOperatorCreate", args, OPERATOR)
    token = await _login(gql, "shop.boss")
    body = await gql("{ merchants { items { name } } }", token=token)
    assert created["operator"]["username"] == "shop.boss"
    assert body["data"]["merchants"]["items"] == [{"name": "书店"}]


async def test_merchant_with_lots_of_its_customer_and_a_credit_limit(db: Database, gql: GraphQL) -> None:
    mw = await build_merchant_world(db)
    args = (
        f'input: {{lotId: "{mw.id("lot:A1a")}", name: "酒店", creditLimitFen: 50000, lotIds: ["{mw.id("lot:A1b")}"]}}'
    )
    created = await mutate(gql, mw.token("custA1"), "merchantCreate", args, MERCHANT)
    merchant = created["merchant"]
    one = await gql(
        f'{{ merchant(id: "{merchant["id"]}") {{ name lotIds creditLimitFen }} }}', token=mw.token("custA1")
    )
    assert (merchant["creditLimitFen"], merchant["lotIds"]) == (50000, [mw.id("lot:A1b")])
    assert one["data"]["merchant"] == {"name": "酒店", "lotIds": [mw.id("lot:A1b")], "creditLimitFen": 50000}


async def test_a_lot_of_another_customer_is_refused_and_nothing_created(db: Database, gql: GraphQL) -> None:
    mw = await build_merchant_world(db)
    before = (await count(db, Merchant), await count(db, MerchantLot))
    args = f'input: {{lotId: "{mw.id("lot:A1a")}", name: "酒店", lotIds: ["{mw.id("lot:A2a")}"]}}'
    result = await mutate(gql, mw.token("agentA"), "merchantCreate", args, MERCHANT)
    assert (result["code"], result["field"]) == ("INVALID", "lotIds")
    assert (await count(db, Merchant), await count(db, MerchantLot)) == before


async def test_merchant_operator_is_denied_the_lot_side_and_nothing_changes(db: Database, gql: GraphQL) -> None:
    mw = await build_merchant_world(db)
    token = mw.token("mop")
    before = (await count(db, Merchant), await count(db, CouponStock), await count(db, MerchantLedgerEntry))
    # lot-side reads: records, finance, operators
    reads = await gql("{ parkingSessions { items { id } } }", token=token)
    finance = await gql("{ paymentOrders { items { id } } }", token=token)
    # lot-side writes: a merchant, stock on account, a top-up, a template
    merchant = f'merchantId: "{mw.id("merchant:M")}"'
    calls = [
        f'merchantCreate(input: {{lotId: "{mw.id("lot:A1a")}", name: "x"}})',
        f'couponStockCredit(input: {{{merchant}, templateId: "{mw.id("template:T")}", quantity: 99}})',
        f"merchantTopUp(input: {{{merchant}, amountFen: 100}})",
    ]
    writes = [await gql(f"mutation {{ {call} {{ __typename }} }}", token=token) for call in calls]
    for body in [reads, finance, *writes]:
        assert body["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED", body
    assert (await count(db, Merchant), await count(db, CouponStock), await count(db, MerchantLedgerEntry)) == before


async def test_merchant_operator_sees_nothing_of_another_merchant(db: Database, gql: GraphQL) -> None:
    mw = await build_merchant_world(db)
    token = mw.token("nop")  # the shop's operator looks at the cafe
    body = await gql(
        f'{{ merchant(id: "{mw.id("merchant:M")}") {{ id }} couponStocks {{ items {{ id }} }} '
        f'merchantLedger(merchantId: "{mw.id("merchant:M")}") {{ items {{ id }} }} coupons {{ items {{ id }} }} }}',
        token=token,
    )
    assert body["data"] == {
        "merchant": None,
        "couponStocks": {"items": []},
        "merchantLedger": {"items": []},
        "coupons": {"items": []},
    }


async def test_stock_credited_on_account_within_the_credit_limit(db: Database, gql: GraphQL) -> None:
    mw = await build_merchant_world(db, credit_limit_fen=1000)
    token = mw.token("custA1")

    def credit(quantity: int) -> str:
        return (
            f'input: {{merchantId: "{mw.id("merchant:M")}", templateId: "{mw.id("template:T")}", quantity: {quantity}}}'
        )

    topped = await mutate(
        gql, token, "merchantTopUp", f'input: {{merchantId: "{mw.id("merchant:M")}", amountFen: 2000}}', ENTRY
    )
    first = await mutate(gql, token, "couponStockCredit", credit(10), STOCK)  # 3000: balance -1000, the limit
    before = (await count(db, CouponStock), await count(db, MerchantLedgerEntry))
    refused = await mutate(gql, token, "couponStockCredit", credit(1), STOCK)
    free = await mutate(gql, token, "couponStockCredit", credit(5).replace("}", ", charge: false}"), STOCK)
    statement = await gql(
        f'{{ merchantLedger(merchantId: "{mw.id("merchant:M")}") {{ items {{ kind amountFen balanceAfterFen }} }} }}',
        token=mw.token("mop"),
    )
    assert topped["entry"] == {"kind": "TOP_UP", "amountFen": 2000, "balanceAfterFen": 2000}
    assert (first["stock"]["quantity"], first["stock"]["priceFen"]) == (10, 10 * PRICE_FEN)
    assert (refused["code"], refused["field"]) == ("INSUFFICIENT_FUNDS", "quantity")
    assert "余额不足" in refused["message"]
    assert free["stock"]["priceFen"] == 0
    assert (await count(db, CouponStock), await count(db, MerchantLedgerEntry)) == (before[0] + 1, before[1])
    assert statement["data"]["merchantLedger"]["items"] == [
        {"kind": "TOP_UP", "amountFen": 2000, "balanceAfterFen": 2000},
        {"kind": "CREDIT", "amountFen": -3000, "balanceAfterFen": -1000},
    ]
    merchant = await row(db, Merchant, mw.world.ids["merchant:M"])
    assert merchant.balance_fen == -1000
    assert await count(db, MerchantLedgerEntry, MerchantLedgerEntry.kind == LedgerKind.CREDIT) == 1


async def test_template_values_are_checked_per_kind(db: Database, gql: GraphQL) -> None:
    mw = await build_merchant_world(db)
    before = await count(db, CouponTemplate)
    results = {}
    for kind, value in (("PERCENT", 100), ("PERCENT", 0), ("UNTIL", 1440), ("MINUTES", 0), ("AMOUNT", 0), ("FULL", 5)):
        args = f'input: {{lotId: "{mw.id("lot:A1a")}", name: "t{kind}{value}", kind: {kind}, value: {value}}}'
        results[(kind, value)] = await mutate(gql, mw.token("lotA1a"), "couponTemplateCreate", args, "")
    ok = await mutate(
        gql,
        mw.token("lotA1a"),
        "couponTemplateCreate",
        f'input: {{lotId: "{mw.id("lot:A1a")}", name: "八折", kind: PERCENT, value: 80, priceFen: 100}}',
        "... on CouponTemplateSuccess { template { kind value priceFen } }",
    )
    assert {(r["code"], r["field"]) for r in results.values()} == {("INVALID", "value")}
    assert ok["template"] == {"kind": "PERCENT", "value": 80, "priceFen": 100}
    assert await count(db, CouponTemplate) == before + 1
    assert await count(db, Coupon) == 0
