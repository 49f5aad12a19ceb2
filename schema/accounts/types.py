"""Accounts object types."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

import strawberry

from parking.accounts import models, service
from parking.accounts.permissions import MENUS
from parking.common.scope import ScopeLevel
from schema.core import enums as _enums  # noqa: F401
from schema.core.context import Info
from schema.tenancy.types import LotType


@strawberry.type(name="Role", description="A named set of permissions (menus and operations).")
class RoleType:
    id: strawberry.ID
    name: str
    description: str
    permissions: list[str]
    scope_level: ScopeLevel


@strawberry.type(name="Operator", description="A person who signs in to the dashboard.")
class OperatorType:
    id: strawberry.ID
    role_id: strawberry.Private[int]
    username: str
    display_name: str
    phone: str
    is_active: bool
    scope_level: ScopeLevel
    agent_id: strawberry.ID | None
    customer_id: strawberry.ID | None
    merchant_id: strawberry.ID | None = strawberry.field(
        description="A merchant's operator: the merchant it acts for (its scope is that merchant's rows)."
    )
    last_login_at: datetime | None
    locked_until: datetime | None = strawberry.field(
        deprecation_reason="Sign-ins are throttled per (username, address), never per account: always null."
    )
    created_at: datetime

    @strawberry.field
    async def role(self, info: Info) -> RoleType | None:
        return cast(RoleType | None, await info.context.loaders.by_id(models.Role).load(self.role_id))

    @strawberry.field(description="The lots of a lot-scoped operator.")
    async def lots(self, info: Info) -> list[LotType]:
        if self.scope_level is not ScopeLevel.LOT:
            return []
        return cast(list[LotType], await service.lots_of_operator(info.context.session, int(self.id)))


@strawberry.type(name="ApiKey", description="A partner API key; the secret is shown only when created.")
class ApiKeyType:
    id: strawberry.ID
    name: str
    prefix: str
    permissions: list[str]
    scope_level: ScopeLevel
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


@strawberry.type(name="AuditEntry", description="Who did what, when, from where, before and after.")
class AuditEntryType:
    id: strawberry.ID
    at: datetime
    actor_name: str
    action: str
    entity: str
    entity_id: strawberry.ID | None
    lot_id: strawberry.ID | None
    ip: str
    request_id: str
    before: strawberry.scalars.JSON | None
    after: strawberry.scalars.JSON | None


@strawberry.type(description="A dashboard menu and the permissions it groups.")
class PermissionMenu:
    menu: str
    permissions: list[str]


def permission_menus() -> list[PermissionMenu]:
    return [PermissionMenu(menu=name, permissions=[p.value for p in perms]) for name, perms in MENUS.items()]


@strawberry.type(description="The signed-in operator or API key.")
class Me:
    name: str
    permissions: list[str]
    scope_level: ScopeLevel
    agent_id: strawberry.ID | None
    customer_id: strawberry.ID | None
    lot_ids: list[strawberry.ID]
    merchant_id: strawberry.ID | None = strawberry.field(
        default=None, description="Set for a merchant's operator: the merchant it acts for."
    )

    @strawberry.field
    async def operator(self, info: Info) -> OperatorType | None:
        actor = info.context.actor
        if actor is None or actor.operator_id is None:
            return None
        row: Any = await info.context.loaders.by_id(models.Operator).load(actor.operator_id)
        return cast(OperatorType | None, row)
