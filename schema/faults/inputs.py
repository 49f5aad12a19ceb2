"""GraphQL inputs of the fault ticket mutations."""

from __future__ import annotations

import strawberry
from strawberry.experimental.pydantic import input as pydantic_input

from parking.faults import inputs as faults


@pydantic_input(model=faults.FaultTicketCreate, all_fields=True)
class FaultTicketCreateInput:
    lot_id: strawberry.ID
    device_id: strawberry.ID | None = None
    alarm_id: strawberry.ID | None = None


@pydantic_input(model=faults.FaultTicketUpdate, all_fields=True)
class FaultTicketUpdateInput:
    assignee_id: strawberry.ID | None = None
