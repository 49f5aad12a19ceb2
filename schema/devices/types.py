"""Device command type (its enums are registered with the others in schema/core/enums.py)."""

from __future__ import annotations

from datetime import datetime
from typing import cast

import strawberry

from parking.devices.models import Device, DeviceCommandKind, DeviceCommandStatus
from schema.core.context import Info
from schema.tenancy.types import DeviceType


@strawberry.type(name="DeviceCommand", description="A command sent to a device and what came of it.")
class DeviceCommandType:
    id: strawberry.ID
    lot_id: strawberry.ID
    device_id: strawberry.ID
    kind: DeviceCommandKind
    status: DeviceCommandStatus
    reason: str
    result: str = strawberry.field(description="What the device reported, or why the command failed.")
    operator_id: strawberry.ID | None
    issued_at: datetime
    expires_at: datetime
    sent_at: datetime | None
    completed_at: datetime | None

    @strawberry.field
    async def device(self, info: Info) -> DeviceType | None:
        return cast(DeviceType | None, await info.context.loaders.by_id(Device).load(int(self.device_id)))
