"""Invoice table."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from parking.common.db import Base, BigId, IdMixin, Timestamps, enum_column
from parking.common.scope import LotScoped
from parking.tenancy.models import LotOwnedColumns


class InvoiceStatus(StrEnum):
    REQUESTED = "requested"
    ISSUED = "issued"
    FAILED = "failed"
    VOID = "void"


class Invoice(IdMixin, Timestamps, LotOwnedColumns, LotScoped, Base):
    __tablename__ = "invoices"

    order_id: Mapped[int] = mapped_column(BigId, ForeignKey("payment_orders.id"), index=True)
    plate: Mapped[str] = mapped_column(String(16), default="")
    amount_fen: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(100))
    tax_number: Mapped[str] = mapped_column(String(32), default="")
    email: Mapped[str] = mapped_column(String(100), default="")
    status: Mapped[InvoiceStatus] = mapped_column(enum_column(InvoiceStatus), default=InvoiceStatus.REQUESTED)
    issued_at: Mapped[datetime | None] = mapped_column(default=None)
    number: Mapped[str] = mapped_column(String(32), default="")
