"""Device command table: one row per command sent to a device, with its outcome recorded once."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String
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


class DeviceMessageKind(StrEnum):
    IO_INPUT = "io_input"  # an IO input changed: the loop detector under the barrier, a button
    SERIAL_DATA = "serial_data"  # bytes the camera read on its RS485 port
    SNAPSHOT = "snapshot"  # a picture the camera sent on its own (TriggerImage)
    UNKNOWN = "unknown"  # a message type of newer firmware: kept so it can be supported later
    REVERSED = "reversed"  # a car read at the lane backed away (Vzenith trigger 66)
    DROPPED_FIELDS = "dropped_fields"  # a reading kept without the fields the camera sent wrong
    OPEN_BY_PUSH = "open_by_push"  # a car's pending open delivered in the reply to its camera's next push


class DeviceMessage(IdMixin, LotOwnedColumns, LotScoped, Base):
    """A camera message that is no plate reading, recorded once against its device (and lane)."""

    __tablename__ = "device_messages"
    __table_args__ = (Index("ix_device_messages_lane_kind_at", "lane_id", "kind", "at"),)

    device_id: Mapped[int] = mapped_column(BigId, ForeignKey("devices.id", ondelete="CASCADE"), index=True)
    lane_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("lanes.id", ondelete="SET NULL"), default=None)
    kind: Mapped[DeviceMessageKind] = mapped_column(enum_column(DeviceMessageKind))
    at: Mapped[datetime]
    # IO_INPUT: which input (0-based) and its level; SERIAL_DATA: the port in ``io_input``.
    io_input: Mapped[int | None] = mapped_column(Integer, default=None)
    io_value: Mapped[int | None] = mapped_column(Integer, default=None)
    detail: Mapped[str] = mapped_column(String(200), default="")
    image_ref: Mapped[str] = mapped_column(String(200), default="")
