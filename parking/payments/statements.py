"""Producing daily T+1 settlement statements: each lot's payments and refunds of one of its days, stored once.

A statement is keyed by (lot, day); producing it again recomputes it from the orders and replaces its lines in
place, so a re-run (a retried worker, a late refund notice) never makes a second statement. The day is the
lot's own calendar day (its ``timezone``): payments count on the day they were paid, refunds on the day they
completed. The statement also carries the day's coupon economy (packs the lot's merchants bought or had charged
to their balance, and the fees the coupons redeemed that day waived), so the lot sees it next to the revenue.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from parking.common.database import Database
from parking.common.errors import DomainError, ErrorCode
from parking.common.scope import Scope
from parking.merchants.statistics import CouponFigures, Period, lot_statistics
from parking.payments.models import OrderStatus, PaymentChannel, PaymentOrder, Refund, RefundStatus
from parking.payments.settlement_models import SettlementLine, SettlementStatement
from parking.payments.statement import (
    Movement,
    MovementKind,
    Totals,
    day_bounds,
    grand_total,
    lot_fee_rate,
    previous_day,
    summarize,
)
from parking.tenancy.models import Lot

logger = logging.getLogger(__name__)

CREDITED = (OrderStatus.PAID, OrderStatus.PARTLY_REFUNDED, OrderStatus.REFUNDED)


@dataclass(frozen=True)
class _LotInfo:
    id: int
    agent_id: int
    customer_id: int
    timezone: str
    fee_rate_ppm: int


def _totals_values(totals: Totals) -> dict[str, int]:
    return {
        "payments_count": totals.payments_count,
        "gross_fen": totals.gross_fen,
        "refunds_count": totals.refunds_count,
        "refunds_fen": totals.refunds_fen,
        "fee_fen": totals.fee_fen,
        "net_fen": totals.net_fen,
    }


async def _movements(tx: AsyncSession, lot_ids: list[int], start: datetime, end: datetime) -> dict[int, list[Movement]]:
    """Payments paid and refunds completed in [start, end) for the lots named: two queries, whatever the count."""
    by_lot: dict[int, list[Movement]] = defaultdict(list)
    paid = await tx.execute(
        select(PaymentOrder.lot_id, PaymentOrder.channel, PaymentOrder.amount_fen)
        .where(
            PaymentOrder.lot_id.in_(lot_ids),
            PaymentOrder.status.in_(CREDITED),
            PaymentOrder.paid_at >= start,
            PaymentOrder.paid_at < end,
        )
        .order_by(PaymentOrder.id)
    )
    for lot_id, channel, amount in paid:
        by_lot[lot_id].append(Movement(PaymentChannel(channel).value, MovementKind.PAYMENT, amount))
    refunded = await tx.execute(
        select(Refund.lot_id, PaymentOrder.channel, Refund.amount_fen)
        .join(PaymentOrder, PaymentOrder.id == Refund.order_id)
        .where(
            Refund.lot_id.in_(lot_ids),
            Refund.status == RefundStatus.SUCCEEDED,
            Refund.completed_at >= start,
            Refund.completed_at < end,
        )
        .order_by(Refund.id)
    )
    for lot_id, channel, amount in refunded:
        by_lot[lot_id].append(Movement(PaymentChannel(channel).value, MovementKind.REFUND, amount))
    return by_lot


def _coupon_values(figures: CouponFigures) -> dict[str, int]:
    return {
        "coupon_bought_fen": figures.bought_fen,
        "coupon_charged_fen": figures.charged_fen,
        "coupons_redeemed": figures.redeemed,
        "coupon_discount_fen": figures.discount_fen,
    }


async def _coupons(tx: AsyncSession, lot_ids: list[int], start: datetime, end: datetime) -> dict[int, CouponFigures]:
    """The coupon economy of the lots in [start, end): packs sold and fees waived, one query for all lots."""
    return {row.lot_id: row.figures for row in await lot_statistics(tx, Period.of(lot_ids, start, end))}


async def _store(
    tx: AsyncSession,
    lots: list[_LotInfo],
    day: date,
    movements: dict[int, list[Movement]],
    coupons: dict[int, CouponFigures],
    now: datetime,
) -> list[int]:
    """Upsert the lots' (lot, day) statements and replace their lines: three statements for any number of lots.

    On PostgreSQL the upsert locks each statement row until commit, so two concurrent runs take turns.
    """
    lines = {lot.id: summarize(movements.get(lot.id, []), lot.fee_rate_ppm) for lot in lots}
    headers = [
        {
            "agent_id": lot.agent_id,
            "customer_id": lot.customer_id,
            "lot_id": lot.id,
            "day": day,
            "timezone": lot.timezone,
            "fee_rate_ppm": lot.fee_rate_ppm,
            "produced_at": now,
            "created_at": now,
            "updated_at": now,
            **_totals_values(grand_total(lines[lot.id].values())),
            **_coupon_values(coupons.get(lot.id, CouponFigures())),
        }
        for lot in lots
    ]
    dialect_insert = sqlite.insert if tx.get_bind().dialect.name == "sqlite" else postgresql.insert
    upsert = dialect_insert(SettlementStatement).values(headers)
    kept = ("agent_id", "customer_id", "lot_id", "day", "created_at")
    statement = upsert.on_conflict_do_update(
        index_elements=["lot_id", "day"],
        set_={key: upsert.excluded[key] for key in headers[0] if key not in kept},
    ).returning(SettlementStatement.lot_id, SettlementStatement.id)
    ids = {int(lot_id): int(row_id) for lot_id, row_id in await tx.execute(statement)}
    await tx.execute(delete(SettlementLine).where(SettlementLine.statement_id.in_(list(ids.values()))))
    rows = [
        {
            "statement_id": ids[lot.id],
            "agent_id": lot.agent_id,
            "customer_id": lot.customer_id,
            "lot_id": lot.id,
            "day": day,
            "channel": PaymentChannel(channel),
            **_totals_values(totals),
        }
        for lot in lots
        for channel, totals in lines[lot.id].items()
    ]
    if rows:
        await tx.execute(insert(SettlementLine), rows)
    return [ids[lot.id] for lot in lots]


async def produce_statements(db: Database, day: date, now: datetime, lot_ids: Sequence[int] | None = None) -> list[int]:
    """Produce (or produce again) ``day``'s statement of each lot named, or of every lot; their ids, by lot id.

    A lot whose ``day`` is not over yet in its time zone is refused: a statement is final only once its day is.
    """
    async with db.transaction(Scope.internal()) as tx:
        stmt = select(Lot.id, Lot.agent_id, Lot.customer_id, Lot.timezone, Lot.payment_settings).order_by(Lot.id)
        if lot_ids is not None:
            stmt = stmt.where(Lot.id.in_(list(lot_ids)))
        lots = [
            _LotInfo(r.id, r.agent_id, r.customer_id, r.timezone, lot_fee_rate(r.payment_settings))
            for r in await tx.execute(stmt)
        ]
        for lot in lots:
            if day_bounds(day, lot.timezone)[1] > now:
                raise DomainError(ErrorCode.INVALID, f"{day} is not over yet for lot {lot.id} ({lot.timezone})", "day")
        by_zone: dict[str, list[_LotInfo]] = defaultdict(list)
        for lot in lots:
            by_zone[lot.timezone].append(lot)
        ids: list[int] = []
        for zone, zone_lots in by_zone.items():
            start, end = day_bounds(day, zone)
            zone_ids = [lot.id for lot in zone_lots]
            movements = await _movements(tx, zone_ids, start, end)
            coupons = await _coupons(tx, zone_ids, start, end)
            ids += await _store(tx, zone_lots, day, movements, coupons, now)
    logger.info("settlement statements for %s: %s lots", day, len(ids))
    return sorted(ids)


async def produce_previous_day(db: Database, now: datetime) -> list[int]:
    """What the daily worker does (T+1): every lot's statement of the day before today in the lot's time zone."""
    async with db.session(Scope.internal()) as s:
        zones = (await s.execute(select(Lot.id, Lot.timezone))).all()
    by_day: dict[date, list[int]] = defaultdict(list)
    for lot_id, zone in zones:
        by_day[previous_day(now, zone)].append(lot_id)
    ids: list[int] = []
    for day, lots in sorted(by_day.items()):
        ids += await produce_statements(db, day, now, lots)
    return ids
