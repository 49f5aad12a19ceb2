"""The overview aggregates. Each is one SQL statement, bucketed in each lot's own time zone, and runs in the
caller's session so the tenant scope filters every table it reads (parking.common.scope)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from parking.alarms.models import Alarm, AlarmKind, AlarmStatus
from parking.common.errors import DomainError, ErrorCode
from parking.common.localtime import LocalDay, LocalHour
from parking.payments.models import OrderStatus, PaymentChannel, PaymentOrder
from parking.sessions.models import ParkingSession
from parking.tariffs.models import TariffVersion
from parking.tenancy.models import Lot

MAX_DAYS = 92
# Local dates are between UTC-12 and UTC+14: widen the UTC range by that much, then filter by the local label.
_EARLIEST_OFFSET = timedelta(hours=14)
_LATEST_OFFSET = timedelta(hours=12)
# An order counts as revenue once paid, also when refunded later (refunds are reported beside it).
PAID = (OrderStatus.PAID, OrderStatus.PARTLY_REFUNDED, OrderStatus.REFUNDED)


class Bucket(StrEnum):
    DAY = "day"
    HOUR = "hour"


@dataclass(frozen=True)
class DateRange:
    """Local calendar days ``first``..``last`` inclusive (each lot reads them in its own time zone)."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise DomainError(ErrorCode.INVALID, "the range ends before it starts", "to")
        if (self.last - self.first).days >= MAX_DAYS:
            raise DomainError(ErrorCode.INVALID, f"at most {MAX_DAYS} days at a time", "to")

    def where(self, at: Any, label: ColumnElement[str]) -> list[ColumnElement[bool]]:
        """A coarse UTC range the index can use, then the exact local-day bounds."""
        start = datetime.combine(self.first, time(), UTC) - _EARLIEST_OFFSET
        end = datetime.combine(self.last + timedelta(days=1), time(), UTC) + _LATEST_OFFSET
        return [at >= start, at < end, label >= self.first.isoformat(), label < _after(self.last)]


def _after(day: date) -> str:
    # Hour labels ("2026-11-21 08") sort after the day label, so compare against the next day.
    return (day + timedelta(days=1)).isoformat()


@dataclass(frozen=True)
class RevenueRow:
    day: date
    channel: PaymentChannel
    paid_fen: int
    refunded_fen: int
    orders: int


@dataclass(frozen=True)
class TrafficRow:
    day: date
    hour: int | None
    entries: int
    exits: int


@dataclass(frozen=True)
class OccupancyRow:
    lot_id: int
    name: str
    capacity: int
    occupied: int
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class AlarmCountRow:
    kind: AlarmKind
    open: int
    acknowledged: int


def _lots(lot_column: Any, lot_ids: Sequence[int] | None) -> list[ColumnElement[bool]]:
    return [] if lot_ids is None else [lot_column.in_(list(lot_ids))]


def _split(label: str) -> tuple[date, int | None]:
    day, _, hour = label.partition(" ")
    return date.fromisoformat(day), int(hour) if hour else None


async def revenue(session: AsyncSession, period: DateRange, lot_ids: Sequence[int] | None = None) -> list[RevenueRow]:
    """Paid fen per local day and channel."""
    day = LocalDay(PaymentOrder.paid_at, Lot.timezone)
    stmt = (
        select(
            day,
            PaymentOrder.channel,
            func.sum(PaymentOrder.amount_fen),
            func.sum(PaymentOrder.refunded_fen),
            func.count(PaymentOrder.id),
        )
        .join(Lot, Lot.id == PaymentOrder.lot_id)
        .where(PaymentOrder.status.in_(PAID), *period.where(PaymentOrder.paid_at, day))
        .where(*_lots(PaymentOrder.lot_id, lot_ids))
        .group_by(day, PaymentOrder.channel)
        .order_by(day, PaymentOrder.channel)
    )
    rows = await session.execute(stmt)
    return [
        RevenueRow(date.fromisoformat(d), PaymentChannel(channel), int(paid), int(refunded), int(orders))
        for d, channel, paid, refunded, orders in rows
    ]


def _moves(
    at: Any, period: DateRange, bucket: Bucket, lot_ids: Sequence[int] | None, entry: bool
) -> Select[str, int, int]:
    label = (LocalDay if bucket is Bucket.DAY else LocalHour)(at, Lot.timezone)
    return (
        select(
            label.label("at"), literal(1 if entry else 0).label("entries"), literal(0 if entry else 1).label("exits")
        )
        .select_from(ParkingSession)
        .join(Lot, Lot.id == ParkingSession.lot_id)
        # Outer stays only: a car entering an inner lot (内场) has not entered the lot again.
        .where(ParkingSession.parent_id.is_(None), *period.where(at, label))
        .where(*_lots(ParkingSession.lot_id, lot_ids))
    )


async def traffic(
    session: AsyncSession, period: DateRange, bucket: Bucket = Bucket.DAY, lot_ids: Sequence[int] | None = None
) -> list[TrafficRow]:
    """Entries and exits (outer stays starting and ending) per local day or hour."""
    moves = union_all(
        _moves(ParkingSession.entry_at, period, bucket, lot_ids, entry=True),
        _moves(ParkingSession.exit_at, period, bucket, lot_ids, entry=False),
    ).subquery()
    stmt = (
        select(moves.c.at, func.sum(moves.c.entries), func.sum(moves.c.exits)).group_by(moves.c.at).order_by(moves.c.at)
    )
    rows = await session.execute(stmt)
    return [TrafficRow(*_split(label), int(entries), int(exits)) for label, entries, exits in rows]


async def occupancy(session: AsyncSession, lot_ids: Sequence[int] | None = None) -> list[OccupancyRow]:
    """Each active lot's capacity and cars inside now (the counter the lane flow keeps), by name."""
    stmt = (
        select(Lot.id, Lot.name, Lot.capacity, Lot.occupied, Lot.latitude, Lot.longitude)
        .where(Lot.is_active.is_(True), *_lots(Lot.id, lot_ids))
        .order_by(Lot.name, Lot.id)
    )
    return [OccupancyRow(*row) for row in await session.execute(stmt)]


async def open_alarms(session: AsyncSession, lot_ids: Sequence[int] | None = None) -> list[AlarmCountRow]:
    """Alarms not yet resolved, per kind: still open, and acknowledged by an operator."""
    is_open = case((Alarm.status == AlarmStatus.OPEN, 1), else_=0)
    is_acknowledged = case((Alarm.status == AlarmStatus.ACKNOWLEDGED, 1), else_=0)
    stmt = (
        select(Alarm.kind, func.sum(is_open), func.sum(is_acknowledged))
        .where(Alarm.status != AlarmStatus.RESOLVED, *_lots(Alarm.lot_id, lot_ids))
        .group_by(Alarm.kind)
        .order_by(Alarm.kind)
    )
    return [AlarmCountRow(AlarmKind(kind), int(o), int(a)) for kind, o, a in await session.execute(stmt)]


def in_force(versions: Sequence[TariffVersion], now: datetime) -> list[TariffVersion]:
    """Of a lot's tariff versions, the lot-wide one in force at ``now`` for each vehicle class."""
    current: dict[str, TariffVersion] = {}
    for version in versions:
        if version.area_id is not None or version.effective_from > now:
            continue
        held = current.get(version.vehicle_class)
        if held is None or (version.effective_from, version.version) > (held.effective_from, held.version):
            current[version.vehicle_class] = version
    return [current[key] for key in sorted(current)]
