"""Merchant and coupon tables."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from parking.common.db import Base, BigId, IdMixin, Timestamps, enum_column
from parking.common.scope import LotScoped
from parking.tenancy.models import LotOwnedColumns


class CouponKind(StrEnum):
    AMOUNT = "amount"  # a fixed deduction in fen
    MINUTES = "minutes"  # free parking time
    PERCENT = "percent"  # a percentage off
    FULL = "full"  # the whole fee


class CouponStatus(StrEnum):
    ISSUED = "issued"
    REDEEMED = "redeemed"
    EXPIRED = "expired"
    VOID = "void"


class Merchant(IdMixin, Timestamps, LotOwnedColumns, LotScoped, Base):
    __tablename__ = "merchants"
    __table_args__ = (CheckConstraint("balance_fen >= 0", name="balance_non_negative"),)

    name: Mapped[str] = mapped_column(String(100))
    contact_name: Mapped[str] = mapped_column(String(50), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    balance_fen: Mapped[int] = mapped_column(Integer, default=0)
    is_active: Mapped[bool] = mapped_column(default=True)


class Coupon(IdMixin, Timestamps, LotOwnedColumns, LotScoped, Base):
    __tablename__ = "coupons"

    merchant_id: Mapped[int] = mapped_column(BigId, ForeignKey("merchants.id"), index=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[CouponKind] = mapped_column(enum_column(CouponKind))
    value: Mapped[int] = mapped_column(Integer)  # fen, minutes or percent, by kind
    status: Mapped[CouponStatus] = mapped_column(enum_column(CouponStatus), default=CouponStatus.ISSUED)
    plate: Mapped[str] = mapped_column(String(16), default="")
    valid_until: Mapped[datetime]
    session_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("parking_sessions.id"), default=None)
    redeemed_at: Mapped[datetime | None] = mapped_column(default=None)
