"""Binding the coupons a settled stay used, and giving them back when its payment is refunded or its fee waived.

Both are one conditional UPDATE. Redeeming is a compare-and-set on ``status = ISSUED`` (or already bound to this
same stay, whose line may have grown): of two stays settled at once with the same coupon (a plate in two lots of
a merchant), one gets it; the other stay simply still owes that part, which its exit bill shows.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable, Mapping
from datetime import datetime

from sqlalchemy import Row, and_, case, func, or_, update
from sqlalchemy.ext.asyncio import AsyncSession

from parking.merchants.events import CouponEvent, CouponRedeemed, CouponReturned, announce
from parking.merchants.models import Coupon, CouponStatus

logger = logging.getLogger(__name__)


async def redeem(session: AsyncSession, stay_id: int, discounts: Mapping[int, int], now: datetime) -> int:
    """Bind these coupons (id to the fen each took off) to the stay; how many it bound. A coupon that another
    stay redeemed meanwhile, or that was voided, is left as it is."""
    if not discounts:
        return 0
    result = await session.execute(
        update(Coupon)
        .where(
            Coupon.id.in_(list(discounts)),
            or_(
                Coupon.status == CouponStatus.ISSUED,
                and_(Coupon.status == CouponStatus.REDEEMED, Coupon.session_id == stay_id),
            ),
        )
        .values(
            status=CouponStatus.REDEEMED,
            session_id=stay_id,
            redeemed_at=func.coalesce(Coupon.redeemed_at, now),
            discount_fen=case(discounts, value=Coupon.id, else_=Coupon.discount_fen),
            updated_at=now,
        )
        .returning(Coupon.id, Coupon.lot_id, Coupon.merchant_id)
        .execution_options(synchronize_session=False)
    )
    rows = list(result)
    _announce(session, CouponRedeemed, rows)
    bound = len(rows)
    if bound != len(discounts):
        logger.warning("stay %s: %s of coupons %s were no longer usable", stay_id, len(discounts) - bound, discounts)
    return bound


async def give_back(session: AsyncSession, stay_id: int, now: datetime, ids: Collection[int] | None = None) -> int:
    """Return the coupons the stay redeemed (``ids``: only these; its payment refunded, its fee waived): usable
    again until their ``valid_until``, expired if that has passed; how many."""
    where = [Coupon.session_id == stay_id, Coupon.status == CouponStatus.REDEEMED]
    if ids is not None:
        if not ids:
            return 0
        where.append(Coupon.id.in_(list(ids)))
    result = await session.execute(
        update(Coupon)
        .where(*where)
        .values(
            status=case((Coupon.valid_until > now, CouponStatus.ISSUED.value), else_=CouponStatus.EXPIRED.value),
            session_id=None,
            redeemed_at=None,
            discount_fen=0,
            updated_at=now,
        )
        .returning(Coupon.id, Coupon.lot_id, Coupon.merchant_id)
        .execution_options(synchronize_session=False)
    )
    rows = list(result)
    _announce(session, CouponReturned, rows)
    return len(rows)


def _announce(session: AsyncSession, event: type[CouponEvent], rows: Iterable[Row[int, int, int | None]]) -> None:
    for coupon_id, lot_id, merchant_id in rows:
        announce(session, event(coupon_id=coupon_id, lot_id=lot_id, merchant_id=merchant_id))


def coupons_of_order(details: Mapping[str, object] | None) -> dict[int, int]:
    """The coupons a payment order's amount assumes (id to fen), from its ``details["coupons"]``: a list of
    ``{"id", "kind", "label", "fen"}`` (the lines the payer saw)."""
    raw = (details or {}).get("coupons")
    if not isinstance(raw, list):
        return {}
    return {int(line["id"]): int(line["fen"]) for line in raw if isinstance(line, dict)}
