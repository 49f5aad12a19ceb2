"""The fault ticket object type and its photos."""

from __future__ import annotations

from datetime import datetime
from typing import cast

import strawberry

from parking.faults.models import FaultStatus, FaultTicketPhoto
from schema.core import enums as _enums  # noqa: F401  (registers the enums)
from schema.core.context import Info


@strawberry.type(
    name="FaultTicketPhoto",
    description="A photo of the fault, uploaded with POST /api/faults/{ticketId}/photos; "
    "its bytes at GET /api/images/{ref} with the operator's token.",
)
class FaultTicketPhotoType:
    id: strawberry.ID
    ref: str
    created_at: datetime


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

    @strawberry.field(description="The photos of the fault, oldest first (at most 9).")
    async def photos(self, info: Info) -> list[FaultTicketPhotoType]:
        rows = await info.context.loaders.children(FaultTicketPhoto, "ticket_id").load(int(self.id))
        return cast(list[FaultTicketPhotoType], rows)
