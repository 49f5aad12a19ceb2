"""Merchant queries: merchants by name, templates, stock, the merchant's statement, coupons newest first.

The lot side reads with ``merchants.manage``; a merchant's operators read with any merchant permission, and
their scope shows them their own merchant's rows only (and the templates of its lots).
"""

from __future__ import annotations

from typing import cast

import strawberry

from parking.accounts.permissions import Perm
from parking.common.crud import parse_id
from parking.merchants.models import (
    Coupon,
    CouponSource,
    CouponStatus,
    CouponStock,
    CouponTemplate,
    Merchant,
    MerchantLedgerEntry,
)
from schema.core import filters as flt
from schema.core.context import Info
from schema.core.listing import list_page, load_one
from schema.core.pagination import Connection, SortDirection
from schema.core.permissions import describe_any, requires_any
from schema.merchants.types import (
    CouponStockType,
    CouponTemplateType,
    CouponType,
    MerchantLedgerEntryType,
    MerchantType,
)

DESC = SortDirection.DESC
ASC = SortDirection.ASC
# Who reads merchant data: the lot side, or a merchant's own operators (scoped to their merchant).
READ = (Perm.MERCHANTS_MANAGE, Perm.COUPONS_ISSUE, Perm.COUPONS_BUY, Perm.MERCHANT_STATS_VIEW)


@strawberry.input
class MerchantFilter:
    lot_id: strawberry.ID | None = None
    search: str | None = None
    is_active: bool | None = None


@strawberry.input
class CouponFilter:
    lot_id: strawberry.ID | None = None
    merchant_id: strawberry.ID | None = None
    template_id: strawberry.ID | None = None
    source: CouponSource | None = None
    status: CouponStatus | None = None
    plate: str | None = None


@strawberry.input
class CouponTemplateFilter:
    lot_id: strawberry.ID | None = None
    is_active: bool | None = None


@strawberry.input
class CouponStockFilter:
    merchant_id: strawberry.ID | None = None
    template_id: strawberry.ID | None = None


@strawberry.type
class MerchantsQuery:
    @strawberry.field(extensions=requires_any(*READ), description=describe_any("Merchants.", *READ))
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
        extensions=requires_any(*READ),
        description=describe_any("One merchant; null when missing or outside the caller's scope.", *READ),
    )
    async def merchant(self, info: Info, id: strawberry.ID) -> MerchantType | None:
        return cast(MerchantType | None, await load_one(info, Merchant, id))

    @strawberry.field(
        extensions=requires_any(*READ),
        description=describe_any("Coupon templates of the caller's lots, by name.", *READ),
    )
    async def coupon_templates(
        self, info: Info, filter: CouponTemplateFilter | None = None, first: int = 50, after: str | None = None
    ) -> Connection[CouponTemplateType]:
        f, m, w = filter or CouponTemplateFilter(), CouponTemplate, flt.where()
        flt.equal_id(w, m.lot_id, f.lot_id, "lotId")
        if f.is_active is not None:
            w.append(m.is_active.is_(f.is_active))
        return cast(Connection[CouponTemplateType], await list_page(info, m, w, m.name, ASC, first, after))

    @strawberry.field(
        extensions=requires_any(*READ), description=describe_any("Merchants' coupon stock, oldest first.", *READ)
    )
    async def coupon_stocks(
        self, info: Info, filter: CouponStockFilter | None = None, first: int = 50, after: str | None = None
    ) -> Connection[CouponStockType]:
        f, m, w = filter or CouponStockFilter(), CouponStock, flt.where()
        flt.equal_id(w, m.merchant_id, f.merchant_id, "merchantId")
        flt.equal_id(w, m.template_id, f.template_id, "templateId")
        return cast(Connection[CouponStockType], await list_page(info, m, w, m.created_at, ASC, first, after))

    @strawberry.field(
        extensions=requires_any(*READ),
        description=describe_any(
            "A merchant's statement: its ledger entries in order, each with the balance after it.", *READ
        ),
    )
    async def merchant_ledger(
        self, info: Info, merchant_id: strawberry.ID, first: int = 50, after: str | None = None
    ) -> Connection[MerchantLedgerEntryType]:
        m = MerchantLedgerEntry
        w = flt.where()
        w.append(m.merchant_id == parse_id(merchant_id, "merchantId"))
        # By id: the order the balance moved in (entries of one instant keep their order).
        return cast(Connection[MerchantLedgerEntryType], await list_page(info, m, w, m.id, ASC, first, after))

    @strawberry.field(extensions=requires_any(*READ), description=describe_any("Merchant coupons.", *READ))
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
        flt.equal_id(w, m.template_id, f.template_id, "templateId")
        flt.equal(w, m.source, f.source)
        flt.equal(w, m.status, f.status)
        flt.plate(w, m.plate, f.plate)
        return cast(Connection[CouponType], await list_page(info, m, w, m.created_at, direction, first, after))
