"""Device command table: one row per command sent to a device, with its outcome recorded once."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from parking.common.db import Base, BigId, IdMixin, Json
from parking.common.scope import LotScoped
from parking.tenancy.models import enum_column
from parking.vehicles.models import LotOwnedColumns


class DeviceCommandKind(StrEnum):
    OPEN_GATE = "open_gate"
    CLOSE_GATE = "close_gate"
    REBOOT = "reboot"
    PUSH_WHITELIST = "push_whitelist"


class DeviceCommandStatus(StrEnum):
    PENDING = "pending"  # committed, not yet taken by an executor
    SENT = "sent"  # an executor took it and is talking to the device
    DONE = "done"
    FAILED = "failed"
    EXPIRED = "expired"  # nobody executed it in time: a late gate opening would surprise the next car


class DeviceCommand(IdMixin, LotOwnedColumns, LotScoped, Base):
    __tablename__ = "device_commands"

    device_id: Mapped[int] = mapped_column(BigId, ForeignKey("devices.id", ondelete="CASCADE"), index=True)
    kind: Mapped[DeviceCommandKind] = mapped_column(enum_column(DeviceCommandKind))
    status: Mapped[DeviceCommandStatus] = mapped_column(
        enum_column(DeviceCommandStatus), default=DeviceCommandStatus.PENDING, index=True
    )
    args: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    reason: Mapped[str] = mapped_column(String(200), default="")
    result: Mapped[str] = mapped_column(String(200), default="")
    operator_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("operators.id"), default=None)
    issued_at: Mapped[datetime] = mapped_column(index=True)
    expires_at: Mapped[datetime]
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
    completed_at: Mapped[datetime | None] = mapped_column(default=None)
