"""Validated inputs of the fault ticket use-cases."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, StringConstraints

from parking.common.inputs import Id, Name
from parking.faults.models import FaultStatus

Description = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]


class FaultTicketCreate(BaseModel):
    lot_id: Id
    device_id: Id | None = None
    alarm_id: Id | None = None
    title: Name
    description: Description = ""


class FaultTicketUpdate(BaseModel):
    title: Name | None = None
    description: Description | None = None
    status: FaultStatus | None = None
    assignee_id: Id | None = None
    resolution: Description | None = None
