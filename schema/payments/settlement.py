"""Settlement and reconciliation queries for finance staff, each within the caller's tenant scope."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import strawberry

from parking.accounts.permissions import Perm
from parking.common.crud import parse_id
from parking.payments import settlement_queries as queries
from parking.payments.settlement_models import ReconciliationItem, ReconciliationResult, ReconciliationRun
from parking.payments.settlement_models import SettlementStatement as StatementRow
from schema.core.context import Info
from schema.core.pagination import Connection, PageRequest, SortDirection, paginate
from schema.core.permissions import describe, requires
from schema.payments.settlement_types import (
    CustomerSettlement,
    Reconciliation,
    ReconciliationLine,
    SettlementChannelLine,
    SettlementCoupons,
    SettlementStatement,
    SettlementTotals,
)


def _lines(rows: queries.ChannelTotals) -> list[SettlementChannelLine]:
    return [SettlementChannelLine(channel=c, totals=SettlementTotals.of(t)) for c, t in rows]


async def _summaries(info: Info, runs: Sequence[ReconciliationRun]) -> list[Reconciliation]:
    """Each run with the counts of its lines in the caller's scope."""
    counts = await queries.line_counts(info.context.session, runs)
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
        stmt = queries.statements(day_from, day_to, None if lot_id is None else parse_id(lot_id, "lotId"))
        session = info.context.session
        m = StatementRow
        rows, page = await paginate(session, stmt, m.id, m.id, SortDirection.ASC, PageRequest(first, after))
        by_statement = await queries.channel_totals(session, [r.id for r in rows])
        items = [
            SettlementStatement(
                id=strawberry.ID(str(r.id)),
                lot_id=strawberry.ID(str(r.lot_id)),
                customer_id=strawberry.ID(str(r.customer_id)),
                day=r.day,
                timezone=r.timezone,
                fee_rate_ppm=r.fee_rate_ppm,
                produced_at=r.produced_at,
                totals=SettlementTotals.of(queries.totals_of(r)),
                by_channel=_lines(by_statement[r.id]),
                coupons=SettlementCoupons.of(queries.coupons_of(r)),
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
        settled = await queries.customer_day(info.context.session, customer, day)
        return CustomerSettlement(
            customer_id=strawberry.ID(str(customer)),
            day=day,
            lots_settled=settled.lots_settled,
            totals=SettlementTotals.of(settled.totals),
            by_channel=_lines(settled.by_channel),
            coupons=SettlementCoupons.of(settled.coupons),
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
        run = await queries.reconciliation_run(info.context.session, channel, day)
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
        runs, page = await paginate(
            info.context.session,
            queries.reconciliation_runs(day_from, day_to, channel),
            m.day,
            m.id,
            SortDirection.DESC,
            PageRequest(first, after),
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
        rows, page = await paginate(
            info.context.session,
            queries.reconciliation_lines(channel, day, result),
            m.id,
            m.id,
            SortDirection.ASC,
            PageRequest(first, after),
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
