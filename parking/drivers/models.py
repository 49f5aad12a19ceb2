"""A driver's plates (我的车辆): which WeChat account (openid) holds which plate.

Not a tenant's table: a driver is one across every lot. A plate is held by one account at most (unique), and an
account holds at most ``MAX_PLATES`` in numbered slots, so two binds racing for the last slot cannot both win:
the second one's slot is taken (unique) and it is refused, nothing written.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from parking.common.db import Base, IdMixin, utcnow

MAX_PLATES = 5


class DriverPlate(IdMixin, Base):
    __tablename__ = "driver_plates"
    __table_args__ = (
        UniqueConstraint("plate"),
        UniqueConstraint("openid", "slot"),
        CheckConstraint(f"slot >= 1 AND slot <= {MAX_PLATES}", name="slot_in_range"),
    )

    openid: Mapped[str] = mapped_column(String(64), index=True)
    plate: Mapped[str] = mapped_column(String(16))
    slot: Mapped[int] = mapped_column(Integer)
    bound_at: Mapped[datetime] = mapped_column(default=utcnow)
