"""Settlement and reconciliation queries for finance staff, each within the caller's tenant scope."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

import strawberry
from sqlalchemy import ColumnElement, false, func, select

from parking.accounts.permissions import Perm
from parking.common.crud import parse_id
from parking.common.errors import NotFound
from parking.common.scope import Scope, ScopeLevel
from parking.payments.models import PaymentChannel
from parking.payments.settlement_models import (
    ReconciliationItem,
    ReconciliationResult,
    ReconciliationRun,
    SettlementLine,
)
from parking.payments.settlement_models import SettlementStatement as StatementRow
from parking.payments.statement import Totals
from parking.tenancy.models import Customer
from schema.core.context import Info
from schema.core.pagination import Connection, PageRequest, SortDirection, paginate
from schema.core.permissions import describe, requires
from schema.payments.settlement_types import (
    CustomerSettlement,
    Reconciliation,
    ReconciliationLine,
    SettlementChannelLine,
    SettlementStatement,
    SettlementTotals,
)


def _totals(row: Any) -> Totals:
    return Totals(row.payments_count, row.gross_fen, row.refunds_count, row.refunds_fen, row.fee_fen)


def _lines(rows: list[tuple[PaymentChannel, Totals]]) -> list[SettlementChannelLine]:
    return [SettlementChannelLine(channel=c, totals=SettlementTotals.of(t)) for c, t in rows]


def _in_scope(scope: Scope) -> list[ColumnElement[bool]]:
    """Reconciliation lines are not tenant rows (a bill spans tenants): filter them by their lot columns here."""
    m = ReconciliationItem
    if scope.level is ScopeLevel.PLATFORM:
        return []
    where: list[ColumnElement[bool]] = [m.agent_id == scope.agent_id]
    if scope.level in (ScopeLevel.CUSTOMER, ScopeLevel.LOT):
        where.append(m.customer_id == scope.customer_id)
    if scope.level is ScopeLevel.LOT:
        where.append(m.lot_id.in_(sorted(scope.lot_ids)) if scope.lot_ids else false())
    return where


async def _summaries(info: Info, runs: Sequence[ReconciliationRun]) -> list[Reconciliation]:
    """Each run with the counts of its lines in the caller's scope: one grouped query for all of them."""
    if not runs:
        return []
    m = ReconciliationItem
    grouped = await info.context.session.execute(
        select(m.run_id, m.result, func.count(m.id))
        .where(m.run_id.in_([run.id for run in runs]), *_in_scope(info.context.scope))
        .group_by(m.run_id, m.result)
    )
    counts: dict[tuple[int, ReconciliationResult], int] = {(run_id, r): int(n) for run_id, r, n in grouped}
    return [
        Reconciliation(
            channel=run.channel,
            day=run.day,
            produced_at=run.produced_at,
            status=run.status,
            error=run.error,
            bill_rows=run.bill_rows,
            matched=counts.get((run.id, ReconciliationResult.MATCHED), 0),
            missing_ours=counts.get((run.id, ReconciliationResult.MISSING_OURS), 0),
            missing_theirs=counts.get((run.id, ReconciliationResult.MISSING_THEIRS), 0),
            amount_mismatch=counts.get((run.id, ReconciliationResult.AMOUNT_MISMATCH), 0),
            double_payment=counts.get((run.id, ReconciliationResult.DOUBLE_PAYMENT), 0),
        )
        for run in runs
    ]


@strawberry.type
class SettlementQuery:
    @strawberry.field(
        extensions=requires(Perm.FINANCE_VIEW),
        description=describe(
            "Lots' daily settlement statements (T+1), by lot; one lot's or all visible lots'.", Perm.FINANCE_VIEW
        ),
    )
    async def settlement_statements(
        self,
        info: Info,
        day_from: date,
        day_to: date,
        lot_id: strawberry.ID | None = None,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[SettlementStatement]:
        m = StatementRow
        stmt = select(m).where(m.day >= day_from, m.day <= day_to)
        if lot_id is not None:
            stmt = stmt.where(m.lot_id == parse_id(lot_id, "lotId"))
        session = info.context.session
        rows, page = await paginate(session, stmt, m.id, m.id, SortDirection.ASC, PageRequest(first, after))
        by_statement: dict[int, list[tuple[PaymentChannel, Totals]]] = defaultdict(list)
        if rows:
            lines = await session.scalars(
                select(SettlementLine)
                .where(SettlementLine.statement_id.in_([r.id for r in rows]))
                .order_by(SettlementLine.channel)
            )
            for line in lines:
                by_statement[line.statement_id].append((line.channel, _totals(line)))
        items = [
            SettlementStatement(
                id=strawberry.ID(str(r.id)),
                lot_id=strawberry.ID(str(r.lot_id)),
                customer_id=strawberry.ID(str(r.customer_id)),
                day=r.day,
                timezone=r.timezone,
                fee_rate_ppm=r.fee_rate_ppm,
                produced_at=r.produced_at,
                totals=SettlementTotals.of(_totals(r)),
                by_channel=_lines(by_statement[r.id]),
            )
            for r in rows
        ]
        return Connection(items=items, page_info=page)

    @strawberry.field(
        extensions=requires(Perm.FINANCE_VIEW),
        description=describe(
            "A customer's settlement for a day: the exact sums of its lots' statements that the caller can see.",
            Perm.FINANCE_VIEW,
        ),
    )
    async def customer_settlement(self, info: Info, customer_id: strawberry.ID, day: date) -> CustomerSettlement:
        customer = parse_id(customer_id, "customerId")
        session = info.context.session
        if await session.scalar(select(Customer.id).where(Customer.id == customer)) is None:
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
            .where(m.customer_id == customer, m.day == day)
            .group_by(m.channel)
            .order_by(m.channel)
        )
        by_channel = [(PaymentChannel(c), Totals(*(int(v) for v in values))) for c, *values in rows]
        lots = await session.scalar(
            select(func.count(StatementRow.id)).where(StatementRow.customer_id == customer, StatementRow.day == day)
        )
        total = Totals()
        for _, line in by_channel:
            total += line
        return CustomerSettlement(
            customer_id=strawberry.ID(str(customer)),
            day=day,
            lots_settled=int(lots or 0),
            totals=SettlementTotals.of(total),
            by_channel=_lines(by_channel),
        )

    @strawberry.field(
        extensions=requires(Perm.FINANCE_VIEW),
        description=describe(
            "A channel's (wechatpay, alipay) bill of a day against our records: counts of the lines the caller can "
            "see; null before the day was reconciled.",
            Perm.FINANCE_VIEW,
        ),
    )
    async def reconciliation(self, info: Info, channel: str, day: date) -> Reconciliation | None:
        run = await info.context.session.scalar(
            select(ReconciliationRun).where(ReconciliationRun.channel == channel, ReconciliationRun.day == day)
        )
        if run is None:
            return None
        return (await _summaries(info, [run]))[0]

    @strawberry.field(
        extensions=requires(Perm.FINANCE_VIEW),
        description=describe(
            "The reconciled days of a range, newest first, optionally of one channel: each with the counts of the "
            "lines the caller can see, so days with differences stand out.",
            Perm.FINANCE_VIEW,
        ),
    )
    async def reconciliations(
        self,
        info: Info,
        day_from: date,
        day_to: date,
        channel: str | None = None,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[Reconciliation]:
        m = ReconciliationRun
        stmt = select(m).where(m.day >= day_from, m.day <= day_to)
        if channel is not None:
            stmt = stmt.where(m.channel == channel)
        runs, page = await paginate(
            info.context.session, stmt, m.day, m.id, SortDirection.DESC, PageRequest(first, after)
        )
        return Connection(items=await _summaries(info, runs), page_info=page)

    @strawberry.field(
        extensions=requires(Perm.FINANCE_VIEW),
        description=describe(
            "The lines of a channel's reconciliation of a day, optionally of one result; lines without a lot "
            "(money no lot of ours knows about) are shown to platform operators only.",
            Perm.FINANCE_VIEW,
        ),
    )
    async def reconciliation_lines(
        self,
        info: Info,
        channel: str,
        day: date,
        result: ReconciliationResult | None = None,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[ReconciliationLine]:
        m = ReconciliationItem
        stmt = (
            select(m)
            .join(ReconciliationRun, ReconciliationRun.id == m.run_id)
            .where(ReconciliationRun.channel == channel, ReconciliationRun.day == day, *_in_scope(info.context.scope))
        )
        if result is not None:
            stmt = stmt.where(m.result == result)
        rows, page = await paginate(
            info.context.session, stmt, m.id, m.id, SortDirection.ASC, PageRequest(first, after)
        )
        items = [
            ReconciliationLine(
                id=strawberry.ID(str(r.id)),
                result=r.result,
                entry_kind=r.entry_kind,
                number=r.number,
                out_trade_no=r.out_trade_no,
                ours_fen=r.ours_fen,
                theirs_fen=r.theirs_fen,
                their_fee_fen=r.their_fee_fen,
                transaction_id=r.transaction_id,
                lot_id=None if r.lot_id is None else strawberry.ID(str(r.lot_id)),
            )
            for r in rows
        ]
        return Connection(items=items, page_info=page)
