"""The alarm object type."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from parking.alarms.models import AlarmKind, AlarmSeverity, AlarmStatus
from schema.core import enums as _enums  # noqa: F401  (registers the enums)


@strawberry.type(name="Alarm", description="Something an operator should look at.")
class AlarmType:
    id: strawberry.ID
    lot_id: strawberry.ID
    kind: AlarmKind
    severity: AlarmSeverity
    status: AlarmStatus
    raised_at: datetime
    lane_id: strawberry.ID | None
    device_id: strawberry.ID | None
    session_id: strawberry.ID | None
    plate: str
    message: str
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    resolution: str
    details: strawberry.Private[dict[str, Any]]

    @strawberry.field(description="How many times it was raised: a repeat within minutes is counted, not re-raised.")
    def count(self) -> int:
        return int(self.details.get("count", 1))
