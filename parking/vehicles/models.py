"""Owners, vehicles, groups (一位多车), wallets (储值), category lists with validity, pass products and passes."""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Time, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from parking.common.db import Base, BigId, IdMixin, Timestamps, enum_column
from parking.common.scope import LotScoped
from parking.plates import PlateColor
from parking.tenancy.enums import VehicleCategory, VehicleClass
from parking.tenancy.models import LotOwnedColumns
from parking.vehicles.enums import ExemptKind, PassPeriod, PassStatus


class Owner(IdMixin, Timestamps, LotOwnedColumns, LotScoped, Base):
    """A long-term owner (长期车主) of one lot."""

    __tablename__ = "owners"

    name: Mapped[str] = mapped_column(String(50))
    phone: Mapped[str] = mapped_column(String(30), default="", index=True)
    address: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(String(200), default="")


class Wallet(IdMixin, Timestamps, LotOwnedColumns, LotScoped, Base):
    __tablename__ = "wallets"
    __table_args__ = (CheckConstraint("balance_fen >= 0", name="balance_non_negative"),)

    owner_id: Mapped[int] = mapped_column(BigId, ForeignKey("owners.id", ondelete="CASCADE"), unique=True)
    balance_fen: Mapped[int] = mapped_column(Integer, default=0)


class WalletEntry(IdMixin, LotOwnedColumns, LotScoped, Base):
    """One movement of a wallet: top-ups are positive, debits negative; the balance is their sum."""

    __tablename__ = "wallet_entries"

    wallet_id: Mapped[int] = mapped_column(BigId, ForeignKey("wallets.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime]
    amount_fen: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(100))
    reference: Mapped[str] = mapped_column(String(64), default="")


class VehicleGroup(IdMixin, Timestamps, LotOwnedColumns, LotScoped, Base):
    """N spaces shared by M plates (一位多车): with N inside, the next one parks as temporary."""

    __tablename__ = "vehicle_groups"
    __table_args__ = (CheckConstraint("spaces >= 1", name="spaces_positive"),)

    owner_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("owners.id", ondelete="SET NULL"), default=None)
    name: Mapped[str] = mapped_column(String(50))
    spaces: Mapped[int] = mapped_column(Integer)


class Vehicle(IdMixin, Timestamps, LotOwnedColumns, LotScoped, Base):
    __tablename__ = "vehicles"
    __table_args__ = (UniqueConstraint("lot_id", "plate"),)

    owner_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("owners.id", ondelete="SET NULL"), index=True)
    group_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("vehicle_groups.id", ondelete="SET NULL"), index=True, default=None
    )
    plate: Mapped[str] = mapped_column(String(16), index=True)
    plate_color: Mapped[PlateColor] = mapped_column(enum_column(PlateColor), default=PlateColor.BLUE)
    vehicle_class: Mapped[VehicleClass] = mapped_column(enum_column(VehicleClass), default=VehicleClass.SMALL)
    # The lot's own tariff class (三轮车 ``tricycle``...), priced by the tariff's class of that name.
    tariff_class: Mapped[str | None] = mapped_column(String(32), default=None)
    # What the vehicle is for exemptions (环卫, 殡葬, 残疾人...): free where the lot's tariff exempts the kind.
    exempt_kind: Mapped[ExemptKind | None] = mapped_column(enum_column(ExemptKind), default=None)
    note: Mapped[str] = mapped_column(String(200), default="")


class ListEntry(IdMixin, Timestamps, LotOwnedColumns, LotScoped, Base):
    """A plate on one of a lot's lists (visitor, exempt, VIP, blacklist...) for a validity window."""

    __tablename__ = "list_entries"

    plate: Mapped[str] = mapped_column(String(16), index=True)
    category: Mapped[VehicleCategory] = mapped_column(enum_column(VehicleCategory))
    valid_from: Mapped[datetime]
    valid_until: Mapped[datetime | None] = mapped_column(default=None)
    # Daily window for time-controlled and off-peak cars, in the lot's time zone.
    window_start: Mapped[time | None] = mapped_column(Time, default=None)
    window_end: Mapped[time | None] = mapped_column(Time, default=None)
    reason: Mapped[str] = mapped_column(String(200), default="")


class PassProduct(IdMixin, Timestamps, LotOwnedColumns, LotScoped, Base):
    """What a lot sells: e.g. a monthly pass at 300 yuan, optionally valid only in a daily window (错峰)."""

    __tablename__ = "pass_products"
    __table_args__ = (
        UniqueConstraint("lot_id", "name"),
        CheckConstraint("price_fen >= 0", name="price_non_negative"),
        CheckConstraint("quota IS NULL OR quota >= 0", name="quota_non_negative"),
    )

    name: Mapped[str] = mapped_column(String(50))
    category: Mapped[VehicleCategory] = mapped_column(enum_column(VehicleCategory))
    period: Mapped[PassPeriod] = mapped_column(enum_column(PassPeriod))
    price_fen: Mapped[int] = mapped_column(Integer)
    vehicle_class: Mapped[VehicleClass] = mapped_column(enum_column(VehicleClass), default=VehicleClass.SMALL)
    window_start: Mapped[time | None] = mapped_column(Time, default=None)
    window_end: Mapped[time | None] = mapped_column(Time, default=None)
    is_active: Mapped[bool] = mapped_column(default=True)
    # Off-peak rental (错时停车): listed to the public (``offPeakProducts``) and bought online (``passBuy``).
    sold_online: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Spaces sold per period: passes overlapping a period plus orders holding a space stay within it. None:
    # unlimited.
    quota: Mapped[int | None] = mapped_column(Integer, default=None)


class Pass(IdMixin, Timestamps, LotOwnedColumns, LotScoped, Base):
    """A pass held by one vehicle or one vehicle group."""

    __tablename__ = "passes"
    __table_args__ = (
        CheckConstraint("(vehicle_id IS NULL) <> (group_id IS NULL)", name="one_holder"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    product_id: Mapped[int] = mapped_column(BigId, ForeignKey("pass_products.id", ondelete="RESTRICT"), index=True)
    vehicle_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("vehicles.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("vehicle_groups.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    status: Mapped[PassStatus] = mapped_column(enum_column(PassStatus), default=PassStatus.ACTIVE)


class PassRenewal(IdMixin, LotOwnedColumns, LotScoped, Base):
    """A renewal (续费): the pass's end moved from ``previous_ends_at`` to ``new_ends_at`` for ``amount_fen``."""

    __tablename__ = "pass_renewals"

    pass_id: Mapped[int] = mapped_column(BigId, ForeignKey("passes.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime]
    periods: Mapped[int] = mapped_column(Integer)
    amount_fen: Mapped[int] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(32))
    previous_ends_at: Mapped[datetime]
    new_ends_at: Mapped[datetime]
    operator_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("operators.id"), default=None)
    payment_order_id: Mapped[int | None] = mapped_column(BigId, default=None)
