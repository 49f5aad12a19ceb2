"""Issuing one coupon: take it off a merchant's stock of a template and give it to a plate.

Every way a coupon reaches a plate ends here (a merchant issuing, a driver claiming with the merchant's code, a
printed VIP code, a conference code, the lot itself), so the limits are checked in one place. The stock goes down
by a conditional update (``remaining > 0``): under any number of concurrent issues, the last coupon of a pack is
issued exactly once and the others are told the stock is empty.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from parking.common.errors import DomainError, ErrorCode, NotFound
from parking.merchants.events import CouponIssued, announce
from parking.merchants.models import Coupon, CouponSource, CouponStock, CouponTemplate, Merchant, MerchantLot
from parking.plates import InvalidPlate, normalize_plate
from parking.tenancy.models import Lot

# A stock row another issue just emptied is skipped; after this many, the merchant's stock is empty.
_STOCK_TRIES = 5


def new_coupon_code() -> str:
    """A coupon's number: short enough to read out, too many to guess (40 bits)."""
    return "C" + secrets.token_hex(5).upper()


async def merchant_lot_ids(session: AsyncSession, merchant: Merchant) -> set[int]:
    """The lots where the merchant's coupons count: its home lot and its other lots."""
    others = await session.scalars(select(MerchantLot.lot_id).where(MerchantLot.merchant_id == merchant.id))
    return {merchant.lot_id, *others}


def _plate(raw: str, *, allow_blank: bool) -> str:
    if not raw and allow_blank:
        return ""
    try:
        return normalize_plate(raw)
    except InvalidPlate as err:
        raise DomainError(ErrorCode.INVALID, "not a valid plate", "plate") from err


async def _check_template(session: AsyncSession, merchant: Merchant, template: CouponTemplate, now: datetime) -> None:
    if not merchant.is_active:
        raise DomainError(ErrorCode.INACTIVE, "the merchant is deactivated", "merchantId")
    if not template.is_active:
        raise DomainError(ErrorCode.INACTIVE, "the coupon template is withdrawn", "templateId")
    # The home lot needs no query (most issues); another lot must be one of the merchant's.
    if template.lot_id != merchant.lot_id and template.lot_id not in await merchant_lot_ids(session, merchant):
        raise DomainError(ErrorCode.INVALID, "the template belongs to a lot the merchant is not in", "templateId")
    if (template.sell_from is not None and now < template.sell_from) or (
        template.sell_until is not None and now >= template.sell_until
    ):
        raise DomainError(ErrorCode.INACTIVE, "the coupon template cannot be issued now", "templateId")


async def _check_plate_limit(session: AsyncSession, template: CouponTemplate, plate: str, now: datetime) -> None:
    """At most ``max_per_plate_per_day`` coupons of the template to one plate in one of the lot's days."""
    if template.max_per_plate_per_day is None or not plate:
        return
    timezone = await session.scalar(select(Lot.timezone).where(Lot.id == template.lot_id)) or "Asia/Shanghai"
    local = now.astimezone(ZoneInfo(timezone))
    day_start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    issued = await session.scalar(
        select(func.count())
        .select_from(Coupon)
        .where(Coupon.template_id == template.id, Coupon.plate == plate, Coupon.created_at >= day_start)
    )
    if (issued or 0) >= template.max_per_plate_per_day:
        raise DomainError(ErrorCode.CONFLICT, "this plate has had today's coupons of this kind", "plate")


async def take_from_stock(session: AsyncSession, merchant_id: int, template_id: int) -> int:
    """Take one coupon off the merchant's oldest non-empty stock of the template; the stock's id.

    One conditional update picks and decrements the stock, so two issues racing for the last coupon cannot both get
    it: the loser's update matches no row (PostgreSQL re-checks ``remaining > 0`` after the winner commits) and it
    tries the next stock.
    """
    oldest = (
        select(CouponStock.id)
        .where(
            CouponStock.merchant_id == merchant_id,
            CouponStock.template_id == template_id,
            CouponStock.remaining > 0,
        )
        .order_by(CouponStock.id)
        .limit(1)
        .scalar_subquery()
    )
    take = (
        update(CouponStock)
        .where(CouponStock.id == oldest, CouponStock.remaining > 0)
        .values(remaining=CouponStock.remaining - 1)
        .returning(CouponStock.id)
        .execution_options(synchronize_session=False)
    )
    for _ in range(_STOCK_TRIES):
        stock_id = await session.scalar(take)
        if stock_id is not None:
            return int(stock_id)
        if not await session.scalar(select(oldest.exists())):  # empty, not merely raced: say so now
            break
    raise DomainError(ErrorCode.INSUFFICIENT_FUNDS, "no coupons of this kind left in stock", "templateId")


def coupon_of(
    template: CouponTemplate,
    *,
    merchant_id: int | None,
    plate: str,
    source: CouponSource,
    now: datetime,
    stock_id: int | None = None,
    code_id: int | None = None,
    issued_by_id: int | None = None,
) -> Coupon:
    """A new coupon with the template's terms copied (a later edit of the template changes no issued coupon)."""
    return Coupon(
        agent_id=template.agent_id,
        customer_id=template.customer_id,
        lot_id=template.lot_id,
        merchant_id=merchant_id,
        template_id=template.id,
        stock_id=stock_id,
        code_id=code_id,
        code=new_coupon_code(),
        source=source,
        kind=template.kind,
        value=template.value,
        max_per_stay=template.max_per_stay,
        stackable=template.stackable,
        plate=plate,
        valid_from=now,
        valid_until=now + timedelta(minutes=template.valid_minutes),
        issued_by_id=issued_by_id,
    )


async def _merchant_and_template(
    session: AsyncSession, merchant_id: int, template_id: int
) -> tuple[Merchant, CouponTemplate]:
    """Both rows in one read (an issue is a hot path); which one is missing only when one is."""
    row = (
        await session.execute(
            select(Merchant, CouponTemplate)
            .join(CouponTemplate, CouponTemplate.id == template_id)  # a join, not a cartesian product: one row
            .where(Merchant.id == merchant_id)
        )
    ).first()
    if row is not None:
        return row[0], row[1]
    if await session.get(Merchant, merchant_id) is None:
        raise NotFound("Merchant", "merchantId")
    raise NotFound("CouponTemplate", "templateId")


async def issue_coupon(
    session: AsyncSession,
    *,
    merchant_id: int,
    template_id: int,
    plate: str,
    source: CouponSource,
    now: datetime,
    code_id: int | None = None,
    issued_by_id: int | None = None,
) -> Coupon:
    """Issue one coupon of the template from the merchant's stock to ``plate`` ("" only for a VIP code's coupon,
    which a driver claims later). Raises DomainError (nothing changed) when the merchant, template, plate, a
    limit or the stock says no."""
    merchant, template = await _merchant_and_template(session, merchant_id, template_id)
    plate = _plate(plate, allow_blank=source is CouponSource.VIP)
    await _check_template(session, merchant, template, now)
    await _check_plate_limit(session, template, plate, now)
    stock_id = await take_from_stock(session, merchant.id, template.id)
    coupon = coupon_of(
        template,
        merchant_id=merchant.id,
        plate=plate,
        source=source,
        now=now,
        stock_id=stock_id,
        code_id=code_id,
        issued_by_id=issued_by_id,
    )
    session.add(coupon)
    await session.flush()
    announce(session, CouponIssued.of(coupon))
    return coupon
