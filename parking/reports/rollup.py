"""Computing a lot's local day of the rollup from the source rows, and storing it whole.

One (lot, day) is computed from five grouped queries (entries, exits, payments, refunds, coupons) for any number
of lots that share a time zone, so a day of every lot costs a handful of statements whatever the lot count. The
result replaces what was stored for those (lot, day)s, which makes computing again idempotent: a retried job,
a late offline replay or a refund after the day closed are all "compute the day again".

Buckets: an entry counts on its entry's local day and hour at its entry lane, an exit (with its stay's minutes,
discount and waiver) on its exit's, a payment on its payment's, a refund when it completed, a coupon when it was
redeemed; money carries the channel and purpose of its order and the lane, class and category of its stay.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any

from sqlalchemy import Select, and_, case, delete, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from parking.common.localtime import LocalHour
from parking.merchants.models import Coupon, CouponStatus
from parking.payments.models import OrderStatus, PaymentOrder, Refund, RefundStatus
from parking.payments.statement import day_bounds
from parking.reports.models import MEASURES, ReportDaily, ReportDay, ReportDirtyDay
from parking.reports.sql import SecondsBetween
from parking.sessions.enums import ReleaseMethod
from parking.sessions.models import ParkingSession
from parking.tenancy.models import Lot

# An order counts as revenue once paid, also when refunded later (the refund counts on its own day).
PAID = (OrderStatus.PAID, OrderStatus.PARTLY_REFUNDED, OrderStatus.REFUNDED)
# Releases that let a car out without paying what it owed: what was left unpaid is a waiver (减免).
WAIVING = (ReleaseMethod.FREE, ReleaseMethod.SOFTWARE)

# (lot id, local hour, lane id, vehicle class, category, channel, purpose); "" and 0 mean none.
Key = tuple[int, int, int, str, str, str, str]


@dataclass(frozen=True)
class LotDay:
    """What computing needs of a lot: its tenant ids and time zone."""

    id: int
    agent_id: int
    customer_id: int
    timezone: str


@dataclass
class Slice:
    """The measures of one rollup key (see ``models.MEASURES``)."""

    entries: int = 0
    exits: int = 0
    stay_minutes: int = 0
    paid_fen: int = 0
    payments: int = 0
    refunded_fen: int = 0
    refunds: int = 0
    discount_fen: int = 0
    coupon_fen: int = 0
    waived_fen: int = 0
    stay_seconds: float = field(default=0.0, repr=False)

    def values(self) -> dict[str, int]:
        return {name: int(getattr(self, name)) for name in MEASURES}


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(value.value) if isinstance(value, Enum) else str(value)


def _key(lot_id: Any, label: str, lane: Any, vehicle_class: Any, category: Any, channel: Any, purpose: Any) -> Key:
    return (
        int(lot_id),
        int(label[-2:]),
        int(lane or 0),
        _text(vehicle_class),
        _text(category),
        _text(channel),
        _text(purpose),
    )


def _in_day(at: Any, lot_ids: list[int], lot_column: Any, start: datetime, end: datetime) -> list[Any]:
    return [lot_column.in_(lot_ids), at >= start, at < end]


def _stays(at: Any, lane: Any, lot_ids: list[int], start: datetime, end: datetime) -> tuple[Any, list[Any]]:
    hour = LocalHour(at, Lot.timezone)
    dims = [ParkingSession.lot_id, hour, lane, ParkingSession.vehicle_class, ParkingSession.category]
    where = [ParkingSession.parent_id.is_(None), *_in_day(at, lot_ids, ParkingSession.lot_id, start, end)]
    return dims, where


def _entries(lot_ids: list[int], start: datetime, end: datetime) -> Select[Any]:
    dims, where = _stays(ParkingSession.entry_at, ParkingSession.entry_lane_id, lot_ids, start, end)
    return select(*dims, func.count()).join(Lot, Lot.id == ParkingSession.lot_id).where(*where).group_by(*dims)


def _exits(lot_ids: list[int], start: datetime, end: datetime) -> Select[Any]:
    assert ParkingSession.exit_at is not None
    dims, where = _stays(ParkingSession.exit_at, ParkingSession.exit_lane_id, lot_ids, start, end)
    left = ParkingSession.fee_due_fen - ParkingSession.paid_fen - ParkingSession.discount_fen
    waived = case((and_(ParkingSession.release_method.in_(WAIVING), left > 0), left), else_=0)
    return (
        select(
            *dims,
            func.count(),
            func.sum(SecondsBetween(ParkingSession.entry_at, ParkingSession.exit_at)),
            func.sum(ParkingSession.discount_fen),
            func.sum(waived),
        )
        .join(Lot, Lot.id == ParkingSession.lot_id)
        .where(*where)
        .group_by(*dims)
    )


def _stay_dims() -> list[Any]:
    return [ParkingSession.exit_lane_id, ParkingSession.vehicle_class, ParkingSession.category]


def _payments(lot_ids: list[int], start: datetime, end: datetime) -> Select[Any]:
    hour = LocalHour(PaymentOrder.paid_at, Lot.timezone)
    dims = [PaymentOrder.lot_id, hour, *_stay_dims(), PaymentOrder.channel, PaymentOrder.purpose]
    return (
        select(*dims, func.sum(PaymentOrder.amount_fen), func.count())
        .join(Lot, Lot.id == PaymentOrder.lot_id)
        .outerjoin(ParkingSession, ParkingSession.id == PaymentOrder.session_id)
        .where(PaymentOrder.status.in_(PAID), *_in_day(PaymentOrder.paid_at, lot_ids, PaymentOrder.lot_id, start, end))
        .group_by(*dims)
    )


def _refunds(lot_ids: list[int], start: datetime, end: datetime) -> Select[Any]:
    hour = LocalHour(Refund.completed_at, Lot.timezone)
    dims = [Refund.lot_id, hour, *_stay_dims(), PaymentOrder.channel, PaymentOrder.purpose]
    return (
        select(*dims, func.sum(Refund.amount_fen), func.count())
        .join(PaymentOrder, PaymentOrder.id == Refund.order_id)
        .join(Lot, Lot.id == Refund.lot_id)
        .outerjoin(ParkingSession, ParkingSession.id == PaymentOrder.session_id)
        .where(
            Refund.status == RefundStatus.SUCCEEDED,
            *_in_day(Refund.completed_at, lot_ids, Refund.lot_id, start, end),
        )
        .group_by(*dims)
    )


def _coupons(lot_ids: list[int], start: datetime, end: datetime) -> Select[Any]:
    hour = LocalHour(Coupon.redeemed_at, Lot.timezone)
    dims = [Coupon.lot_id, hour, *_stay_dims()]
    return (
        select(*dims, func.sum(Coupon.discount_fen))
        .join(Lot, Lot.id == Coupon.lot_id)
        .outerjoin(ParkingSession, ParkingSession.id == Coupon.session_id)
        .where(Coupon.status == CouponStatus.REDEEMED, *_in_day(Coupon.redeemed_at, lot_ids, Coupon.lot_id, start, end))
        .group_by(*dims)
    )


# Days computed by one set of statements at most: a backfill or a catch-up goes by windows of this many days.
WINDOW = 31
Days = dict[date, dict[Key, Slice]]


async def compute_days(session: AsyncSession, lot_ids: Sequence[int], first: date, last: date, timezone: str) -> Days:
    """The rollup of the local days ``first``..``last`` (of ``timezone``, which every lot named keeps) from the
    source rows: five statements for the whole range, each row's local hour label naming its day too."""
    ids = list(lot_ids)
    start, end = day_bounds(first, timezone)[0], day_bounds(last, timezone)[1]
    days: Days = defaultdict(lambda: defaultdict(Slice))

    def at(label: str, key: Key) -> Slice:
        return days[date.fromisoformat(label[:10])][key]

    for lot, label, lane, vclass, category, count in await session.execute(_entries(ids, start, end)):
        at(label, _key(lot, label, lane, vclass, category, "", "")).entries += int(count)
    for lot, label, lane, vclass, category, count, seconds, discount, waived in await session.execute(
        _exits(ids, start, end)
    ):
        one = at(label, _key(lot, label, lane, vclass, category, "", ""))
        one.exits += int(count)
        one.stay_seconds += float(seconds or 0)
        one.discount_fen += int(discount or 0)
        one.waived_fen += int(waived or 0)
    for lot, label, lane, vclass, category, channel, purpose, amount, count in await session.execute(
        _payments(ids, start, end)
    ):
        one = at(label, _key(lot, label, lane, vclass, category, channel, purpose))
        one.paid_fen += int(amount or 0)
        one.payments += int(count)
    for lot, label, lane, vclass, category, channel, purpose, amount, count in await session.execute(
        _refunds(ids, start, end)
    ):
        one = at(label, _key(lot, label, lane, vclass, category, channel, purpose))
        one.refunded_fen += int(amount or 0)
        one.refunds += int(count)
    for lot, label, lane, vclass, category, discount in await session.execute(_coupons(ids, start, end)):
        at(label, _key(lot, label, lane, vclass, category, "", "")).coupon_fen += int(discount or 0)
    for slices in days.values():
        for one in slices.values():
            # Rounded once per slice, so the minutes add up the same whichever way a report groups them.
            one.stay_minutes = round(one.stay_seconds / 60)
    return {day: dict(slices) for day, slices in days.items()}


async def compute(session: AsyncSession, lot_ids: Sequence[int], day: date, timezone: str) -> dict[Key, Slice]:
    """The rollup of one local day (see ``compute_days``)."""
    return (await compute_days(session, lot_ids, day, day, timezone)).get(day, {})


def upsert_for(session: AsyncSession) -> Any:
    return sqlite.insert if session.get_bind().dialect.name == "sqlite" else postgresql.insert


async def store(tx: AsyncSession, lots: Sequence[LotDay], day: date, slices: dict[Key, Slice], now: datetime) -> None:
    """Replace the stored rollup of ``day`` for ``lots`` with ``slices`` and clear their dirty marks.

    The ``report_days`` upsert comes first: on PostgreSQL it locks the (lot, day) rows until commit, so two
    workers computing the same day take turns instead of both inserting.
    """
    if not lots:
        return
    ids = [lot.id for lot in lots]
    days = [
        {"agent_id": lot.agent_id, "customer_id": lot.customer_id, "lot_id": lot.id, "day": day, "computed_at": now}
        for lot in lots
    ]
    upsert = upsert_for(tx)(ReportDay).values(days)
    await tx.execute(upsert.on_conflict_do_update(index_elements=["lot_id", "day"], set_={"computed_at": now}))
    await tx.execute(delete(ReportDaily).where(ReportDaily.lot_id.in_(ids), ReportDaily.day == day))
    owners = {lot.id: lot for lot in lots}
    rows = [
        {
            "agent_id": owners[key[0]].agent_id,
            "customer_id": owners[key[0]].customer_id,
            "lot_id": key[0],
            "day": day,
            "hour": key[1],
            "lane_id": key[2],
            "vehicle_class": key[3],
            "category": key[4],
            "channel": key[5],
            "purpose": key[6],
            **one.values(),
        }
        for key, one in slices.items()
        if key[0] in owners
    ]
    if rows:
        await tx.execute(insert(ReportDaily), rows)
    # A mark set after this computation started stays: its change may not be in what was read.
    await tx.execute(
        delete(ReportDirtyDay).where(
            ReportDirtyDay.lot_id.in_(ids), ReportDirtyDay.day == day, ReportDirtyDay.marked_at <= now
        )
    )


def by_zone(lots: Iterable[LotDay]) -> dict[str, list[LotDay]]:
    zones: dict[str, list[LotDay]] = defaultdict(list)
    for lot in lots:
        zones[lot.timezone].append(lot)
    return zones


async def refresh(tx: AsyncSession, lots: Sequence[LotDay], day: date, now: datetime) -> dict[Key, Slice]:
    """Compute ``day`` of ``lots`` again and store it; what was stored, for every lot."""
    return (await refresh_days(tx, {day: list(lots)}, now)).get(day, {})


async def refresh_days(tx: AsyncSession, pending: Mapping[date, Sequence[LotDay]], now: datetime) -> Days:
    """Compute again and store each day's lots in ``pending``; what was stored, by day.

    The lots of one time zone are computed together, by windows of up to ``WINDOW`` days: a year's backfill or a
    92-day catch-up costs a few statements a window, not a few a day.
    """
    stored: Days = defaultdict(dict)
    zones: dict[str, dict[date, list[LotDay]]] = defaultdict(lambda: defaultdict(list))
    for day, day_lots in pending.items():
        for lot in day_lots:
            zones[lot.timezone][day].append(lot)
    for zone, by_day in zones.items():
        days = sorted(by_day)
        while days:
            window = [d for d in days if d <= days[0] + timedelta(days=WINDOW - 1)]
            days = days[len(window) :]
            lot_ids = sorted({lot.id for d in window for lot in by_day[d]})
            computed = await compute_days(tx, lot_ids, window[0], window[-1], zone)
            for day in window:
                wanted = {lot.id for lot in by_day[day]}
                slices = {key: one for key, one in computed.get(day, {}).items() if key[0] in wanted}
                await store(tx, by_day[day], day, slices, now)
                stored[day].update(slices)
    return dict(stored)


async def lot_days(session: AsyncSession, lot_ids: Sequence[int] | None = None) -> list[LotDay]:
    stmt = select(Lot.id, Lot.agent_id, Lot.customer_id, Lot.timezone).order_by(Lot.id)
    if lot_ids is not None:
        stmt = stmt.where(Lot.id.in_(list(lot_ids)))
    return [LotDay(int(i), int(a), int(c), str(tz)) for i, a, c, tz in await session.execute(stmt)]
