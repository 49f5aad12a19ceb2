"""One row per stay registered with WeChat's frictionless parking service: its entry state and deduction."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from parking.common.db import Base, BigId, IdMixin, Timestamps, enum_column
from parking.common.scope import LotScoped
from parking.tenancy.models import LotOwnedColumns


class EntryState(StrEnum):
    PENDING = "pending"  # row made, WeChat not answered yet
    NORMAL = "normal"  # WeChat will deduct at exit
    BLOCKED = "blocked"  # the plate has no (usable) service: the driver pays another way
    FAILED = "failed"  # WeChat refused the registration


class FrictionlessParking(IdMixin, Timestamps, LotOwnedColumns, LotScoped, Base):
    __tablename__ = "frictionless_parkings"

    session_id: Mapped[int] = mapped_column(BigId, ForeignKey("parking_sessions.id", ondelete="CASCADE"), unique=True)
    plate: Mapped[str] = mapped_column(String(16), index=True)
    out_parking_no: Mapped[str] = mapped_column(String(32), unique=True)
    # WeChat's id for the entry (``parkings`` answer): entrance-state notifications name it.
    parking_id: Mapped[str] = mapped_column(String(64), default="", index=True)
    state: Mapped[EntryState] = mapped_column(enum_column(EntryState), default=EntryState.PENDING)
    block_reason: Mapped[str] = mapped_column(String(64), default="")
    # The plate's service state (NORMAL, PAUSE, OUT_SERVICE) when a driver's openid let us look it up.
    service_state: Mapped[str] = mapped_column(String(16), default="")
    # When WeChat last changed the entry state: an older notification arriving late changes nothing.
    state_changed_at: Mapped[datetime | None] = mapped_column(default=None)
    # The exit deduction's order, and whether it failed (then the driver pays another way at the exit).
    out_trade_no: Mapped[str] = mapped_column(String(32), default="")
    deduction_failed: Mapped[bool] = mapped_column(default=False)
