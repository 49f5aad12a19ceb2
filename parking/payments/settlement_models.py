"""Tables of the money after the fact: daily settlement statements per lot, and channel bill reconciliations."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from parking.common.db import Base, BigId, IdMixin, Timestamps, enum_column
from parking.common.scope import LotScoped
from parking.payments.bills import EntryKind
from parking.payments.models import PaymentChannel
from parking.tenancy.models import LotOwnedColumns

# A day's sums can pass 2^31 fen (21 million yuan) for a customer with many lots: 64-bit columns.
Fen = BigInteger().with_variant(Integer(), "sqlite")


class TotalsColumns:
    payments_count: Mapped[int] = mapped_column(Integer, default=0)
    gross_fen: Mapped[int] = mapped_column(Fen, default=0)
    refunds_count: Mapped[int] = mapped_column(Integer, default=0)
    refunds_fen: Mapped[int] = mapped_column(Fen, default=0)
    fee_fen: Mapped[int] = mapped_column(Fen, default=0)
    net_fen: Mapped[int] = mapped_column(Fen, default=0)


class SettlementStatement(IdMixin, Timestamps, LotOwnedColumns, LotScoped, TotalsColumns, Base):
    """One lot's T+1 statement for one day of its own time zone; produced again, it is replaced in place."""

    __tablename__ = "settlement_statements"
    __table_args__ = (UniqueConstraint("lot_id", "day"),)

    day: Mapped[date] = mapped_column(Date, index=True)
    timezone: Mapped[str] = mapped_column(String(64))
    fee_rate_ppm: Mapped[int] = mapped_column(Integer)
    produced_at: Mapped[datetime]
    # The coupon economy of the day next to the parking revenue (docs/merchants-statistics.md): packs the
    # merchants bought online (their payments are in the channel totals too) or had charged to their balance,
    # and the parking fees the coupons redeemed that day waived.
    coupon_bought_fen: Mapped[int] = mapped_column(Fen, default=0, server_default="0")
    coupon_charged_fen: Mapped[int] = mapped_column(Fen, default=0, server_default="0")
    coupons_redeemed: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    coupon_discount_fen: Mapped[int] = mapped_column(Fen, default=0, server_default="0")


class SettlementLine(IdMixin, LotOwnedColumns, LotScoped, TotalsColumns, Base):
    """A statement's totals for one channel."""

    __tablename__ = "settlement_lines"
    __table_args__ = (UniqueConstraint("statement_id", "channel"),)

    statement_id: Mapped[int] = mapped_column(BigId, ForeignKey("settlement_statements.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date, index=True)
    channel: Mapped[PaymentChannel] = mapped_column(enum_column(PaymentChannel))


class ReconciliationResult(StrEnum):
    MATCHED = "matched"
    MISSING_OURS = "missing_ours"  # in the channel's bill, not in our records: money we never credited
    MISSING_THEIRS = "missing_theirs"  # in our records, not in the bill: money that never arrived
    AMOUNT_MISMATCH = "amount_mismatch"
    # In the bill and ours, but money we did not credit: a double payment, refunded (or waiting to be).
    DOUBLE_PAYMENT = "double_payment"


class RunStatus(StrEnum):
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # the bill could not be had or trusted (download refused, hash mismatch, unreadable file)


class ReconciliationRun(IdMixin, Timestamps, Base):
    """One channel's bill for one (Beijing) day against our records; run again, it is replaced in place.

    Not tenant-scoped: a bill covers the merchant account, so it can list money no lot of ours knows about.
    A failed attempt is stored too (status ``failed``, the reason in ``error``, no lines), so an older day's
    success is never taken for the latest state.
    """

    __tablename__ = "reconciliation_runs"
    __table_args__ = (UniqueConstraint("channel", "day"),)

    channel: Mapped[str] = mapped_column(String(16))
    day: Mapped[date] = mapped_column(Date, index=True)
    bill_rows: Mapped[int] = mapped_column(Integer, default=0)
    matched_count: Mapped[int] = mapped_column(Integer, default=0)
    missing_ours_count: Mapped[int] = mapped_column(Integer, default=0)
    missing_theirs_count: Mapped[int] = mapped_column(Integer, default=0)
    amount_mismatch_count: Mapped[int] = mapped_column(Integer, default=0)
    double_payment_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    produced_at: Mapped[datetime]
    status: Mapped[RunStatus] = mapped_column(
        enum_column(RunStatus), default=RunStatus.SUCCEEDED, server_default=RunStatus.SUCCEEDED.value
    )
    error: Mapped[str] = mapped_column(String(500), default="", server_default="")


class ReconciliationItem(IdMixin, LotScoped, Base):
    """One line of a reconciliation; the lot columns are set when the line is about one of our orders.

    Scoped like any lot row, so an operator reads only its lots' lines; a line about money no lot of ours
    knows has no tenant columns and is seen by platform operators only.
    """

    __tablename__ = "reconciliation_items"

    run_id: Mapped[int] = mapped_column(BigId, ForeignKey("reconciliation_runs.id", ondelete="CASCADE"), index=True)
    result: Mapped[ReconciliationResult] = mapped_column(enum_column(ReconciliationResult))
    entry_kind: Mapped[EntryKind] = mapped_column(enum_column(EntryKind))
    number: Mapped[str] = mapped_column(String(64))  # out_trade_no, or out_refund_no for a refund
    out_trade_no: Mapped[str] = mapped_column(String(64), default="")
    ours_fen: Mapped[int | None] = mapped_column(Integer, default=None)
    theirs_fen: Mapped[int | None] = mapped_column(Integer, default=None)
    their_fee_fen: Mapped[int | None] = mapped_column(Integer, default=None)
    transaction_id: Mapped[str] = mapped_column(String(64), default="")
    agent_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("agents.id"), default=None)
    customer_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("customers.id"), default=None)
    lot_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("lots.id", ondelete="SET NULL"), default=None, index=True
    )
