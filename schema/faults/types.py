"""The fault ticket object type."""

from __future__ import annotations

from datetime import datetime

import strawberry

from parking.faults.models import FaultStatus
from schema.core import enums as _enums  # noqa: F401  (registers the enums)


@strawberry.type(name="FaultTicket", description="A maintenance ticket for a device fault.")
class FaultTicketType:
    id: strawberry.ID
    lot_id: strawberry.ID
    device_id: strawberry.ID | None
    alarm_id: strawberry.ID | None
    title: str
    description: str
    status: FaultStatus
    assignee_id: strawberry.ID | None
    resolved_at: datetime | None
    resolution: str
    created_at: datetime
