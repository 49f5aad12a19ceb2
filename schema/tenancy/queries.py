"""Tenancy queries: scoped lists with filters, sorting and keyset pages, and lookups by id."""

from __future__ import annotations

from enum import Enum
from typing import Any, cast

import strawberry
from sqlalchemy import ColumnElement

from parking.accounts.permissions import Perm
from parking.tenancy import models
from parking.tenancy.enums import LaneDirection
from schema.core import filters as flt
from schema.core.context import Info
from schema.core.listing import ids, list_page, load_one
from schema.core.pagination import Connection, SortDirection
from schema.core.permissions import describe, requires
from schema.tenancy.types import AgentType, CustomerType, LaneType, LotType


@strawberry.enum
class TenantSortField(Enum):
    NAME = "name"
    CREATED_AT = "created_at"


@strawberry.input
class AgentFilter:
    ids: list[strawberry.ID] | None = None
    search: str | None = None
    is_active: bool | None = None


@strawberry.input
class CustomerFilter:
    ids: list[strawberry.ID] | None = None
    agent_id: strawberry.ID | None = None
    search: str | None = None
    is_active: bool | None = None


@strawberry.input
class LotFilter:
    ids: list[strawberry.ID] | None = None
    agent_id: strawberry.ID | None = None
    customer_id: strawberry.ID | None = None
    search: str | None = None
    is_active: bool | None = None


@strawberry.input
class LaneFilter:
    lot_id: strawberry.ID | None = None
    direction: LaneDirection | None = None


def _common(model: Any, filter_ids: list[strawberry.ID] | None, search: str | None) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if (wanted := ids(cast(list[Any] | None, filter_ids))) is not None:
        where.append(model.id.in_(wanted))
    if search:
        where.append(model.name.contains(search.strip(), autoescape=True))
    return where


@strawberry.type
class TenancyQuery:
    @strawberry.field(extensions=requires(Perm.AGENTS_VIEW), description=describe("Agents.", Perm.AGENTS_VIEW))
    async def agents(
        self,
        info: Info,
        filter: AgentFilter | None = None,
        sort: TenantSortField = TenantSortField.NAME,
        direction: SortDirection = SortDirection.ASC,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[AgentType]:
        f = filter or AgentFilter()
        where = _common(models.Agent, f.ids, f.search)
        if f.is_active is not None:
            where.append(models.Agent.is_active.is_(f.is_active))
        sort_col = getattr(models.Agent, sort.value)
        return cast(
            Connection[AgentType],
            await list_page(info, models.Agent, where, sort_col, direction, first, after),
        )

    @strawberry.field(extensions=requires(Perm.AGENTS_VIEW), description=describe("One agent.", Perm.AGENTS_VIEW))
    async def agent(self, info: Info, id: strawberry.ID) -> AgentType | None:
        return cast(AgentType | None, await load_one(info, models.Agent, id))

    @strawberry.field(extensions=requires(Perm.CUSTOMERS_VIEW), description=describe("Customers.", Perm.CUSTOMERS_VIEW))
    async def customers(
        self,
        info: Info,
        filter: CustomerFilter | None = None,
        sort: TenantSortField = TenantSortField.NAME,
        direction: SortDirection = SortDirection.ASC,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[CustomerType]:
        f = filter or CustomerFilter()
        where = _common(models.Customer, f.ids, f.search)
        flt.equal_id(where, models.Customer.agent_id, f.agent_id, "agentId")
        if f.is_active is not None:
            where.append(models.Customer.is_active.is_(f.is_active))
        sort_col = getattr(models.Customer, sort.value)
        page = await list_page(info, models.Customer, where, sort_col, direction, first, after)
        return cast(Connection[CustomerType], page)

    @strawberry.field(
        extensions=requires(Perm.CUSTOMERS_VIEW), description=describe("One customer.", Perm.CUSTOMERS_VIEW)
    )
    async def customer(self, info: Info, id: strawberry.ID) -> CustomerType | None:
        return cast(CustomerType | None, await load_one(info, models.Customer, id))

    @strawberry.field(extensions=requires(Perm.LOTS_VIEW), description=describe("Lots.", Perm.LOTS_VIEW))
    async def lots(
        self,
        info: Info,
        filter: LotFilter | None = None,
        sort: TenantSortField = TenantSortField.NAME,
        direction: SortDirection = SortDirection.ASC,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[LotType]:
        f = filter or LotFilter()
        where = _common(models.Lot, f.ids, f.search)
        flt.equal_id(where, models.Lot.agent_id, f.agent_id, "agentId")
        flt.equal_id(where, models.Lot.customer_id, f.customer_id, "customerId")
        if f.is_active is not None:
            where.append(models.Lot.is_active.is_(f.is_active))
        sort_col = getattr(models.Lot, sort.value)
        return cast(Connection[LotType], await list_page(info, models.Lot, where, sort_col, direction, first, after))

    @strawberry.field(extensions=requires(Perm.LOTS_VIEW), description=describe("One lot.", Perm.LOTS_VIEW))
    async def lot(self, info: Info, id: strawberry.ID) -> LotType | None:
        return cast(LotType | None, await load_one(info, models.Lot, id))

    @strawberry.field(extensions=requires(Perm.LOTS_VIEW), description=describe("Lanes.", Perm.LOTS_VIEW))
    async def lanes(
        self, info: Info, filter: LaneFilter | None = None, first: int = 50, after: str | None = None
    ) -> Connection[LaneType]:
        f = filter or LaneFilter()
        where: list[ColumnElement[bool]] = []
        flt.equal_id(where, models.Lane.lot_id, f.lot_id, "lotId")
        flt.equal(where, models.Lane.direction, f.direction)
        page = await list_page(info, models.Lane, where, models.Lane.id, SortDirection.ASC, first, after)
        return cast(Connection[LaneType], page)
