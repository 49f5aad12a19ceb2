"""Device object types: the device, the commands sent to it and the gate commands sent to barriers.

Their enums are registered with the others in schema/core/enums.py.
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

import strawberry
from strawberry.scalars import JSON

from hardware.registry import public_config
from parking.devices.commands import supported
from parking.devices.delivery import CommandDelivery, command_delivery
from parking.devices.models import (
    Device,
    DeviceCommandKind,
    DeviceCommandStatus,
    DeviceKind,
    DeviceStatus,
    GateCommandKind,
    GateCommandStatus,
)
from parking.tenancy import models
from schema.core import enums as _enums  # noqa: F401  (registers the enums)
from schema.core.context import Info
from schema.tenancy.types import LaneType


@strawberry.type(name="Device", description="A device at a lot: controller, camera, display, kiosk, terminal.")
class DeviceType:
    id: strawberry.ID
    lot_id: strawberry.Private[int]
    lane_id: strawberry.Private[int | None]
    kind: DeviceKind
    name: str
    model: str
    serial: str
    mac: str | None = strawberry.field(description="The MAC it reported (Hikvision alerts name a camera by it).")
    ip: str
    protocol: str
    status: DeviceStatus
    firmware: str
    last_seen_at: datetime | None
    error_count: int = strawberry.field(description="Failed probes and commands since it was registered.")
    consecutive_failures: int = strawberry.field(description="Failed probes since the last good one.")
    last_error: str = strawberry.field(description="Why the last probe or command failed.")
    config: strawberry.Private[dict[str, object]]

    @strawberry.field(
        name="config",
        description="Its configuration (a `type` of deviceConfigSchema) without secrets such as a camera's password.",
    )
    def config_field(self) -> JSON:
        return cast(JSON, public_config(self.config))

    @strawberry.field(name="lotId", description="The lot it belongs to (a device need not sit at a lane).")
    def lot_id_field(self) -> strawberry.ID:
        return strawberry.ID(str(self.lot_id))

    @strawberry.field(description="The commands its adapter can carry out: what the console offers to send.")
    def supported_commands(self) -> list[DeviceCommandKind]:
        kinds = supported(self.config, self.protocol)
        return [kind for kind in DeviceCommandKind if kind in kinds]  # in the enum's order, not a set's

    @strawberry.field(
        description="How commands reach it; for a Vzenith camera this follows its heartbeat mode (config.heartbeat)."
    )
    def command_delivery(self) -> CommandDelivery:
        return command_delivery(self.config, self.protocol)

    @strawberry.field
    async def lane(self, info: Info) -> LaneType | None:
        if self.lane_id is None:
            return None
        return cast(LaneType | None, await info.context.loaders.by_id(models.Lane).load(self.lane_id))


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


@strawberry.type(name="GateCommand", description="A command to a barrier and its outcome.")
class GateCommandType:
    id: strawberry.ID
    lot_id: strawberry.ID
    lane_id: strawberry.ID
    kind: GateCommandKind
    status: GateCommandStatus
    issued_at: datetime
    expires_at: datetime
    completed_at: datetime | None
    operator_id: strawberry.ID | None
    session_id: strawberry.ID | None
    reason: str
    result: str
