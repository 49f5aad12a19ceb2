"""One row per stay and message kind: the record that makes sending idempotent and shows what WeChat said."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from parking.common.db import Base, BigId, IdMixin, Timestamps, enum_column
from parking.common.scope import LotScoped
from parking.tenancy.models import LotOwnedColumns


class MessageKind(StrEnum):
    ENTRY = "entry"  # 车辆入场通知: one per stay
    PAID = "paid"  # 停车缴费成功: one per paid order of the stay (``ref`` is the order's id)


class MessageStatus(StrEnum):
    PENDING = "pending"  # not sent yet, or a transient error: the worker retries
    SENT = "sent"
    REFUSED = "refused"  # a permanent errcode (the user refused, a bad template): never retried


class DriverMessage(IdMixin, Timestamps, LotOwnedColumns, LotScoped, Base):
    __tablename__ = "driver_messages"
    __table_args__ = (UniqueConstraint("session_id", "kind", "ref"),)

    session_id: Mapped[int] = mapped_column(BigId, ForeignKey("parking_sessions.id", ondelete="CASCADE"))
    kind: Mapped[MessageKind] = mapped_column(enum_column(MessageKind))
    # What within the stay the message is about: "" for the entry, the order's id for a payment.
    ref: Mapped[str] = mapped_column(String(32), default="", server_default="")
    status: Mapped[MessageStatus] = mapped_column(enum_column(MessageStatus), default=MessageStatus.PENDING)
    openid: Mapped[str] = mapped_column(String(64))
    template_id: Mapped[str] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # WeChat's last errcode (0 when sent) and its message id.
    errcode: Mapped[int] = mapped_column(Integer, default=0)
    msgid: Mapped[str] = mapped_column(String(32), default="")
    # A sender holds the row until then: a redelivered job that finds it held sends nothing.
    claimed_until: Mapped[datetime | None] = mapped_column(default=None)
