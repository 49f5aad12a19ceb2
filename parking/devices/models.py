"""Device tables: the devices at a lot, their refusals and clocks, the commands sent to them (gate commands
included) with their outcomes, and the messages they send that are no plate reading."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from parking.common.db import Base, BigId, IdMixin, Json, Timestamps, enum_column
from parking.common.scope import LotScoped
from parking.tenancy.models import LotOwnedColumns


class DeviceKind(StrEnum):
    CONTROLLER = "controller"  # 出入口控制机
    CAMERA = "camera"
    DISPLAY = "display"
    KIOSK = "kiosk"  # 自助缴费机
    BOOTH_TERMINAL = "booth_terminal"  # 岗亭终端
    INTERCOM = "intercom"


class DeviceStatus(StrEnum):
    UNKNOWN = "unknown"
    ONLINE = "online"
    OFFLINE = "offline"
    RETRYING = "retrying"  # registered but not yet reachable: probed again later


class GateCommandKind(StrEnum):
    OPEN = "open"
    CLOSE = "close"


class GateCommandStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    DONE = "done"
    FAILED = "failed"
    EXPIRED = "expired"


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


class Device(IdMixin, Timestamps, LotScoped, Base):
    __tablename__ = "devices"
    __table_args__ = (UniqueConstraint("serial"), UniqueConstraint("mac"))

    agent_id: Mapped[int] = mapped_column(BigId, ForeignKey("agents.id"), index=True)
    customer_id: Mapped[int] = mapped_column(BigId, ForeignKey("customers.id"), index=True)
    lot_id: Mapped[int] = mapped_column(BigId, ForeignKey("lots.id", ondelete="CASCADE"), index=True)
    lane_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("lanes.id", ondelete="SET NULL"), default=None)
    kind: Mapped[DeviceKind] = mapped_column(enum_column(DeviceKind))
    name: Mapped[str] = mapped_column(String(100))
    model: Mapped[str] = mapped_column(String(64), default="")
    serial: Mapped[str] = mapped_column(String(64))
    # The MAC it reported (lower case, colon separated): Hikvision alerts name their camera by MAC, not serial.
    mac: Mapped[str | None] = mapped_column(String(17), default=None)
    ip: Mapped[str] = mapped_column(String(64), default="")
    protocol: Mapped[str] = mapped_column(String(32), default="")
    config: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    # Hash of the per-device push secret; the secret itself is shown once when it is issued.
    secret_hash: Mapped[str] = mapped_column(String(128), default="")
    allowed_ips: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[DeviceStatus] = mapped_column(enum_column(DeviceStatus), default=DeviceStatus.UNKNOWN)
    firmware: Mapped[str] = mapped_column(String(64), default="")
    last_seen_at: Mapped[datetime | None] = mapped_column(default=None)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    # Failed probes since the last good one: a flaky link is not called offline until it passes the limit.
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(String(200), default="")


class DeviceRefusal(IdMixin, Base):
    """A push we refused before knowing its lot (unknown serial, malformed body): platform operators see these."""

    __tablename__ = "device_refusals"

    at: Mapped[datetime] = mapped_column(index=True)
    protocol: Mapped[str] = mapped_column(String(16))
    serial: Mapped[str] = mapped_column(String(64), index=True)
    ip: Mapped[str] = mapped_column(String(64), default="")
    reason: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str] = mapped_column(String(200), default="")


class DeviceClock(Base):
    """What a camera's clock said against ours when last sampled, and when it last fell silent: the grounds for
    believing, correcting or bounding the times on its replayed records (parking.devices.camera_clock)."""

    __tablename__ = "device_clocks"

    device_id: Mapped[int] = mapped_column(BigId, ForeignKey("devices.id", ondelete="CASCADE"), primary_key=True)
    # Camera time minus server time at the last sample (a camera reset to 1970 is about -1.8e12 ms).
    offset_ms: Mapped[int | None] = mapped_column(BigInteger, default=None)
    sampled_at: Mapped[datetime | None] = mapped_column(default=None)
    # The camera's last silence: heard until ``silent_from``, heard again at ``silent_until``.
    silent_from: Mapped[datetime | None] = mapped_column(default=None)
    silent_until: Mapped[datetime | None] = mapped_column(default=None)


class GateCommand(IdMixin, LotOwnedColumns, LotScoped, Base):
    """A command to a barrier and its outcome; a remote open is valid for a short window, then void."""

    __tablename__ = "gate_commands"

    lane_id: Mapped[int] = mapped_column(BigId, ForeignKey("lanes.id"), index=True)
    kind: Mapped[GateCommandKind] = mapped_column(enum_column(GateCommandKind))
    status: Mapped[GateCommandStatus] = mapped_column(enum_column(GateCommandStatus))
    issued_at: Mapped[datetime] = mapped_column(index=True)
    expires_at: Mapped[datetime]
    completed_at: Mapped[datetime | None] = mapped_column(default=None)
    operator_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("operators.id"), default=None)
    # Indexed: deleting a stay (the retention purge) checks this foreign key per stay; unindexed, a scan each.
    session_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("parking_sessions.id"), default=None, index=True)
    reason: Mapped[str] = mapped_column(String(200), default="")
    result: Mapped[str] = mapped_column(String(200), default="")
    # The reading this command answers (None for a remote open): a command never outlives its car.
    lane_event_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("lane_events.id", ondelete="SET NULL"), default=None
    )
    image_ref: Mapped[str] = mapped_column(String(200), default="")
