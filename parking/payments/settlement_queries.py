"""What finance staff read of settlements and bill reconciliations, within the session's tenant scope.

Each list is returned as a select for the caller to page; the sums and counts are read here. Every table read
is tenant-scoped (``parking.common.scope``), so a caller sees only the lots it may see.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.common.errors import NotFound
from parking.payments.models import PaymentChannel
from parking.payments.settlement_models import (
    ReconciliationItem,
    ReconciliationResult,
    ReconciliationRun,
    SettlementLine,
    SettlementStatement,
)
from parking.payments.statement import Totals
from parking.tenancy.models import Customer

ChannelTotals = list[tuple[PaymentChannel, Totals]]


def totals_of(row: Any) -> Totals:
    """The sums of a statement or of one of its channel lines."""
    return Totals(row.payments_count, row.gross_fen, row.refunds_count, row.refunds_fen, row.fee_fen)


@dataclass(frozen=True)
class StatementCoupons:
    """The coupon economy on a statement: packs bought online or charged to balances, and fees waived."""

    bought_fen: int = 0
    charged_fen: int = 0
    redeemed: int = 0
    discount_fen: int = 0


def coupons_of(row: Any) -> StatementCoupons:
    """A statement's coupon columns (or their sums, labelled alike)."""
    return StatementCoupons(
        int(row.coupon_bought_fen or 0),
        int(row.coupon_charged_fen or 0),
        int(row.coupons_redeemed or 0),
        int(row.coupon_discount_fen or 0),
    )


def statements(day_from: date, day_to: date, lot_id: int | None = None) -> Select[SettlementStatement]:
    m = SettlementStatement
    stmt = select(m).where(m.day >= day_from, m.day <= day_to)
    return stmt if lot_id is None else stmt.where(m.lot_id == lot_id)


async def channel_totals(session: AsyncSession, statement_ids: Sequence[int]) -> dict[int, ChannelTotals]:
    """Each statement's lines by channel: one query for all of them."""
    by_statement: dict[int, ChannelTotals] = defaultdict(list)
    if statement_ids:
        lines = await session.scalars(
            select(SettlementLine)
            .where(SettlementLine.statement_id.in_(list(statement_ids)))
            .order_by(SettlementLine.channel)
        )
        for line in lines:
            by_statement[line.statement_id].append((line.channel, totals_of(line)))
    return by_statement


@dataclass(frozen=True)
class CustomerDay:
    """A customer's settlement of a day: the sums of the statements of its lots that the caller can see."""

    lots_settled: int
    totals: Totals
    by_channel: ChannelTotals = field(default_factory=list)
    coupons: StatementCoupons = field(default_factory=StatementCoupons)


async def customer_day(session: AsyncSession, customer_id: int, day: date) -> CustomerDay:
    if await session.scalar(select(Customer.id).where(Customer.id == customer_id)) is None:
        raise NotFound("Customer", "customerId")
    m = SettlementLine
    sums = (
        func.sum(m.payments_count),
        func.sum(m.gross_fen),
        func.sum(m.refunds_count),
        func.sum(m.refunds_fen),
        func.sum(m.fee_fen),
    )
    rows = await session.execute(
        select(m.channel, *sums)
        .where(m.customer_id == customer_id, m.day == day)
        .group_by(m.channel)
        .order_by(m.channel)
    )
    by_channel = [(PaymentChannel(c), Totals(*(int(v) for v in values))) for c, *values in rows]
    s = SettlementStatement
    settled = (
        await session.execute(
            select(
                func.count(s.id).label("lots"),
                func.sum(s.coupon_bought_fen).label("coupon_bought_fen"),
                func.sum(s.coupon_charged_fen).label("coupon_charged_fen"),
                func.sum(s.coupons_redeemed).label("coupons_redeemed"),
                func.sum(s.coupon_discount_fen).label("coupon_discount_fen"),
            ).where(s.customer_id == customer_id, s.day == day)
        )
    ).one()
    total = Totals()
    for _, line in by_channel:
        total += line
    return CustomerDay(
        lots_settled=int(settled.lots or 0), totals=total, by_channel=by_channel, coupons=coupons_of(settled)
    )


async def reconciliation_run(session: AsyncSession, channel: str, day: date) -> ReconciliationRun | None:
    m = ReconciliationRun
    return await session.scalar(select(m).where(m.channel == channel, m.day == day))


def reconciliation_runs(day_from: date, day_to: date, channel: str | None = None) -> Select[ReconciliationRun]:
    m = ReconciliationRun
    stmt = select(m).where(m.day >= day_from, m.day <= day_to)
    return stmt if channel is None else stmt.where(m.channel == channel)


async def line_counts(
    session: AsyncSession, runs: Sequence[ReconciliationRun]
) -> dict[tuple[int, ReconciliationResult], int]:
    """The counts of each run's lines by result, of the lines the caller can see: one grouped query."""
    if not runs:
        return {}
    m = ReconciliationItem
    grouped = await session.execute(
        select(m.run_id, m.result, func.count(m.id))
        .where(m.run_id.in_([run.id for run in runs]))
        .group_by(m.run_id, m.result)
    )
    return {(run_id, result): int(n) for run_id, result, n in grouped}


def reconciliation_lines(
    channel: str, day: date, result: ReconciliationResult | None = None
) -> Select[ReconciliationItem]:
    m = ReconciliationItem
    run = ReconciliationRun
    stmt = select(m).join(run, run.id == m.run_id).where(run.channel == channel, run.day == day)
    return stmt if result is None else stmt.where(m.result == result)
