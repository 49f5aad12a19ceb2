"""One row per lane event the cloud read: confirmed automatically, or a correction task for a person."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from parking.common.db import Base, BigId, IdMixin, Json, Timestamps, enum_column
from parking.common.scope import LotScoped
from parking.tenancy.models import LotOwnedColumns


class RecognitionStatus(StrEnum):
    CONFIRMED = "confirmed"  # camera and both engines agreed
    OPEN = "open"  # a correction task waiting for the cloud seat
    CORRECTED = "corrected"  # a person chose the plate: the row is now labelled data


class PlateRecognition(IdMixin, Timestamps, LotOwnedColumns, LotScoped, Base):
    __tablename__ = "plate_recognitions"
    # One per lane event: a redelivered job finds the row and stops, which makes the actor idempotent.
    __table_args__ = (UniqueConstraint("lane_event_id"),)

    lane_event_id: Mapped[int] = mapped_column(BigId, ForeignKey("lane_events.id", ondelete="CASCADE"))
    session_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("parking_sessions.id", ondelete="SET NULL"), index=True, default=None
    )
    status: Mapped[RecognitionStatus] = mapped_column(enum_column(RecognitionStatus), index=True)
    image_ref: Mapped[str] = mapped_column(String(200), default="")
    crop_ref: Mapped[str] = mapped_column(String(200), default="")
    camera_plate: Mapped[str] = mapped_column(String(16), default="")
    # The confirmed plate, or the one a person chose; empty while the task is open.
    plate: Mapped[str] = mapped_column(String(16), default="")
    reason: Mapped[str] = mapped_column(String(32), default="")
    detail: Mapped[str] = mapped_column(String(200), default="")
    # [{"plate", "sources", "confidence"}], best first; and every engine's raw reading.
    candidates: Mapped[list[dict[str, Any]]] = mapped_column(Json, default=list)
    readings: Mapped[list[dict[str, Any]]] = mapped_column(Json, default=list)
    resolved_by_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("operators.id"), default=None)
    resolved_at: Mapped[datetime | None] = mapped_column(default=None)
