"""A merchant (or the lot) issues a coupon to a plate, or withdraws an unused one; both are audited.

Voiding an unused coupon that came from a stock puts it back in that stock (``remaining + 1``): the merchant paid
for it and it was never used. A coupon without a stock (a conference code's) just ends.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from parking.common import crud
from parking.common.actor import Actor
from parking.common.audit import record, snapshot
from parking.common.errors import DomainError, ErrorCode
from parking.merchants import inputs
from parking.merchants.events import CouponVoided, announce
from parking.merchants.issuing import issue_coupon
from parking.merchants.models import Coupon, CouponSource, CouponStatus, CouponStock
from parking.merchants.service import require_own_merchant
from parking.merchants.texts import MerchantText, text


async def issue(session: AsyncSession, actor: Actor, data: inputs.CouponIssue, now: datetime) -> Coupon:
    """Issue one coupon of the template from the merchant's stock to the plate."""
    merchant_id = crud.parse_id(data.merchant_id, "merchantId")
    require_own_merchant(actor, merchant_id)
    coupon = await issue_coupon(
        session,
        merchant_id=merchant_id,
        template_id=crud.parse_id(data.template_id, "templateId"),
        plate=data.plate,
        source=CouponSource.MERCHANT if actor.scope.merchant_id is not None else CouponSource.LOT,
        now=now,
        issued_by_id=actor.operator_id,
        audited_by=actor,  # written with the coupon, in the same statement on PostgreSQL
    )
    return coupon


async def void(session: AsyncSession, actor: Actor, data: inputs.CouponVoid, now: datetime) -> Coupon:
    """Withdraw an unused (ISSUED) coupon; it goes back to the stock it came from."""
    coupon = await crud.get(session, Coupon, data.id)
    before = snapshot(coupon)
    voided = await session.execute(
        update(Coupon)
        .where(Coupon.id == coupon.id, Coupon.status == CouponStatus.ISSUED)
        .values(status=CouponStatus.VOID, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if voided.rowcount != 1:  # type: ignore[attr-defined]
        raise DomainError(ErrorCode.CONFLICT, text(MerchantText.VOID_ONLY_ISSUED), "id")
    if coupon.stock_id is not None:
        await session.execute(
            update(CouponStock)
            .where(CouponStock.id == coupon.stock_id, CouponStock.remaining < CouponStock.quantity)
            .values(remaining=CouponStock.remaining + 1)
            .execution_options(synchronize_session=False)
        )
    await session.refresh(coupon)
    announce(session, CouponVoided.of(coupon))
    after = {**(snapshot(coupon) or {}), "reason": data.reason}
    record(session, actor, "coupon.void", "coupon", entity_id=coupon.id, before=before, after=after, tenant=coupon)
    return coupon
