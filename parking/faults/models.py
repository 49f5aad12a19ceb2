"""Fault ticket table."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from parking.common.db import Base, BigId, IdMixin, Timestamps, enum_column
from parking.common.scope import LotScoped
from parking.tenancy.models import LotOwnedColumns


class FaultStatus(StrEnum):
    OPEN = "open"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"


class FaultTicket(IdMixin, Timestamps, LotOwnedColumns, LotScoped, Base):
    __tablename__ = "fault_tickets"

    device_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("devices.id"), index=True, default=None)
    alarm_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("alarms.id"), default=None)
    title: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[FaultStatus] = mapped_column(enum_column(FaultStatus), default=FaultStatus.OPEN, index=True)
    assignee_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("operators.id"), default=None)
    reported_by_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("operators.id"), default=None)
    resolved_at: Mapped[datetime | None] = mapped_column(default=None)
    resolution: Mapped[str] = mapped_column(Text, default="")
