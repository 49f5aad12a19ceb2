"""Merchant and coupon object types."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from parking.merchants.models import CouponKind, CouponStatus, Merchant
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
    is_active: bool
    created_at: datetime


@strawberry.type(name="Coupon", description="A merchant's parking coupon.")
class CouponType:
    id: strawberry.ID
    lot_id: strawberry.ID
    merchant_id: strawberry.ID
    code: str
    kind: CouponKind
    value: int
    status: CouponStatus
    plate: str
    valid_until: datetime
    session_id: strawberry.ID | None
    redeemed_at: datetime | None

    @strawberry.field(description="The issuing merchant's name; null when outside the caller's scope.")
    async def merchant_name(self, info: Info) -> str | None:
        row: Any = await info.context.loaders.by_id(Merchant).load(int(self.merchant_id))
        return None if row is None else str(row.name)
