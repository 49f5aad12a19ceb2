"""Vehicles queries: scoped lists of owners, vehicles, groups, list entries, products and passes."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import cast

import strawberry
from sqlalchemy import ColumnElement

from parking.accounts.permissions import Perm
from parking.tenancy.enums import VehicleCategory
from parking.vehicles import models
from parking.vehicles.enums import PassStatus
from schema.core import filters as flt
from schema.core.context import Info
from schema.core.filters import aware
from schema.core.listing import list_page, load_one
from schema.core.pagination import Connection, SortDirection
from schema.core.permissions import describe, requires
from schema.vehicles.types import (
    ListEntryType,
    OwnerType,
    PassProductType,
    PassType,
    VehicleGroupType,
    VehicleType,
)

VIEW = requires(Perm.OWNERS_VIEW)


def _view(text: str) -> str:
    return describe(text, Perm.OWNERS_VIEW)


@strawberry.enum
class OwnerSortField(Enum):
    NAME = "name"
    CREATED_AT = "created_at"


@strawberry.input
class OwnerFilter:
    lot_id: strawberry.ID | None = None
    search: str | None = strawberry.field(default=None, description="Part of the name or phone.")


@strawberry.input
class VehicleFilter:
    lot_id: strawberry.ID | None = None
    owner_id: strawberry.ID | None = None
    group_id: strawberry.ID | None = None
    plate: str | None = strawberry.field(default=None, description="Part of a plate.")


@strawberry.input
class VehicleGroupFilter:
    lot_id: strawberry.ID | None = None
    owner_id: strawberry.ID | None = None


@strawberry.input
class ListEntryFilter:
    lot_id: strawberry.ID | None = None
    category: VehicleCategory | None = None
    plate: str | None = None
    valid_at: datetime | None = strawberry.field(default=None, description="Only entries valid at this instant.")


@strawberry.input
class PassProductFilter:
    lot_id: strawberry.ID | None = None
    is_active: bool | None = None


@strawberry.input
class PassFilter:
    lot_id: strawberry.ID | None = None
    vehicle_id: strawberry.ID | None = None
    group_id: strawberry.ID | None = None
    product_id: strawberry.ID | None = None
    status: PassStatus | None = None
    ends_before: datetime | None = strawberry.field(default=None, description="Passes ending before (to renew).")


@strawberry.type
class VehiclesQuery:
    @strawberry.field(extensions=VIEW, description=_view("Long-term owners."))
    async def owners(
        self,
        info: Info,
        filter: OwnerFilter | None = None,
        sort: OwnerSortField = OwnerSortField.NAME,
        direction: SortDirection = SortDirection.ASC,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[OwnerType]:
        f = filter or OwnerFilter()
        where: list[ColumnElement[bool]] = []
        flt.equal_id(where, models.Owner.lot_id, f.lot_id, "lotId")
        if f.search:
            term = f.search.strip()
            where.append(
                models.Owner.name.contains(term, autoescape=True) | models.Owner.phone.contains(term, autoescape=True)
            )
        sort_col = getattr(models.Owner, sort.value)
        page = await list_page(info, models.Owner, where, sort_col, direction, first, after)
        return cast(Connection[OwnerType], page)

    @strawberry.field(extensions=VIEW, description=_view("One owner."))
    async def owner(self, info: Info, id: strawberry.ID) -> OwnerType | None:
        return cast(OwnerType | None, await load_one(info, models.Owner, id))

    @strawberry.field(extensions=VIEW, description=_view("Registered vehicles, by plate."))
    async def vehicles(
        self,
        info: Info,
        filter: VehicleFilter | None = None,
        direction: SortDirection = SortDirection.ASC,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[VehicleType]:
        f = filter or VehicleFilter()
        where: list[ColumnElement[bool]] = []
        flt.equal_id(where, models.Vehicle.lot_id, f.lot_id, "lotId")
        flt.equal_id(where, models.Vehicle.owner_id, f.owner_id, "ownerId")
        flt.equal_id(where, models.Vehicle.group_id, f.group_id, "groupId")
        flt.plate(where, models.Vehicle.plate, f.plate)
        page = await list_page(info, models.Vehicle, where, models.Vehicle.plate, direction, first, after)
        return cast(Connection[VehicleType], page)

    @strawberry.field(extensions=VIEW, description=_view("One vehicle."))
    async def vehicle(self, info: Info, id: strawberry.ID) -> VehicleType | None:
        return cast(VehicleType | None, await load_one(info, models.Vehicle, id))

    @strawberry.field(extensions=VIEW, description=_view("Vehicle groups (一位多车)."))
    async def vehicle_groups(
        self, info: Info, filter: VehicleGroupFilter | None = None, first: int = 50, after: str | None = None
    ) -> Connection[VehicleGroupType]:
        f = filter or VehicleGroupFilter()
        where: list[ColumnElement[bool]] = []
        flt.equal_id(where, models.VehicleGroup.lot_id, f.lot_id, "lotId")
        flt.equal_id(where, models.VehicleGroup.owner_id, f.owner_id, "ownerId")
        m = models.VehicleGroup
        page = await list_page(info, m, where, m.name, SortDirection.ASC, first, after)
        return cast(Connection[VehicleGroupType], page)

    @strawberry.field(extensions=VIEW, description=_view("List entries (visitor, VIP, blacklist...)."))
    async def list_entries(
        self,
        info: Info,
        filter: ListEntryFilter | None = None,
        direction: SortDirection = SortDirection.DESC,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[ListEntryType]:
        f = filter or ListEntryFilter()
        m = models.ListEntry
        where: list[ColumnElement[bool]] = []
        flt.equal_id(where, m.lot_id, f.lot_id, "lotId")
        flt.equal(where, m.category, f.category)
        flt.plate(where, m.plate, f.plate)
        if f.valid_at is not None:
            at = aware(f.valid_at, "validAt")
            where.append(m.valid_from <= at)
            where.append(m.valid_until.is_(None) | (m.valid_until > at))
        page = await list_page(info, m, where, m.valid_from, direction, first, after)
        return cast(Connection[ListEntryType], page)

    @strawberry.field(extensions=VIEW, description=_view("Pass products."))
    async def pass_products(
        self, info: Info, filter: PassProductFilter | None = None, first: int = 50, after: str | None = None
    ) -> Connection[PassProductType]:
        f = filter or PassProductFilter()
        m = models.PassProduct
        where: list[ColumnElement[bool]] = []
        flt.equal_id(where, m.lot_id, f.lot_id, "lotId")
        if f.is_active is not None:
            where.append(m.is_active.is_(f.is_active))
        page = await list_page(info, m, where, m.name, SortDirection.ASC, first, after)
        return cast(Connection[PassProductType], page)

    @strawberry.field(extensions=VIEW, description=_view("Passes, by end date."))
    async def passes(
        self,
        info: Info,
        filter: PassFilter | None = None,
        direction: SortDirection = SortDirection.ASC,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[PassType]:
        f = filter or PassFilter()
        m = models.Pass
        where: list[ColumnElement[bool]] = []
        flt.equal_id(where, m.lot_id, f.lot_id, "lotId")
        flt.equal_id(where, m.vehicle_id, f.vehicle_id, "vehicleId")
        flt.equal_id(where, m.group_id, f.group_id, "groupId")
        flt.equal_id(where, m.product_id, f.product_id, "productId")
        flt.equal(where, m.status, f.status)
        if f.ends_before is not None:
            where.append(m.ends_at < aware(f.ends_before, "endsBefore"))
        page = await list_page(info, m, where, m.ends_at, direction, first, after)
        return cast(Connection[PassType], page)

    @strawberry.field(name="pass", extensions=VIEW, description=_view("One pass."))
    async def pass_(self, info: Info, id: strawberry.ID) -> PassType | None:
        return cast(PassType | None, await load_one(info, models.Pass, id))
