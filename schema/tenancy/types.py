"""Tenancy object types; resolvers receive ORM rows and load relations through dataloaders."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, cast

import strawberry

from parking.devices.models import Device
from parking.tenancy import models
from parking.tenancy.enums import DuplicateEntryPolicy, LaneDirection, LaneMode, VehicleCategory
from schema.core import enums as _enums  # noqa: F401  (registers the enums)
from schema.core.context import Info
from schema.tenancy.payment_settings import LotPaymentSettingsType, settings_of

if TYPE_CHECKING:
    from schema.devices.types import DeviceType

# Lots and lanes list their devices, and a device names its lane: the devices' schema sits above tenancy's,
# so tenancy reaches its type lazily rather than importing upwards.
_Device = Annotated["DeviceType", strawberry.lazy("schema.devices.types")]


@strawberry.type(name="Agent", description="An agent (代理商): a reseller that serves customers.")
class AgentType:
    id: strawberry.ID
    name: str
    contact_name: str
    phone: str
    is_active: bool
    created_at: datetime

    @strawberry.field
    async def customers(self, info: Info) -> list[CustomerType]:
        rows = await info.context.loaders.children(models.Customer, "agent_id").load(int(self.id))
        return cast(list[CustomerType], rows)


@strawberry.type(name="Customer", description="A customer (客户): a lot operator under an agent.")
class CustomerType:
    id: strawberry.ID
    agent_id: strawberry.Private[int]
    name: str
    contact_name: str
    phone: str
    is_active: bool
    created_at: datetime

    @strawberry.field
    async def agent(self, info: Info) -> AgentType | None:
        return cast(AgentType | None, await info.context.loaders.by_id(models.Agent).load(self.agent_id))

    @strawberry.field
    async def lots(self, info: Info) -> list[LotType]:
        rows = await info.context.loaders.children(models.Lot, "customer_id").load(int(self.id))
        return cast(list[LotType], rows)


@strawberry.type(name="Lot", description="A parking lot.")
class LotType:
    id: strawberry.ID
    agent_id: strawberry.Private[int]
    customer_id: strawberry.Private[int]
    name: str
    code: str
    address: str
    latitude: float | None
    longitude: float | None
    capacity: int
    occupied: int
    timezone: str
    licence_until: date | None
    prepay_grace_minutes: int
    duplicate_entry_policy: DuplicateEntryPolicy
    is_active: bool
    created_at: datetime
    image_retention_days: int = strawberry.field(description="Days the lot keeps its lane pictures (at least 30).")
    record_retention_days: int = strawberry.field(description="Days the lot keeps its records (at least 365).")
    region: str = strawberry.field(description="The district the lot lies in (e.g. 南山区); empty for none.")

    # A plain attribute of the row (a model property), so it resolves without a resolver call per lot.
    free_spaces: int = strawberry.field(description="Free spaces now (never below zero).")

    @strawberry.field
    async def customer(self, info: Info) -> CustomerType | None:
        return cast(CustomerType | None, await info.context.loaders.by_id(models.Customer).load(self.customer_id))

    @strawberry.field
    async def areas(self, info: Info) -> list[AreaType]:
        rows = await info.context.loaders.children(models.Area, "lot_id").load(int(self.id))
        return cast(list[AreaType], rows)

    @strawberry.field
    async def lanes(self, info: Info) -> list[LaneType]:
        rows = await info.context.loaders.children(models.Lane, "lot_id").load(int(self.id))
        return cast(list[LaneType], rows)

    @strawberry.field
    async def devices(self, info: Info) -> list[_Device]:
        rows = await info.context.loaders.children(Device, "lot_id").load(int(self.id))
        return cast(list[_Device], rows)

    @strawberry.field(description="Payment and notification settings, defaults filled in.")
    def payment_settings(self, root: strawberry.Parent[models.Lot]) -> LotPaymentSettingsType:
        return settings_of(root)


@strawberry.type(name="Area", description="A zone of a lot; an inner area is a nested lot (内场).")
class AreaType:
    id: strawberry.ID
    lot_id: strawberry.Private[int]
    parent_id: strawberry.Private[int | None]
    name: str
    capacity: int
    occupied: int
    is_inner: bool

    free_spaces: int

    @strawberry.field
    async def lot(self, info: Info) -> LotType | None:
        return cast(LotType | None, await info.context.loaders.by_id(models.Lot).load(self.lot_id))

    @strawberry.field
    async def parent(self, info: Info) -> AreaType | None:
        if self.parent_id is None:
            return None
        return cast(AreaType | None, await info.context.loaders.by_id(models.Area).load(self.parent_id))


@strawberry.type(name="Lane", description="An entry or exit lane with its barrier and camera.")
class LaneType:
    id: strawberry.ID
    lot_id: strawberry.Private[int]
    area_id: strawberry.Private[int | None]
    name: str
    direction: LaneDirection
    mode: LaneMode
    is_active: bool
    booth: str = strawberry.field(description="The booth (岗亭) the lane is watched from; empty: its own booth.")
    qr_token: str = strawberry.field(description="Token encoded in the lane's QR code (exit scan, no-plate entry).")

    @strawberry.field
    def allowed_categories(self, root: strawberry.Parent[models.Lane]) -> list[VehicleCategory]:
        return [VehicleCategory(c) for c in root.allowed_categories]

    @strawberry.field
    async def lot(self, info: Info) -> LotType | None:
        return cast(LotType | None, await info.context.loaders.by_id(models.Lot).load(self.lot_id))

    @strawberry.field
    async def area(self, info: Info) -> AreaType | None:
        if self.area_id is None:
            return None
        return cast(AreaType | None, await info.context.loaders.by_id(models.Area).load(self.area_id))

    @strawberry.field
    async def devices(self, info: Info) -> list[_Device]:
        rows = await info.context.loaders.children(Device, "lane_id").load(int(self.id))
        return cast(list[_Device], rows)
