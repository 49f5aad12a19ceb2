"""Session and lane event tables."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from parking.common.db import Base, BigId, IdMixin, Timestamps, enum_column
from parking.common.partitions import only_on, partitioned_by_month
from parking.common.scope import LotScoped
from parking.plates import PlateColor
from parking.sessions import global_keys
from parking.sessions.enums import (
    EventKind,
    ReadingSource,
    ReleaseMethod,
    SessionState,
)
from parking.tenancy.enums import VehicleCategory, VehicleClass
from parking.tenancy.models import LotOwnedColumns


class ParkingSession(IdMixin, Timestamps, LotOwnedColumns, LotScoped, Base):
    """One stay of one vehicle in one lot; an inner-lot stay is a child session of the outer one."""

    __tablename__ = "parking_sessions"
    # One open stay per plate per lot (and per driver for no-plate cars, per outer stay for an inner lot): the
    # database settles two lanes reading the same plate at the same moment.
    # On PostgreSQL the three unique indexes live in a side table (parking/sessions/global_keys.py): the table is
    # partitioned by month (parking/common/partitions.py).
    __table_args__ = (
        only_on(
            "sqlite",
            Index(
                "uq_open_session_plate",
                "lot_id",
                "plate",
                unique=True,
                sqlite_where=text("state = 'in_lot' AND parent_id IS NULL AND driver_key IS NULL"),
            ),
        ),
        only_on(
            "sqlite",
            Index(
                "uq_open_session_driver",
                "lot_id",
                "driver_key",
                unique=True,
                sqlite_where=text("state = 'in_lot' AND parent_id IS NULL AND driver_key IS NOT NULL"),
            ),
        ),
        only_on(
            "sqlite",
            Index(
                "uq_open_inner_session",
                "parent_id",
                "area_id",
                unique=True,
                sqlite_where=text("state = 'in_lot' AND parent_id IS NOT NULL"),
            ),
        ),
        {"postgresql_partition_by": "RANGE (id)"},
    )

    area_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("areas.id"), default=None)
    parent_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("parking_sessions.id", ondelete="CASCADE"), index=True, default=None
    )
    plate: Mapped[str] = mapped_column(String(16), index=True)
    plate_color: Mapped[PlateColor] = mapped_column(enum_column(PlateColor), default=PlateColor.BLUE)
    vehicle_class: Mapped[VehicleClass] = mapped_column(enum_column(VehicleClass), default=VehicleClass.SMALL)
    category: Mapped[VehicleCategory] = mapped_column(enum_column(VehicleCategory), default=VehicleCategory.TEMPORARY)
    # No-plate vehicles (无牌车) are keyed to the driver's identity (e.g. WeChat openid) instead.
    driver_key: Mapped[str | None] = mapped_column(String(64), index=True, default=None)
    state: Mapped[SessionState] = mapped_column(enum_column(SessionState), default=SessionState.IN_LOT, index=True)
    entry_at: Mapped[datetime] = mapped_column(index=True)
    exit_at: Mapped[datetime | None] = mapped_column(index=True, default=None)
    entry_lane_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("lanes.id"), default=None)
    exit_lane_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("lanes.id"), default=None)
    fee_due_fen: Mapped[int] = mapped_column(Integer, default=0)
    paid_fen: Mapped[int] = mapped_column(Integer, default=0)
    discount_fen: Mapped[int] = mapped_column(Integer, default=0)
    arrears_fen: Mapped[int] = mapped_column(Integer, default=0)
    release_method: Mapped[ReleaseMethod | None] = mapped_column(enum_column(ReleaseMethod), default=None)
    released_by_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("operators.id"), default=None)
    release_reason: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(String(200), default="")
    pass_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("passes.id", ondelete="SET NULL"), default=None)
    group_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("vehicle_groups.id", ondelete="SET NULL"), index=True, default=None
    )
    # A group car that entered as temporary (its group's spaces full) is covered by the pass from the moment
    # one of the group's cars leaves; None: covered from entry (or never, for a temporary car).
    covered_from: Mapped[datetime | None] = mapped_column(default=None)
    group_overflow: Mapped[bool] = mapped_column(default=False)
    last_paid_at: Mapped[datetime | None] = mapped_column(default=None)


class LaneEvent(IdMixin, LotOwnedColumns, LotScoped, Base):
    """Every reading at a lane, kept once: the dedup key makes replayed and repeated pushes idempotent."""

    __tablename__ = "lane_events"
    # On PostgreSQL, partitioned by month, the dedup key's uniqueness lives in a side table
    # (parking/sessions/global_keys.py) and the index only finds the event.
    __table_args__ = (
        only_on("sqlite", UniqueConstraint("dedup_key")),
        only_on("postgresql", Index("ix_lane_events_dedup_key", "dedup_key")),
        {"postgresql_partition_by": "RANGE (id)"},
    )

    lane_id: Mapped[int] = mapped_column(BigId, ForeignKey("lanes.id"), index=True)
    device_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("devices.id"), default=None)
    session_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("parking_sessions.id", ondelete="SET NULL"), index=True, default=None
    )
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind))
    at: Mapped[datetime] = mapped_column(index=True)
    received_at: Mapped[datetime]
    plate: Mapped[str] = mapped_column(String(16), index=True)
    plate_color: Mapped[PlateColor] = mapped_column(enum_column(PlateColor), default=PlateColor.BLUE)
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    source: Mapped[ReadingSource] = mapped_column(enum_column(ReadingSource), default=ReadingSource.CAMERA)
    image_ref: Mapped[str] = mapped_column(String(200), default="")
    dedup_key: Mapped[str] = mapped_column(String(128))
    is_offline: Mapped[bool] = mapped_column(default=False)
    opened: Mapped[bool] = mapped_column(default=False)
    decision_reason: Mapped[str] = mapped_column(String(64), default="")


partitioned_by_month(ParkingSession.__table__)  # type: ignore[arg-type]
partitioned_by_month(LaneEvent.__table__)  # type: ignore[arg-type]
global_keys.keep_open_session_keys(ParkingSession.__table__)  # type: ignore[arg-type]
global_keys.keep_lane_event_keys(LaneEvent.__table__)  # type: ignore[arg-type]
