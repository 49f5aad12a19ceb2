"""A driver's plate claims a coupon with a merchant, VIP or conference code.

Each claim is a conditional update that the database re-checks under concurrency, so a code never gives more
than it may: a VIP code's coupon goes to one plate (``used_count < 1`` and the coupon still without a plate), a
conference code to at most ``max_uses`` plates. A refusal raises before anything is written, or inside the
caller's transaction, which then rolls back.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from parking.codes.reading import refuse
from parking.codes.texts import CodeText
from parking.common.errors import DomainError, ErrorCode, NotFound
from parking.merchants.issuing import coupon_of, issue_coupon, merchant_lot_ids
from parking.merchants.models import CodeKind, Coupon, CouponSource, CouponStatus, CouponTemplate, Merchant, ParkingCode
from parking.tenancy.models import Lot


async def _count_use(session: AsyncSession, code: ParkingCode) -> None:
    """One more use, only while under ``max_uses`` (the loser of a race for the last use matches no row)."""
    counted = await session.execute(
        update(ParkingCode)
        .where(
            ParkingCode.id == code.id,
            or_(ParkingCode.max_uses.is_(None), ParkingCode.used_count < ParkingCode.max_uses),
        )
        .values(used_count=ParkingCode.used_count + 1)
        .execution_options(synchronize_session=False)
    )
    if counted.rowcount != 1:  # type: ignore[attr-defined]
        raise refuse(ErrorCode.USED, CodeText.USED_UP)


async def code_lot_ids(session: AsyncSession, code: ParkingCode) -> set[int]:
    """The lots where a code's coupons count: a merchant's lots, else the code's lot."""
    if code.merchant_id is not None and code.kind is not CodeKind.CONFERENCE:
        merchant = await session.get(Merchant, code.merchant_id)
        if merchant is not None:
            return await merchant_lot_ids(session, merchant)
    return {code.lot_id}


async def _day_start(session: AsyncSession, lot_id: int, now: datetime) -> datetime:
    timezone = await session.scalar(select(Lot.timezone).where(Lot.id == lot_id)) or "Asia/Shanghai"
    local = now.astimezone(ZoneInfo(timezone))
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


# issue_coupon's refusals, in the words a driver reads.
_DRIVER_TEXTS = {
    ErrorCode.INSUFFICIENT_FUNDS: CodeText.STOCK_EMPTY,
    ErrorCode.INACTIVE: CodeText.OFFER_ENDED,
    ErrorCode.CONFLICT: CodeText.PLATE_DAILY_LIMIT,
}


def _for_driver(err: DomainError) -> DomainError:
    key = _DRIVER_TEXTS.get(err.code)
    if key is None:
        return err
    return refuse(err.code, key)


async def _merchant_claim(session: AsyncSession, code: ParkingCode, plate: str, now: datetime) -> Coupon:
    assert code.merchant_id is not None
    assert code.template_id is not None
    if code.per_plate_per_day is not None:
        claimed = await session.scalar(
            select(func.count())
            .select_from(Coupon)
            .where(
                Coupon.code_id == code.id,
                Coupon.plate == plate,
                Coupon.created_at >= await _day_start(session, code.lot_id, now),
            )
        )
        if (claimed or 0) >= code.per_plate_per_day:
            raise refuse(ErrorCode.CONFLICT, CodeText.PLATE_DAILY_LIMIT)
    try:
        coupon = await issue_coupon(
            session,
            merchant_id=code.merchant_id,
            template_id=code.template_id,
            plate=plate,
            source=CouponSource.CLAIM,
            now=now,
            code_id=code.id,
        )
    except DomainError as err:
        raise _for_driver(err) from err
    await _count_use(session, code)
    return coupon


async def _vip_claim(session: AsyncSession, code: ParkingCode, plate: str, now: datetime) -> Coupon:
    coupon = await session.scalar(
        select(Coupon).where(Coupon.code_id == code.id, Coupon.plate == "", Coupon.status == CouponStatus.ISSUED)
    )
    if coupon is None:
        raise refuse(ErrorCode.USED, CodeText.USED_UP)
    await _count_use(session, code)
    # The coupon lasts as long from its claim as it was meant to from its issue.
    valid_until = now + (coupon.valid_until - (coupon.valid_from or coupon.created_at))
    taken = await session.execute(
        update(Coupon)
        .where(Coupon.id == coupon.id, Coupon.plate == "", Coupon.status == CouponStatus.ISSUED)
        .values(plate=plate, valid_from=now, valid_until=valid_until)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        raise refuse(ErrorCode.USED, CodeText.USED_UP)
    await session.refresh(coupon)
    return coupon


async def _conference_claim(session: AsyncSession, code: ParkingCode, plate: str, now: datetime) -> Coupon:
    assert code.template_id is not None
    template = await session.get(CouponTemplate, code.template_id)
    if template is None:
        raise NotFound("CouponTemplate", "payload")
    if not template.is_active:
        raise refuse(ErrorCode.INACTIVE, CodeText.OFFER_ENDED)
    registered = await session.scalar(
        select(Coupon.id).where(Coupon.code_id == code.id, Coupon.plate == plate).limit(1)
    )
    if registered is not None:
        raise refuse(ErrorCode.CONFLICT, CodeText.ALREADY_REGISTERED)
    await _count_use(session, code)
    coupon = coupon_of(
        template, merchant_id=code.merchant_id, plate=plate, source=CouponSource.CONFERENCE, now=now, code_id=code.id
    )
    session.add(coupon)
    await session.flush()
    return coupon


async def claim_coupon(session: AsyncSession, code: ParkingCode, plate: str, now: datetime) -> Coupon:
    """The coupon a merchant, VIP or conference code gives ``plate`` (normalised by the caller)."""
    if code.kind is CodeKind.MERCHANT:
        return await _merchant_claim(session, code, plate, now)
    if code.kind is CodeKind.VIP:
        return await _vip_claim(session, code, plate, now)
    if code.kind is CodeKind.CONFERENCE:
        return await _conference_claim(session, code, plate, now)
    raise refuse(ErrorCode.INVALID, CodeText.INVALID)
