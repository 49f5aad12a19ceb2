"""The booth cashiers' shifts (交接班): opened on a lot (optionally at a lane), closed with the cash counted."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from parking.common.db import Base, BigId, IdMixin, Timestamps
from parking.common.scope import LotScoped
from parking.tenancy.models import LotOwnedColumns

OPEN_SHIFT = "closed_at IS NULL"


class CashierShift(IdMixin, Timestamps, LotOwnedColumns, LotScoped, Base):
    """A cashier's shift: the window in which the cash they took on the lot is theirs to hand over."""

    __tablename__ = "cashier_shifts"
    __table_args__ = (
        # One open shift per operator: two opens at once cannot both succeed.
        Index(
            "uq_cashier_shifts_open_operator",
            "operator_id",
            unique=True,
            postgresql_where=text(OPEN_SHIFT),
            sqlite_where=text(OPEN_SHIFT),
        ),
        Index("ix_cashier_shifts_lot_opened", "lot_id", "opened_at"),
        CheckConstraint("counted_cash_fen IS NULL OR counted_cash_fen >= 0", name="counted_non_negative"),
    )

    operator_id: Mapped[int] = mapped_column(BigId, ForeignKey("operators.id"))
    lane_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("lanes.id", ondelete="SET NULL"), default=None)
    opened_at: Mapped[datetime]
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    # What the cashier counted in the drawer when closing; null while open.
    counted_cash_fen: Mapped[int | None] = mapped_column(Integer, default=None)
    closed_by_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("operators.id"), default=None)
    note: Mapped[str] = mapped_column(String(200), default="")
