"""Coupons for the lane-site tests: a merchant of the site's lot, a template per kind, coupons given to plates."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from sqlalchemy import select, update

from parking.common.scope import Scope
from parking.merchants.issuing import coupon_of
from parking.merchants.models import Coupon, CouponKind, CouponSource, CouponTemplate, Merchant, MerchantLot
from tests.lanes.site import Site

_names = itertools.count()


async def merchant_of(site: Site, *, other_lots: tuple[Site, ...] = ()) -> int:
    """The site's merchant (made once); ``other_lots``: lots where its coupons count too."""
    if "merchant" in site.ids:
        return site.ids["merchant"]
    tenant = {"agent_id": site.ids["agent"], "customer_id": site.ids["customer"]}
    async with site.db.transaction(Scope.internal()) as s:
        merchant = Merchant(**tenant, lot_id=site.lot_id, name=f"商户{next(_names)}")
        s.add(merchant)
        await s.flush()
        for other in other_lots:
            s.add(MerchantLot(**tenant, lot_id=other.lot_id, merchant_id=merchant.id))
        site.ids["merchant"] = merchant.id
    return merchant.id


async def give(
    site: Site,
    plate: str,
    kind: CouponKind,
    value: int,
    at: datetime,
    *,
    stackable: bool = True,
    per_stay: int = 1,
    valid_minutes: int = 24 * 60,
) -> int:
    """A coupon of a new template of the site's lot, issued to ``plate`` at ``at``; its id."""
    merchant_id = await merchant_of(site)
    async with site.db.transaction(Scope.internal()) as s:
        template = CouponTemplate(
            agent_id=site.ids["agent"],
            customer_id=site.ids["customer"],
            lot_id=site.lot_id,
            name=f"券{next(_names)}",
            kind=kind,
            value=value,
            valid_minutes=valid_minutes,
            max_per_stay=per_stay,
            stackable=stackable,
        )
        s.add(template)
        await s.flush()
        coupon = coupon_of(template, merchant_id=merchant_id, plate=plate, source=CouponSource.MERCHANT, now=at)
        s.add(coupon)
        await s.flush()
        return coupon.id


async def coupon(site: Site, coupon_id: int) -> Coupon:
    async with site.db.session(Scope.internal()) as s:
        row = await s.scalar(select(Coupon).where(Coupon.id == coupon_id))
        assert row is not None
        return row


async def set_coupon(site: Site, coupon_id: int, **values: object) -> None:
    async with site.db.transaction(Scope.internal()) as s:
        await s.execute(update(Coupon).where(Coupon.id == coupon_id).values(**values))


def later(at: datetime, minutes: int) -> datetime:
    return at + timedelta(minutes=minutes)
