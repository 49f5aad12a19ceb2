"""Coupon statistics of a period, per merchant or per lot: SQL aggregates, one report query whatever the rows.

A period is a range of the lot's own calendar days (``Lot.timezone``), both ends included; lots in different
time zones each count their own days. What falls in the period:

- issued: coupons created in it (whatever became of them since);
- redeemed and discount_fen: coupons now ``REDEEMED`` whose ``redeemed_at`` is in it (a coupon given back by a
  refund is ``ISSUED`` again and no longer counts);
- expired: coupons now ``EXPIRED`` whose ``valid_until`` is in it; voided: coupons now ``VOID`` last changed in it;
- sold_fen: coupon packs the merchants got in it: a ``PURCHASE`` stock's price (paid through the channel) and
  what a ``CREDIT`` stock's ledger entry charged to the balance (a free credit sold nothing);
- stock_remaining: coupons left in the stocks now (not of the period).

Every table read is tenant-scoped, so the figures are those of the rows the caller may see.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Subquery, and_, case, false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.common.errors import DomainError, ErrorCode, NotFound
from parking.merchants.models import (
    Coupon,
    CouponStatus,
    CouponStock,
    LedgerKind,
    Merchant,
    MerchantLedgerEntry,
    MerchantLot,
    StockSource,
)
from parking.tenancy.models import Lot

# A report covers at most this many days (a year and a day, so a full leap year fits).
MAX_DAYS = 367


@dataclass(frozen=True)
class CouponFigures:
    issued: int = 0
    redeemed: int = 0
    expired: int = 0
    voided: int = 0
    discount_fen: int = 0
    bought_fen: int = 0  # packs bought online (paid through the channel)
    charged_fen: int = 0  # packs credited and charged to the merchant's balance
    stock_remaining: int = 0

    @property
    def sold_fen(self) -> int:
        return self.bought_fen + self.charged_fen


@dataclass(frozen=True)
class MerchantFigures:
    merchant_id: int
    merchant_name: str
    figures: CouponFigures


@dataclass(frozen=True)
class LotFigures:
    lot_id: int
    lot_name: str
    figures: CouponFigures


@dataclass(frozen=True)
class Period:
    """The period's instants per time zone: (start, end, lot ids) for each zone of the lots reported."""

    windows: tuple[tuple[datetime, datetime, tuple[int, ...]], ...]

    @classmethod
    def of(cls, lot_ids: list[int], start: datetime, end: datetime) -> Period:
        """The lots named over one span of instants (e.g. a settlement day of one time zone)."""
        return cls(windows=((start, end, tuple(lot_ids)),))

    @property
    def lot_ids(self) -> list[int]:
        return sorted(lot for _, _, ids in self.windows for lot in ids)

    def holds(self, lot_column: Any, at: Any) -> ColumnElement[bool]:
        """``at`` falls in the period's days of the row's lot."""
        return or_(
            false(),
            *(and_(lot_column.in_(ids), at >= start, at < end) for start, end, ids in self.windows),
        )


def days_bounds(day_from: date, day_to: date, timezone: str) -> tuple[datetime, datetime]:
    """The UTC instants where ``day_from`` starts and ``day_to`` ends in ``timezone`` (midnight to midnight)."""
    zone = ZoneInfo(timezone)
    start = datetime.combine(day_from, time(), tzinfo=zone)
    end = datetime.combine(day_to + timedelta(days=1), time(), tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


async def period_of(session: AsyncSession, lot_id: int | None, day_from: date, day_to: date) -> Period:
    """The lots reported (one, or every lot the caller sees) and where the days start and end in each zone."""
    if day_to < day_from:
        raise DomainError(ErrorCode.INVALID, "the period ends before it starts", "to")
    if (day_to - day_from).days >= MAX_DAYS:
        raise DomainError(ErrorCode.INVALID, f"a period is at most {MAX_DAYS} days", "to")
    stmt = select(Lot.id, Lot.timezone).order_by(Lot.id)
    if lot_id is not None:
        stmt = stmt.where(Lot.id == lot_id)
    rows = (await session.execute(stmt)).all()
    if lot_id is not None and not rows:
        raise NotFound("Lot", "lotId")
    by_zone: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        by_zone[row.timezone].append(int(row.id))
    try:
        windows = tuple((*days_bounds(day_from, day_to, zone), tuple(ids)) for zone, ids in sorted(by_zone.items()))
    except OverflowError:  # a day at the very ends of the calendar (year 1 or 9999) has no UTC instant
        raise DomainError(ErrorCode.INVALID, "the period is outside the calendar", "from") from None
    return Period(windows=windows)


def _count(condition: ColumnElement[bool]) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _coupon_sums(period: Period, key: Any) -> Subquery:
    """Issued, redeemed, expired, voided and the discount per ``key`` (a Coupon column)."""
    c = Coupon
    redeemed = and_(c.status == CouponStatus.REDEEMED, period.holds(c.lot_id, c.redeemed_at))
    return (
        select(
            key.label("key"),
            _count(period.holds(c.lot_id, c.created_at)).label("issued"),
            _count(redeemed).label("redeemed"),
            _count(and_(c.status == CouponStatus.EXPIRED, period.holds(c.lot_id, c.valid_until))).label("expired"),
            _count(and_(c.status == CouponStatus.VOID, period.holds(c.lot_id, c.updated_at))).label("voided"),
            func.coalesce(func.sum(case((redeemed, c.discount_fen), else_=0)), 0).label("discount_fen"),
        )
        .where(c.lot_id.in_(period.lot_ids), key.is_not(None))
        .group_by(key)
        .subquery()
    )


def _stock_sums(period: Period, key: Any) -> Subquery:
    """Packs sold in the period and coupons left now, per ``key`` (a CouponStock column)."""
    s, entry = CouponStock, MerchantLedgerEntry
    charged = (
        select(entry.stock_id.label("stock_id"), func.abs(func.sum(entry.amount_fen)).label("fen"))
        .where(entry.kind == LedgerKind.CREDIT, entry.stock_id.is_not(None))
        .group_by(entry.stock_id)
        .subquery()
    )
    in_period = period.holds(s.lot_id, s.created_at)
    bought = and_(in_period, s.source == StockSource.PURCHASE)
    credited = and_(in_period, s.source == StockSource.CREDIT)
    return (
        select(
            key.label("key"),
            func.coalesce(func.sum(case((bought, s.price_fen), else_=0)), 0).label("bought_fen"),
            func.coalesce(func.sum(case((credited, func.coalesce(charged.c.fen, 0)), else_=0)), 0).label("charged_fen"),
            func.coalesce(func.sum(s.remaining), 0).label("stock_remaining"),
        )
        .outerjoin(charged, charged.c.stock_id == s.id)
        .where(s.lot_id.in_(period.lot_ids))
        .group_by(key)
        .subquery()
    )


def _figures(row: Any) -> CouponFigures:
    return CouponFigures(
        issued=int(row.issued or 0),
        redeemed=int(row.redeemed or 0),
        expired=int(row.expired or 0),
        voided=int(row.voided or 0),
        discount_fen=int(row.discount_fen or 0),
        bought_fen=int(row.bought_fen or 0),
        charged_fen=int(row.charged_fen or 0),
        stock_remaining=int(row.stock_remaining or 0),
    )


def _columns(coupons: Subquery, stocks: Subquery) -> list[Any]:
    return [
        coupons.c.issued,
        coupons.c.redeemed,
        coupons.c.expired,
        coupons.c.voided,
        coupons.c.discount_fen,
        stocks.c.bought_fen,
        stocks.c.charged_fen,
        stocks.c.stock_remaining,
    ]


async def merchant_statistics(
    session: AsyncSession, period: Period, *, lot_id: int | None = None, merchant_id: int | None = None
) -> list[MerchantFigures]:
    """One row per merchant (of ``lot_id``: its home lot or one of its other lots; or every merchant the caller
    sees), by name; coupons and stock of the period's lots only."""
    coupons, stocks = _coupon_sums(period, Coupon.merchant_id), _stock_sums(period, CouponStock.merchant_id)
    m = Merchant
    stmt = (
        select(m.id, m.name, *_columns(coupons, stocks))
        .outerjoin(coupons, coupons.c.key == m.id)
        .outerjoin(stocks, stocks.c.key == m.id)
        .order_by(m.name, m.id)
    )
    if lot_id is not None:
        others = select(MerchantLot.merchant_id).where(MerchantLot.lot_id == lot_id)
        stmt = stmt.where(or_(m.lot_id == lot_id, m.id.in_(others)))
    if merchant_id is not None:
        stmt = stmt.where(m.id == merchant_id)
    rows = (await session.execute(stmt)).all()
    return [MerchantFigures(int(r.id), str(r.name), _figures(r)) for r in rows]


async def lot_statistics(session: AsyncSession, period: Period) -> list[LotFigures]:
    """One row per lot of the period (every coupon of the lot, whichever merchant), by lot id."""
    coupons, stocks = _coupon_sums(period, Coupon.lot_id), _stock_sums(period, CouponStock.lot_id)
    stmt = (
        select(Lot.id, Lot.name, *_columns(coupons, stocks))
        .outerjoin(coupons, coupons.c.key == Lot.id)
        .outerjoin(stocks, stocks.c.key == Lot.id)
        .where(Lot.id.in_(period.lot_ids))
        .order_by(Lot.id)
    )
    rows = (await session.execute(stmt)).all()
    return [LotFigures(int(r.id), str(r.name), _figures(r)) for r in rows]
