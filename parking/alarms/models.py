"""Alarm table."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from parking.common.db import Base, BigId, IdMixin, Json, enum_column
from parking.common.scope import LotScoped
from parking.tenancy.models import LotOwnedColumns


class AlarmKind(StrEnum):
    UNKNOWN_DEVICE = "unknown_device"
    LOW_CONFIDENCE = "low_confidence"
    CONFLICTING_READING = "conflicting_reading"
    BLACKLIST = "blacklist"
    EXIT_WITHOUT_ENTRY = "exit_without_entry"
    MANUAL_OPEN = "manual_open"
    GATE_FAILED = "gate_failed"
    LANE_OFFLINE = "lane_offline"
    DEVICE_OFFLINE = "device_offline"
    LOT_FULL = "lot_full"
    ARREARS = "arrears"
    DOUBLE_PAYMENT = "double_payment"  # finance: money received twice for one stay, refunded
    UNREADABLE_PLATE = "unreadable_plate"  # plate text that is no plate: the car went the no-plate way
    CAMERA_CLOCK = "camera_clock"  # a replayed record's camera time was not believed
    DEVICE_DATA = "device_data"  # a device sent fields we had to leave out (an oversize picture, a wrong type)


class AlarmSeverity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"


class AlarmStatus(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


class Alarm(IdMixin, LotOwnedColumns, LotScoped, Base):
    __tablename__ = "alarms"

    kind: Mapped[AlarmKind] = mapped_column(enum_column(AlarmKind), index=True)
    severity: Mapped[AlarmSeverity] = mapped_column(enum_column(AlarmSeverity), default=AlarmSeverity.WARNING)
    status: Mapped[AlarmStatus] = mapped_column(enum_column(AlarmStatus), default=AlarmStatus.OPEN, index=True)
    raised_at: Mapped[datetime] = mapped_column(index=True)
    lane_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("lanes.id"), default=None)
    device_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("devices.id"), default=None)
    # Indexed: deleting a stay (the retention purge) checks this foreign key per stay; unindexed, a scan each.
    session_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("parking_sessions.id"), default=None, index=True)
    plate: Mapped[str] = mapped_column(String(16), default="")
    message: Mapped[str] = mapped_column(String(200))
    details: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    acknowledged_by_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("operators.id"), default=None)
    acknowledged_at: Mapped[datetime | None] = mapped_column(default=None)
    resolved_by_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("operators.id"), default=None)
    resolved_at: Mapped[datetime | None] = mapped_column(default=None)
    resolution: Mapped[str] = mapped_column(String(200), default="")
