"""Merchant queries: merchants by name, coupons newest first by default."""

from __future__ import annotations

from typing import cast

import strawberry

from parking.accounts.permissions import Perm
from parking.merchants.models import Coupon, CouponStatus, Merchant
from schema.core import filters as flt
from schema.core.context import Info
from schema.core.listing import list_page
from schema.core.pagination import Connection, SortDirection
from schema.core.permissions import describe, requires
from schema.merchants.types import CouponType, MerchantType

DESC = SortDirection.DESC


@strawberry.input
class MerchantFilter:
    lot_id: strawberry.ID | None = None
    search: str | None = None
    is_active: bool | None = None


@strawberry.input
class CouponFilter:
    lot_id: strawberry.ID | None = None
    merchant_id: strawberry.ID | None = None
    status: CouponStatus | None = None
    plate: str | None = None


@strawberry.type
class MerchantsQuery:
    @strawberry.field(
        extensions=requires(Perm.MERCHANTS_MANAGE), description=describe("Merchants.", Perm.MERCHANTS_MANAGE)
    )
    async def merchants(
        self, info: Info, filter: MerchantFilter | None = None, first: int = 50, after: str | None = None
    ) -> Connection[MerchantType]:
        f, m, w = filter or MerchantFilter(), Merchant, flt.where()
        flt.equal_id(w, m.lot_id, f.lot_id, "lotId")
        if f.search:
            w.append(m.name.contains(f.search.strip(), autoescape=True))
        if f.is_active is not None:
            w.append(m.is_active.is_(f.is_active))
        page = await list_page(info, m, w, m.name, SortDirection.ASC, first, after)
        return cast(Connection[MerchantType], page)

    @strawberry.field(
        extensions=requires(Perm.MERCHANTS_MANAGE), description=describe("Merchant coupons.", Perm.MERCHANTS_MANAGE)
    )
    async def coupons(
        self,
        info: Info,
        filter: CouponFilter | None = None,
        direction: SortDirection = DESC,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[CouponType]:
        f, m, w = filter or CouponFilter(), Coupon, flt.where()
        flt.equal_id(w, m.lot_id, f.lot_id, "lotId")
        flt.equal_id(w, m.merchant_id, f.merchant_id, "merchantId")
        flt.equal(w, m.status, f.status)
        flt.plate(w, m.plate, f.plate)
        return cast(Connection[CouponType], await list_page(info, m, w, m.created_at, direction, first, after))
