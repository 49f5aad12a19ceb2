"""Merchant, coupon template, stock, ledger and coupon object types."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from parking.accounts.permissions import Perm
from parking.merchants.models import (
    CouponKind,
    CouponSource,
    CouponStatus,
    CouponTemplate,
    LedgerKind,
    Merchant,
    MerchantLot,
    StockSource,
)
from schema.core import enums as _enums  # noqa: F401  (registers the enums)
from schema.core.context import Info
from schema.core.money import Fen


@strawberry.type(name="Merchant", description="A merchant that gives parking coupons to its customers.")
class MerchantType:
    id: strawberry.ID
    lot_id: strawberry.ID
    name: str
    contact_name: str
    phone: str
    balance_fen: Fen
    credit_limit_fen: Fen
    is_active: bool
    created_at: datetime

    @strawberry.field(description="Other lots of the same customer where its coupons count (the home lot aside).")
    async def lot_ids(self, info: Info) -> list[strawberry.ID]:
        rows: list[Any] = await info.context.loaders.children(MerchantLot, "merchant_id", "lot_id").load(int(self.id))
        return [strawberry.ID(str(row.lot_id)) for row in rows]

    @strawberry.field(description="The code its staff join with (merchantJoin); shown to the lot side only.")
    def invite_code(self, info: Info, root: strawberry.Parent[Any]) -> str | None:
        actor = info.context.actor
        if actor is None or actor.scope.merchant_id is not None or not actor.can(Perm.MERCHANTS_MANAGE):
            return None
        code: str | None = root.invite_code
        return code


@strawberry.type(name="CouponTemplate", description="A kind of coupon a lot offers its merchants, with its price.")
class CouponTemplateType:
    id: strawberry.ID
    lot_id: strawberry.ID
    name: str
    kind: CouponKind
    value: int
    price_fen: Fen
    valid_minutes: int
    sell_from: datetime | None
    sell_until: datetime | None
    max_per_stay: int
    max_per_plate_per_day: int | None
    stackable: bool
    is_active: bool
    created_at: datetime


@strawberry.type(name="CouponStock", description="A pack of coupons of one template held by a merchant.")
class CouponStockType:
    id: strawberry.ID
    lot_id: strawberry.ID
    merchant_id: strawberry.ID
    template_id: strawberry.ID
    source: StockSource
    quantity: int
    remaining: int
    price_fen: Fen
    order_id: strawberry.ID | None
    created_at: datetime

    @strawberry.field(description="The template's name; null when outside the caller's scope.")
    async def template_name(self, info: Info) -> str | None:
        row: Any = await info.context.loaders.by_id(CouponTemplate).load(int(self.template_id))
        return None if row is None else str(row.name)


@strawberry.type(name="MerchantLedgerEntry", description="One movement of a merchant's money with its lot.")
class MerchantLedgerEntryType:
    id: strawberry.ID
    merchant_id: strawberry.ID
    kind: LedgerKind
    amount_fen: Fen
    balance_after_fen: Fen
    stock_id: strawberry.ID | None
    order_id: strawberry.ID | None
    operator_id: strawberry.ID | None
    note: str
    created_at: datetime


@strawberry.type(name="Coupon", description="A merchant's parking coupon.")
class CouponType:
    id: strawberry.ID
    lot_id: strawberry.ID
    merchant_id: strawberry.ID | None
    template_id: strawberry.ID | None
    stock_id: strawberry.ID | None
    code: str
    source: CouponSource
    kind: CouponKind
    value: int
    status: CouponStatus
    plate: str
    valid_until: datetime
    session_id: strawberry.ID | None
    redeemed_at: datetime | None
    discount_fen: Fen

    @strawberry.field(description="The issuing merchant's name; null when outside the caller's scope.")
    async def merchant_name(self, info: Info) -> str | None:
        if self.merchant_id is None:
            return None
        row: Any = await info.context.loaders.by_id(Merchant).load(int(self.merchant_id))
        return None if row is None else str(row.name)
