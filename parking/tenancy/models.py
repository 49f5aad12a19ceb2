"""Tenancy tables: agent > customer > lot > area (inner lots nest) > lane."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, synonym

from parking.common.db import Base, BigId, IdMixin, Json, Timestamps, enum_column
from parking.common.scope import AgentScoped, CustomerScoped, LotScoped
from parking.tenancy.enums import (
    DuplicateEntryPolicy,
    LaneDirection,
    LaneMode,
    VehicleCategory,
)
from parking.tenancy.payment_settings import LotPaymentSettings


class LotOwnedColumns:
    agent_id: Mapped[int] = mapped_column(BigId, ForeignKey("agents.id"), index=True)
    customer_id: Mapped[int] = mapped_column(BigId, ForeignKey("customers.id"), index=True)
    lot_id: Mapped[int] = mapped_column(BigId, ForeignKey("lots.id", ondelete="CASCADE"), index=True)


class Agent(IdMixin, Timestamps, AgentScoped, Base):
    __tablename__ = "agents"

    name: Mapped[str] = mapped_column(String(100), unique=True)
    contact_name: Mapped[str] = mapped_column(String(50), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    agent_id = synonym("id")


class Customer(IdMixin, Timestamps, CustomerScoped, Base):
    __tablename__ = "customers"
    __table_args__ = (UniqueConstraint("agent_id", "name"),)

    agent_id: Mapped[int] = mapped_column(BigId, ForeignKey("agents.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    contact_name: Mapped[str] = mapped_column(String(50), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    customer_id = synonym("id")


class Lot(IdMixin, Timestamps, LotScoped, Base):
    __tablename__ = "lots"
    __table_args__ = (
        UniqueConstraint("customer_id", "name"),
        CheckConstraint("capacity >= 0", name="capacity_non_negative"),
    )

    agent_id: Mapped[int] = mapped_column(BigId, ForeignKey("agents.id", ondelete="RESTRICT"), index=True)
    customer_id: Mapped[int] = mapped_column(BigId, ForeignKey("customers.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    code: Mapped[str] = mapped_column(String(32), unique=True)
    address: Mapped[str] = mapped_column(String(200), default="")
    # The district the lot lies in (e.g. 南山区), as its operator writes it: the daily report groups lots by it.
    region: Mapped[str] = mapped_column(String(50), default="", server_default="")
    latitude: Mapped[float | None] = mapped_column(default=None)
    longitude: Mapped[float | None] = mapped_column(default=None)
    capacity: Mapped[int] = mapped_column(Integer)
    occupied: Mapped[int] = mapped_column(Integer, default=0)
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")
    licence_until: Mapped[date | None] = mapped_column(Date, default=None)
    prepay_grace_minutes: Mapped[int] = mapped_column(Integer, default=15)
    duplicate_entry_policy: Mapped[DuplicateEntryPolicy] = mapped_column(
        enum_column(DuplicateEntryPolicy), default=DuplicateEntryPolicy.FLAG_ABNORMAL
    )
    # Channel settings (merchant ids, app ids, fee rate); secrets are referenced by name, never stored here.
    payment_settings: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # How long lane pictures and records are kept (GA/T 1742-2020): parking.retention enforces the minimums.
    image_retention_days: Mapped[int] = mapped_column(Integer, default=30, server_default="30")
    record_retention_days: Mapped[int] = mapped_column(Integer, default=365, server_default="365")

    lot_id = synonym("id")

    @property
    def free_spaces(self) -> int:
        """Spaces left now, never below zero (``occupied`` can overshoot when cars enter on a full lot)."""
        return max(self.capacity - self.occupied, 0)

    @property
    def settings(self) -> LotPaymentSettings:
        """``payment_settings`` read through its model, parsed once per stored value: a reading consults it
        several times (lane rules, no-entry fee, frictionless, notifications), and the API's site cache keeps
        the lot for seconds. The column is replaced on every write, never edited in place, so the dict's
        identity says whether the parse still holds."""
        stored = self.payment_settings
        parsed: tuple[object, LotPaymentSettings] | None = self.__dict__.get("_parsed_settings")
        if parsed is None or parsed[0] is not stored:
            parsed = (stored, LotPaymentSettings.of(stored))
            self.__dict__["_parsed_settings"] = parsed
        return parsed[1]


class Area(IdMixin, Timestamps, LotScoped, Base):
    """A zone of a lot; an area with ``is_inner`` is an inner lot (内场) with its own barriers and capacity."""

    __tablename__ = "areas"
    __table_args__ = (
        UniqueConstraint("lot_id", "name"),
        CheckConstraint("capacity >= 0", name="capacity_non_negative"),
    )

    agent_id: Mapped[int] = mapped_column(BigId, ForeignKey("agents.id"), index=True)
    customer_id: Mapped[int] = mapped_column(BigId, ForeignKey("customers.id"), index=True)
    lot_id: Mapped[int] = mapped_column(BigId, ForeignKey("lots.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("areas.id", ondelete="CASCADE"), default=None)
    name: Mapped[str] = mapped_column(String(100))
    capacity: Mapped[int] = mapped_column(Integer)
    occupied: Mapped[int] = mapped_column(Integer, default=0)
    is_inner: Mapped[bool] = mapped_column(Boolean, default=False)
    # An inner-lot stay this short is a pass-through (穿行) and costs nothing there.
    free_minutes: Mapped[int] = mapped_column(Integer, default=0)

    @property
    def free_spaces(self) -> int:
        """Spaces left now in this area, never below zero."""
        return max(self.capacity - self.occupied, 0)


class Lane(IdMixin, Timestamps, LotScoped, Base):
    __tablename__ = "lanes"
    __table_args__ = (UniqueConstraint("lot_id", "name"),)

    agent_id: Mapped[int] = mapped_column(BigId, ForeignKey("agents.id"), index=True)
    customer_id: Mapped[int] = mapped_column(BigId, ForeignKey("customers.id"), index=True)
    lot_id: Mapped[int] = mapped_column(BigId, ForeignKey("lots.id", ondelete="CASCADE"), index=True)
    area_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("areas.id", ondelete="SET NULL"), default=None)
    name: Mapped[str] = mapped_column(String(100))
    direction: Mapped[LaneDirection] = mapped_column(enum_column(LaneDirection))
    mode: Mapped[LaneMode] = mapped_column(enum_column(LaneMode), default=LaneMode.AUTO)
    allowed_categories: Mapped[list[str]] = mapped_column(
        JSON, default=lambda: [c.value for c in VehicleCategory if c is not VehicleCategory.BLACKLIST]
    )
    # Token printed in the lane's QR code (exit scan / no-plate entry); rotating it voids printed codes.
    qr_token: Mapped[str] = mapped_column(String(64), unique=True)
    # The booth (岗亭) the lane is watched from; lanes naming the same booth of a lot report together, and a lane
    # naming none is its own booth.
    booth: Mapped[str] = mapped_column(String(50), default="", server_default="")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
