"""GraphQL inputs generated from the device use-cases' validated input models."""

from __future__ import annotations

import strawberry
from strawberry.experimental.pydantic import input as pydantic_input
from strawberry.scalars import JSON

from parking.devices import inputs


@pydantic_input(model=inputs.DeviceRegister, all_fields=True)
class DeviceRegisterInput:
    lot_id: strawberry.ID
    lane_id: strawberry.ID | None = None
    config: JSON = strawberry.field(description="Typed device config, chosen by its `type` (see docs/devices.md).")


@pydantic_input(model=inputs.DeviceCreate, all_fields=True)
class DeviceCreateInput:
    lot_id: strawberry.ID
    lane_id: strawberry.ID | None = None


@pydantic_input(model=inputs.DeviceUpdate, all_fields=True)
class DeviceUpdateInput:
    lane_id: strawberry.ID | None = None
    config: JSON | None = strawberry.field(
        default=None, description="A new config of the same `type`; its serial or MAC cannot change."
    )
