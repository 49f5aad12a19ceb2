"""Expiring coupons: an unused coupon past its ``valid_until`` becomes ``EXPIRED``, a batch at a time.

Run periodically by a worker (workers/merchants.py). Safe to run twice at once and under traffic: each batch is
its own short transaction that walks the ids upwards (keyset, no offset) and updates only the coupons that are
still ``ISSUED`` and past their end *at the update itself*, so a coupon a settling stay redeemed meanwhile keeps
its ``REDEEMED``, and a second run finds nothing left to do.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from parking.common.database import Database
from parking.common.scope import Scope
from parking.merchants.models import Coupon, CouponStatus

# Coupons per transaction: short locks, bounded statements (an IN list of this many ids).
BATCH = 1000


async def expire_batch(session: AsyncSession, now: datetime, after_id: int, limit: int = BATCH) -> tuple[int, int]:
    """Expire up to ``limit`` coupons with ids above ``after_id``; (how many changed, the last id looked at, or
    0 when there was none)."""
    past_end = (Coupon.status == CouponStatus.ISSUED, Coupon.valid_until <= now)
    ids = list(
        await session.scalars(select(Coupon.id).where(*past_end, Coupon.id > after_id).order_by(Coupon.id).limit(limit))
    )
    if not ids:
        return 0, 0
    # The conditions again: the status may have changed between the select and the update (a redeeming stay).
    changed = await session.execute(
        update(Coupon)
        .where(Coupon.id.in_(ids), *past_end)
        .values(status=CouponStatus.EXPIRED, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(changed.rowcount), ids[-1]  # type: ignore[attr-defined]


async def expire_coupons(db: Database, now: datetime, batch: int = BATCH) -> int:
    """Expire every coupon past its end at ``now``, a batch per transaction; how many were expired."""
    expired, after_id = 0, 0
    while True:
        async with db.transaction(Scope.internal()) as tx:
            changed, last_id = await expire_batch(tx, now, after_id, batch)
        if last_id == 0:
            return expired
        expired, after_id = expired + changed, last_id
