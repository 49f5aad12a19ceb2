"""Vehicles-domain object types; relations load through dataloaders."""

from __future__ import annotations

from datetime import datetime, time
from typing import cast

import strawberry

from parking.plates import PlateColor
from parking.tenancy.enums import VehicleCategory, VehicleClass
from parking.vehicles import models
from parking.vehicles.enums import ExemptKind, PassPeriod, PassStatus
from schema.core import enums as _enums  # noqa: F401  (registers the enums)
from schema.core.context import Info
from schema.core.money import Fen


@strawberry.type(name="Owner", description="A long-term owner (长期车主) of one lot.")
class OwnerType:
    id: strawberry.ID
    lot_id: strawberry.Private[int]
    name: str
    phone: str
    address: str
    note: str
    created_at: datetime

    @strawberry.field
    async def vehicles(self, info: Info) -> list[VehicleType]:
        rows = await info.context.loaders.children(models.Vehicle, "owner_id").load(int(self.id))
        return cast(list[VehicleType], rows)

    @strawberry.field
    async def wallet(self, info: Info) -> WalletType | None:
        rows = await info.context.loaders.children(models.Wallet, "owner_id").load(int(self.id))
        return cast(WalletType, rows[0]) if rows else None


@strawberry.type(name="Wallet", description="An owner's stored value (储值), in fen.")
class WalletType:
    id: strawberry.ID
    owner_id: strawberry.Private[int]
    balance_fen: Fen

    @strawberry.field
    async def entries(self, info: Info) -> list[WalletEntryType]:
        rows = await info.context.loaders.children(models.WalletEntry, "wallet_id").load(int(self.id))
        return cast(list[WalletEntryType], rows)


@strawberry.type(name="WalletEntry", description="One wallet movement: top-ups positive, debits negative.")
class WalletEntryType:
    id: strawberry.ID
    at: datetime
    amount_fen: Fen
    reason: str
    reference: str


@strawberry.type(name="VehicleGroup", description="N spaces shared by M plates (一位多车).")
class VehicleGroupType:
    id: strawberry.ID
    lot_id: strawberry.Private[int]
    owner_id: strawberry.Private[int | None]
    name: str
    spaces: int

    @strawberry.field
    async def vehicles(self, info: Info) -> list[VehicleType]:
        rows = await info.context.loaders.children(models.Vehicle, "group_id").load(int(self.id))
        return cast(list[VehicleType], rows)


@strawberry.type(name="Vehicle", description="A registered vehicle of a lot.")
class VehicleType:
    id: strawberry.ID
    lot_id: strawberry.Private[int]
    owner_id: strawberry.Private[int | None]
    group_id: strawberry.Private[int | None]
    plate: str
    plate_color: PlateColor
    vehicle_class: VehicleClass
    tariff_class: str | None
    exempt_kind: ExemptKind | None
    note: str
    created_at: datetime

    @strawberry.field
    async def owner(self, info: Info) -> OwnerType | None:
        if self.owner_id is None:
            return None
        return cast(OwnerType | None, await info.context.loaders.by_id(models.Owner).load(self.owner_id))

    @strawberry.field
    async def group(self, info: Info) -> VehicleGroupType | None:
        if self.group_id is None:
            return None
        return cast(VehicleGroupType | None, await info.context.loaders.by_id(models.VehicleGroup).load(self.group_id))


@strawberry.type(name="ListEntry", description="A plate on one of a lot's lists for a validity window.")
class ListEntryType:
    id: strawberry.ID
    lot_id: strawberry.Private[int]
    plate: str
    category: VehicleCategory
    valid_from: datetime
    valid_until: datetime | None
    window_start: time | None
    window_end: time | None
    reason: str


@strawberry.type(name="PassProduct", description="A pass a lot sells, e.g. monthly at 300 yuan.")
class PassProductType:
    id: strawberry.ID
    lot_id: strawberry.Private[int]
    name: str
    category: VehicleCategory
    period: PassPeriod
    price_fen: Fen
    vehicle_class: VehicleClass
    window_start: time | None
    window_end: time | None
    is_active: bool
    sold_online: bool = strawberry.field(
        description="Off-peak rental (错时停车): listed by offPeakProducts and bought online with passBuy."
    )
    quota: int | None = strawberry.field(description="Spaces sold per period; null: unlimited.")


@strawberry.type(name="PassRenewal", description="A renewal (续费) of a pass.")
class PassRenewalType:
    id: strawberry.ID
    at: datetime
    periods: int
    amount_fen: Fen
    method: str
    previous_ends_at: datetime
    new_ends_at: datetime


@strawberry.type(name="Pass", description="A pass held by one vehicle or one vehicle group.")
class PassType:
    id: strawberry.ID
    lot_id: strawberry.Private[int]
    product_id: strawberry.Private[int]
    vehicle_id: strawberry.Private[int | None]
    group_id: strawberry.Private[int | None]
    starts_at: datetime
    ends_at: datetime
    status: PassStatus

    @strawberry.field
    async def product(self, info: Info) -> PassProductType | None:
        return cast(PassProductType | None, await info.context.loaders.by_id(models.PassProduct).load(self.product_id))

    @strawberry.field
    async def vehicle(self, info: Info) -> VehicleType | None:
        if self.vehicle_id is None:
            return None
        return cast(VehicleType | None, await info.context.loaders.by_id(models.Vehicle).load(self.vehicle_id))

    @strawberry.field
    async def group(self, info: Info) -> VehicleGroupType | None:
        if self.group_id is None:
            return None
        return cast(VehicleGroupType | None, await info.context.loaders.by_id(models.VehicleGroup).load(self.group_id))

    @strawberry.field
    async def renewals(self, info: Info) -> list[PassRenewalType]:
        rows = await info.context.loaders.children(models.PassRenewal, "pass_id").load(int(self.id))
        return cast(list[PassRenewalType], rows)
