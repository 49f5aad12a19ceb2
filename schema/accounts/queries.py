"""Accounts queries: me, operators, roles, API keys, the audit log, the permission catalogue."""

from __future__ import annotations

from datetime import datetime
from typing import cast

import strawberry
from sqlalchemy import ColumnElement

from parking.accounts import models
from parking.accounts.permissions import Perm
from parking.common.audit import AuditEntry
from parking.common.crud import parse_id
from schema.accounts.types import (
    ApiKeyType,
    AuditEntryType,
    Me,
    OperatorType,
    PermissionMenu,
    RoleType,
    permission_menus,
)
from schema.core.context import Info
from schema.core.listing import list_page
from schema.core.pagination import Connection, SortDirection
from schema.core.permissions import describe, requires


@strawberry.input
class OperatorFilter:
    search: str | None = None
    role_id: strawberry.ID | None = None
    is_active: bool | None = None


@strawberry.input
class AuditFilter:
    operator_id: strawberry.ID | None = None
    action: str | None = None
    entity: str | None = None
    entity_id: strawberry.ID | None = None
    lot_id: strawberry.ID | None = None
    since: datetime | None = None
    until: datetime | None = None


@strawberry.type
class AccountsQuery:
    @strawberry.field(description="The signed-in operator or API key; null when not signed in.")
    def me(self, info: Info) -> Me | None:
        actor = info.context.actor
        if actor is None:
            return None
        scope = actor.scope
        return Me(
            name=actor.name,
            permissions=sorted(actor.permissions),
            scope_level=scope.level,
            agent_id=None if scope.agent_id is None else strawberry.ID(str(scope.agent_id)),
            customer_id=None if scope.customer_id is None else strawberry.ID(str(scope.customer_id)),
            lot_ids=[strawberry.ID(str(i)) for i in sorted(scope.lot_ids)],
            merchant_id=None if scope.merchant_id is None else strawberry.ID(str(scope.merchant_id)),
        )

    @strawberry.field(description="Every permission, grouped by dashboard menu.")
    def permission_catalogue(self) -> list[PermissionMenu]:
        return permission_menus()

    @strawberry.field(extensions=requires(Perm.OPERATORS_VIEW), description=describe("Operators.", Perm.OPERATORS_VIEW))
    async def operators(
        self, info: Info, filter: OperatorFilter | None = None, first: int = 50, after: str | None = None
    ) -> Connection[OperatorType]:
        f = filter or OperatorFilter()
        where: list[ColumnElement[bool]] = []
        if f.search:
            where.append(models.Operator.username.contains(f.search.strip(), autoescape=True))
        if f.role_id is not None:
            where.append(models.Operator.role_id == parse_id(f.role_id, "roleId"))
        if f.is_active is not None:
            where.append(models.Operator.is_active.is_(f.is_active))
        page = await list_page(info, models.Operator, where, models.Operator.username, SortDirection.ASC, first, after)
        return cast(Connection[OperatorType], page)

    @strawberry.field(extensions=requires(Perm.OPERATORS_VIEW), description=describe("Roles.", Perm.OPERATORS_VIEW))
    async def roles(self, info: Info, first: int = 50, after: str | None = None) -> Connection[RoleType]:
        page = await list_page(info, models.Role, [], models.Role.name, SortDirection.ASC, first, after)
        return cast(Connection[RoleType], page)

    @strawberry.field(
        extensions=requires(Perm.API_KEYS_MANAGE),
        description=describe("Partner API keys.", Perm.API_KEYS_MANAGE),
    )
    async def api_keys(self, info: Info, first: int = 50, after: str | None = None) -> Connection[ApiKeyType]:
        page = await list_page(info, models.ApiKey, [], models.ApiKey.id, SortDirection.DESC, first, after)
        return cast(Connection[ApiKeyType], page)

    @strawberry.field(
        extensions=requires(Perm.AUDIT_VIEW),
        description=describe("The operator audit log, newest first.", Perm.AUDIT_VIEW),
    )
    async def audit_log(
        self, info: Info, filter: AuditFilter | None = None, first: int = 50, after: str | None = None
    ) -> Connection[AuditEntryType]:
        f = filter or AuditFilter()
        m = AuditEntry
        where: list[ColumnElement[bool]] = []
        if f.operator_id is not None:
            where.append(m.operator_id == parse_id(f.operator_id, "operatorId"))
        if f.action:
            where.append(m.action == f.action)
        if f.entity:
            where.append(m.entity == f.entity)
        if f.entity_id is not None:
            where.append(m.entity_id == parse_id(f.entity_id, "entityId"))
        if f.lot_id is not None:
            where.append(m.lot_id == parse_id(f.lot_id, "lotId"))
        if f.since is not None:
            where.append(m.at >= f.since)
        if f.until is not None:
            where.append(m.at < f.until)
        page = await list_page(info, m, where, m.id, SortDirection.DESC, first, after)
        return cast(Connection[AuditEntryType], page)
