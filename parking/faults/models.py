"""Fault ticket table and the photos attached to a ticket."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from parking.common.db import Base, BigId, IdMixin, Timestamps, enum_column, utcnow
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


class FaultTicketPhoto(IdMixin, LotOwnedColumns, LotScoped, Base):
    """A photo of a ticket's fault, its bytes in the image store under ``ref`` (a content hash).

    The same picture attached twice to one ticket is one row: the unique pair makes a retried upload harmless.
    """

    __tablename__ = "fault_ticket_photos"
    __table_args__ = (UniqueConstraint("ticket_id", "ref"),)

    ticket_id: Mapped[int] = mapped_column(BigId, ForeignKey("fault_tickets.id", ondelete="CASCADE"), index=True)
    ref: Mapped[str] = mapped_column(String(100), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("operators.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
