"""The live coupon events of a lot: issued, redeemed, voided, returned; a merchant's operator hears its own."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import cast

import strawberry
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.accounts.models import Operator
from parking.accounts.permissions import Perm
from parking.common.errors import PermissionDenied
from parking.common.events import Payload
from parking.merchants.events import CouponChange, coupons_topic
from parking.merchants.models import Coupon
from schema.core.context import Context, Info
from schema.core.permissions import describe_any
from schema.live.watch import event_id, lots_to_watch, watch
from schema.merchants.types import CouponType

CouponChangeEnum = strawberry.enum(CouponChange, name="CouponChange")
_CHANGES = {change.value: change for change in CouponChange}


@strawberry.type(description="A change of a coupon; `coupon` is the row as it is when the event is delivered.")
class CouponEvent:
    change: CouponChange
    coupon: CouponType


async def _merchant_of(ctx: Context) -> int | None:
    """The caller's own merchant when it is a merchant's operator (it hears only that merchant's coupons)."""
    actor = ctx.actor
    if actor is None or not (actor.can(Perm.MERCHANTS_MANAGE) or actor.can(Perm.MERCHANT_STATS_VIEW)):
        raise PermissionDenied(Perm.MERCHANTS_MANAGE)
    merchant_id = None
    if actor.operator_id is not None:
        async with ctx.db.session(ctx.scope) as session:
            merchant_id = await session.scalar(select(Operator.merchant_id).where(Operator.id == actor.operator_id))
    if merchant_id is None and not actor.can(Perm.MERCHANTS_MANAGE):
        raise PermissionDenied(Perm.MERCHANTS_MANAGE)
    return None if merchant_id is None else int(merchant_id)


@strawberry.type
class MerchantsSubscription:
    @strawberry.subscription(
        description=describe_any(
            "Coupons of a lot issued, redeemed, voided or returned, as it happens; a merchant's operator hears its "
            "own merchant's coupons only.",
            Perm.MERCHANTS_MANAGE,
            Perm.MERCHANT_STATS_VIEW,
        )
    )
    async def coupon_events(self, info: Info, lot_id: strawberry.ID) -> AsyncIterator[CouponEvent]:
        ctx = info.context
        merchant = await _merchant_of(ctx)
        [lot] = await lots_to_watch(ctx, [lot_id], "lotId")

        async def load(session: AsyncSession, payload: Payload) -> CouponEvent | None:
            row_id, change = event_id(payload), _CHANGES.get(str(payload.get("change")))
            if row_id is None or change is None or (merchant is not None and payload.get("merchant_id") != merchant):
                return None
            row = await session.get(Coupon, row_id)
            if row is None or (merchant is not None and row.merchant_id != merchant):
                return None
            return CouponEvent(change=change, coupon=cast(CouponType, row))

        return await watch(ctx, [coupons_topic(lot)], load)
