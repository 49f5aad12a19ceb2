"""Stored tariff versions: a tariff document per lot (or area) and vehicle class, with effective dates."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from parking.common.db import Base, BigId, IdMixin, Json, Timestamps, enum_column
from parking.common.scope import LotScoped
from parking.tenancy.enums import VehicleClass
from parking.tenancy.models import LotOwnedColumns


class TariffVersion(IdMixin, Timestamps, LotOwnedColumns, LotScoped, Base):
    __tablename__ = "tariff_versions"
    __table_args__ = (UniqueConstraint("lot_id", "area_id", "vehicle_class", "version"),)

    area_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("areas.id"), default=None)
    vehicle_class: Mapped[VehicleClass] = mapped_column(enum_column(VehicleClass))
    name: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer)
    effective_from: Mapped[datetime] = mapped_column(index=True)
    document: Mapped[dict[str, Any]] = mapped_column(Json)
    created_by_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("operators.id"), default=None)
