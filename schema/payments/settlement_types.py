"""GraphQL types of settlement statements and bill reconciliations (plain values built by the queries)."""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from parking.payments.bills import EntryKind
from parking.payments.models import PaymentChannel
from parking.payments.settlement_models import ReconciliationResult, RunStatus
from parking.payments.settlement_queries import StatementCoupons
from parking.payments.statement import Totals
from schema.core.money import Fen

EntryKindEnum = strawberry.enum(EntryKind, name="BillEntryKind")
ReconciliationResultEnum = strawberry.enum(
    ReconciliationResult,
    name="ReconciliationResult",
    description="MISSING_OURS: in the channel's bill, not credited by us; MISSING_THEIRS: credited by us, not in "
    "the bill; AMOUNT_MISMATCH: both, with different amounts; DOUBLE_PAYMENT: both, but money we did not credit "
    "because the stay was already paid (refunded, or waiting for approval).",
)
RunStatusEnum = strawberry.enum(
    RunStatus,
    name="ReconciliationRunStatus",
    description="FAILED: the bill could not be had or trusted (see error); the run has no lines.",
)


@strawberry.type(description="Money of a day, in fen: net = gross - refunds - fee.")
class SettlementTotals:
    payments_count: int
    gross_fen: Fen
    refunds_count: int
    refunds_fen: Fen
    fee_fen: Fen = strawberry.field(description="Channel fees charged, less the fees given back on refunds.")
    net_fen: Fen

    @classmethod
    def of(cls, totals: Totals) -> SettlementTotals:
        return cls(
            payments_count=totals.payments_count,
            gross_fen=Fen(totals.gross_fen),
            refunds_count=totals.refunds_count,
            refunds_fen=Fen(totals.refunds_fen),
            fee_fen=Fen(totals.fee_fen),
            net_fen=Fen(totals.net_fen),
        )


@strawberry.type(
    description="The coupon economy of the day next to the parking revenue: coupon packs the lot's merchants got "
    "(bought online: these payments are in the channel totals too; or charged to their balance) and the parking "
    "fees waived by the coupons redeemed that day."
)
class SettlementCoupons:
    bought_fen: Fen = strawberry.field(description="Coupon packs merchants bought online (through a channel).")
    charged_fen: Fen = strawberry.field(description="Coupon packs credited on account, charged to balances.")
    sold_fen: Fen = strawberry.field(description="boughtFen + chargedFen: money the lot had from merchants.")
    redeemed: int = strawberry.field(description="Coupons used by stays settled that day.")
    discount_fen: Fen = strawberry.field(description="Parking fees those coupons waived.")

    @classmethod
    def of(cls, coupons: StatementCoupons) -> SettlementCoupons:
        return cls(
            bought_fen=Fen(coupons.bought_fen),
            charged_fen=Fen(coupons.charged_fen),
            sold_fen=Fen(coupons.bought_fen + coupons.charged_fen),
            redeemed=coupons.redeemed,
            discount_fen=Fen(coupons.discount_fen),
        )


@strawberry.type
class SettlementChannelLine:
    channel: PaymentChannel
    totals: SettlementTotals


@strawberry.type(description="A lot's T+1 settlement statement for one day of the lot's own time zone.")
class SettlementStatement:
    id: strawberry.ID
    lot_id: strawberry.ID
    customer_id: strawberry.ID
    day: date
    timezone: str
    fee_rate_ppm: int
    produced_at: datetime
    totals: SettlementTotals
    by_channel: list[SettlementChannelLine]
    coupons: SettlementCoupons


@strawberry.type(description="A customer's statement for a day: the sums of its lots' statements (those visible).")
class CustomerSettlement:
    customer_id: strawberry.ID
    day: date
    lots_settled: int
    totals: SettlementTotals
    by_channel: list[SettlementChannelLine]
    coupons: SettlementCoupons


@strawberry.type(description="A channel's bill of one (Beijing) day reconciled with our records.")
class Reconciliation:
    channel: str
    day: date
    produced_at: datetime = strawberry.field(description="When this run (succeeded or failed) was made.")
    status: RunStatus
    error: str = strawberry.field(description="Why the run failed; empty when it succeeded.")
    bill_rows: int = strawberry.field(description="Rows in the channel's bill (every tenant's).")
    matched: int
    missing_ours: int
    missing_theirs: int
    amount_mismatch: int
    double_payment: int = strawberry.field(
        description="Payments in the bill that we received but did not credit (double payments)."
    )


@strawberry.type(description="One line of a reconciliation; lotId is null for money no lot of ours knows about.")
class ReconciliationLine:
    id: strawberry.ID
    result: ReconciliationResult
    entry_kind: EntryKind
    number: str = strawberry.field(description="out_trade_no, or out_refund_no for a refund.")
    out_trade_no: str
    ours_fen: Fen | None
    theirs_fen: Fen | None
    their_fee_fen: Fen | None
    transaction_id: str
    lot_id: strawberry.ID | None
