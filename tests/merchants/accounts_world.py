"""The test world (tests.factories) plus two merchants of lot A1a with a coupon template and merchant operators."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from parking.accounts.auth import issue_token
from parking.common.actor import Actor
from parking.common.database import Database
from parking.common.scope import Scope
from parking.merchant_accounts import service as merchant_accounts
from parking.merchant_accounts.inputs import MerchantOperatorCreate
from parking.merchants.models import CouponKind, CouponStock, CouponTemplate, Merchant, StockSource
from tests.conftest import GraphQL
from tests.factories import PASSWORD, SECRET, World, build_world

PRICE_FEN = 300  # per coupon of the template


@dataclass
class MerchantWorld:
    world: World
    db: Database

    def id(self, name: str) -> str:
        return self.world.id(name)

    def token(self, who: str) -> str:
        return self.world.tokens[who]


async def build_merchant_world(db: Database, *, credit_limit_fen: int = 0) -> MerchantWorld:
    """World plus merchants M (cafe) and N (shop) of lot A1a, template T of A1a (AMOUNT 500 fen, 3 yuan each),
    a stock of 10 of T for M, and operators 'mop' (merchant M) and 'nop' (merchant N) with tokens."""
    world = await build_world(db)
    now = datetime.now(UTC)
    async with db.transaction(Scope.internal()) as s:
        lot_ids = {"agent_id": world.ids["agent:A"], "customer_id": world.ids["customer:A1"]}
        merchants = {
            "M": Merchant(**lot_ids, lot_id=world.ids["lot:A1a"], name="咖啡店", invite_code="invite-M-0001"),
            "N": Merchant(**lot_ids, lot_id=world.ids["lot:A1a"], name="书店", invite_code="invite-N-0001"),
        }
        for merchant in merchants.values():
            merchant.credit_limit_fen = credit_limit_fen
        s.add_all(merchants.values())
        template = CouponTemplate(
            **lot_ids, lot_id=world.ids["lot:A1a"], name="减5元", kind=CouponKind.AMOUNT, value=500, price_fen=PRICE_FEN
        )
        s.add(template)
        await s.flush()
        stock = CouponStock(
            **lot_ids,
            lot_id=template.lot_id,
            merchant_id=merchants["M"].id,
            template_id=template.id,
            source=StockSource.CREDIT,
            quantity=10,
            remaining=10,
        )
        s.add(stock)
        await s.flush()
        world.ids.update({"merchant:M": merchants["M"].id, "merchant:N": merchants["N"].id})
        world.ids.update({"template:T": template.id, "stock:M": stock.id})
        for who, key in (("mop", "M"), ("nop", "N")):
            data = MerchantOperatorCreate(merchant_id=str(merchants[key].id), username=who, password=PASSWORD)
            operator = await merchant_accounts.create_merchant_operator(s, Actor.system(), data)
            world.ids[f"operator:{who}"] = operator.id
            world.tokens[who] = issue_token(SECRET, operator, now, 3600)
    return MerchantWorld(world, db)


async def mutate(gql: GraphQL, token: str, name: str, args: str, fields: str) -> dict[str, Any]:
    """One mutation; its result (success fields or ``code``/``field``/``message`` of a MerchantError)."""
    err = "... on MerchantError { code field message }"
    body = await gql(f"mutation {{ {name}({args}) {{ __typename {fields} {err} }} }}", token=token)
    assert body.get("errors") is None, body
    result: dict[str, Any] = body["data"][name]
    return result


async def count(db: Database, model: Any, *where: Any) -> int:
    async with db.session(Scope.internal()) as s:
        return int(await s.scalar(select(func.count()).select_from(model).where(*where)) or 0)


async def row(db: Database, model: Any, row_id: int) -> Any:
    async with db.session(Scope.internal()) as s:
        return await s.get(model, row_id)
