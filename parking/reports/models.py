"""The rollup tables: one row per (lot, local day, hour, lane, vehicle class, category, channel, purpose).

A (lot, day) is always written whole (``rollup.store``): its rows are recomputed from the source rows and
replace the old ones, and ``report_days`` says that the day was computed and when. ``report_dirty_days`` holds
the closed days that a later change touched (a late offline replay, a refund, a correction): the worker, or the
next report that reads them, computes them again. ``report_sweeps`` keeps how far the sweep that finds those
changes has read (see ``parking.reports.sweep``).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from parking.common.db import Base, BigId, IdMixin
from parking.common.scope import LotScoped
from parking.payments.models import PaymentOrder, Refund
from parking.sessions.models import ParkingSession
from parking.tenancy.models import LotOwnedColumns

# Rollup measures, in the order the tables and the reports list them.
MEASURES = (
    "entries",
    "exits",
    "stay_minutes",
    "paid_fen",
    "payments",
    "refunded_fen",
    "refunds",
    "discount_fen",
    "coupon_fen",
    "waived_fen",
)


class ReportDaily(IdMixin, LotOwnedColumns, LotScoped, Base):
    """Counts and money of one slice of a lot's local day; an empty text is "none" (no lane, no channel...)."""

    __tablename__ = "report_daily"
    __table_args__ = (Index("ix_report_daily_lot_day", "lot_id", "day"), Index("ix_report_daily_day", "day"))

    day: Mapped[date] = mapped_column(Date)
    hour: Mapped[int] = mapped_column(Integer)
    lane_id: Mapped[int] = mapped_column(BigId, default=0)  # 0: no lane (a prepayment, a pass sale)
    vehicle_class: Mapped[str] = mapped_column(String(32), default="")
    category: Mapped[str] = mapped_column(String(32), default="")
    channel: Mapped[str] = mapped_column(String(32), default="")
    purpose: Mapped[str] = mapped_column(String(32), default="")
    entries: Mapped[int] = mapped_column(Integer, default=0)
    exits: Mapped[int] = mapped_column(Integer, default=0)
    stay_minutes: Mapped[int] = mapped_column(BigInteger, default=0)
    paid_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    payments: Mapped[int] = mapped_column(Integer, default=0)
    refunded_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    refunds: Mapped[int] = mapped_column(Integer, default=0)
    discount_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    coupon_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    waived_fen: Mapped[int] = mapped_column(BigInteger, default=0)


class ReportDay(IdMixin, LotOwnedColumns, LotScoped, Base):
    """A (lot, day) whose rollup rows are computed (a day with no traffic has a row here and none above)."""

    __tablename__ = "report_days"
    __table_args__ = (UniqueConstraint("lot_id", "day"),)

    day: Mapped[date] = mapped_column(Date, index=True)
    computed_at: Mapped[datetime]


class ReportDirtyDay(IdMixin, Base):
    """A closed (lot, day) touched after it was rolled up; gone once computed again."""

    __tablename__ = "report_dirty_days"
    __table_args__ = (UniqueConstraint("lot_id", "day"),)

    lot_id: Mapped[int] = mapped_column(BigId, ForeignKey("lots.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    marked_at: Mapped[datetime]


class ReportSweep(Base):
    """How far the sweep of changed source rows has read (one row per source table)."""

    __tablename__ = "report_sweeps"

    source: Mapped[str] = mapped_column(String(64), primary_key=True)
    swept_to: Mapped[datetime]


# The sweep reads the source rows changed since it last ran: by these indexes, not the whole tables.
SWEPT_INDEXES = (
    Index("ix_report_sweep_parking_sessions", ParkingSession.updated_at),
    Index("ix_report_sweep_payment_orders", PaymentOrder.updated_at),
    Index("ix_report_sweep_refunds", Refund.updated_at),
)
