"""Session object types: stays and lane events."""

from __future__ import annotations

from datetime import datetime

import strawberry

from parking.plates import PlateColor
from parking.sessions.enums import (
    EventKind,
    ReadingSource,
    ReleaseMethod,
    SessionState,
)
from parking.tenancy.enums import VehicleCategory, VehicleClass
from schema.core import enums as _enums  # noqa: F401  (registers the enums)
from schema.core.money import Fen


@strawberry.type(name="ParkingSession", description="One stay of one vehicle in one lot.")
class ParkingSessionType:
    id: strawberry.ID
    lot_id: strawberry.ID
    area_id: strawberry.ID | None
    parent_id: strawberry.ID | None
    plate: str
    plate_color: PlateColor
    vehicle_class: VehicleClass
    category: VehicleCategory
    state: SessionState
    entry_at: datetime
    exit_at: datetime | None
    entry_lane_id: strawberry.ID | None
    exit_lane_id: strawberry.ID | None
    fee_due_fen: Fen
    paid_fen: Fen
    discount_fen: Fen
    arrears_fen: Fen
    release_method: ReleaseMethod | None
    release_reason: str
    note: str


@strawberry.type(name="LaneEvent", description="A reading at a lane and the decision taken.")
class LaneEventType:
    id: strawberry.ID
    lot_id: strawberry.ID
    lane_id: strawberry.ID
    session_id: strawberry.ID | None
    kind: EventKind
    at: datetime
    received_at: datetime
    plate: str
    plate_color: PlateColor
    confidence: float
    source: ReadingSource
    image_ref: str
    is_offline: bool
    opened: bool
    decision_reason: str
