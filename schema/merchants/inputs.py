"""GraphQL inputs of the merchant mutations."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.experimental.pydantic import input as pydantic_input

from parking.merchant_accounts import inputs as merchant_accounts
from parking.merchants import inputs as merchants
from parking.payments.coupon_pack_sales import PackBuy
from schema.core.money import Fen


@pydantic_input(model=merchants.MerchantCreate, all_fields=True)
class MerchantCreateInput:
    lot_id: strawberry.ID
    lot_ids: list[strawberry.ID] = strawberry.field(default_factory=list)
    credit_limit_fen: Fen = Fen(0)


@pydantic_input(model=merchants.MerchantUpdate, all_fields=True)
class MerchantUpdateInput:
    lot_ids: list[strawberry.ID] | None = None
    credit_limit_fen: Fen | None = None


@pydantic_input(model=merchant_accounts.MerchantJoin, all_fields=True)
class MerchantJoinInput:
    pass


@pydantic_input(model=merchant_accounts.MerchantOperatorCreate, all_fields=True)
class MerchantOperatorCreateInput:
    merchant_id: strawberry.ID


@pydantic_input(model=merchants.TopUp, all_fields=True)
class MerchantTopUpInput:
    merchant_id: strawberry.ID
    amount_fen: Fen


@pydantic_input(model=merchants.CouponTemplateCreate, all_fields=True)
class CouponTemplateCreateInput:
    lot_id: strawberry.ID
    price_fen: Fen = Fen(0)
    sell_from: datetime | None = None
    sell_until: datetime | None = None


@pydantic_input(model=merchants.CouponTemplateUpdate, all_fields=True)
class CouponTemplateUpdateInput:
    price_fen: Fen | None = None
    sell_from: datetime | None = None
    sell_until: datetime | None = None


@pydantic_input(model=merchants.StockCredit, all_fields=True)
class CouponStockCreditInput:
    merchant_id: strawberry.ID
    template_id: strawberry.ID


@pydantic_input(model=PackBuy, all_fields=True)
class CouponPackBuyInput:
    merchant_id: strawberry.ID
    template_id: strawberry.ID


@pydantic_input(model=merchants.CouponIssue, all_fields=True)
class CouponIssueInput:
    merchant_id: strawberry.ID
    template_id: strawberry.ID
