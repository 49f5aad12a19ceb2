"""Accounts use-cases: roles, operators and API keys, never granting more than the actor holds."""

from __future__ import annotations

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.accounts import inputs
from parking.accounts.auth import hash_password, new_api_key
from parking.accounts.containment import (
    require_api_key_contained,
    require_grantable,
    require_operator_contained,
    require_role_contained,
)
from parking.accounts.models import ApiKey, Operator, Role, operator_lots
from parking.common import crud
from parking.common.actor import Actor
from parking.common.db import utcnow
from parking.common.errors import DomainError, ErrorCode
from parking.common.scope import Scope, ScopeLevel
from parking.tenancy.models import Agent, Customer, Lot


async def resolve_scope(session: AsyncSession, actor: Actor, data: inputs.ScopeInput) -> Scope:
    """Turn a requested scope into checked ids: every tenant named must be visible to the actor."""
    level = data.level
    if level is ScopeLevel.PLATFORM:
        scope = Scope.platform()
    elif level is ScopeLevel.AGENT:
        if data.agent_id is None:
            raise DomainError(ErrorCode.INVALID, "an agent scope needs agentId", "scope.agentId")
        agent = await crud.get(session, Agent, data.agent_id, "scope.agentId")
        scope = Scope(level, agent.id)
    else:
        if data.customer_id is None:
            raise DomainError(ErrorCode.INVALID, "this scope needs customerId", "scope.customerId")
        customer = await crud.get(session, Customer, data.customer_id, "scope.customerId")
        lot_ids: frozenset[int] = frozenset()
        if level is ScopeLevel.LOT:
            if not data.lot_ids:
                raise DomainError(ErrorCode.INVALID, "a lot scope needs lotIds", "scope.lotIds")
            wanted = {crud.parse_id(i, "scope.lotIds") for i in data.lot_ids}
            found = set(await session.scalars(select(Lot.id).where(Lot.id.in_(wanted), Lot.customer_id == customer.id)))
            if found != wanted:
                raise DomainError(ErrorCode.NOT_FOUND, "lot not found", "scope.lotIds")
            lot_ids = frozenset(found)
        scope = Scope(level, customer.agent_id, customer.id, lot_ids)
    if not actor.scope.narrower_or_equal(scope):
        raise DomainError(ErrorCode.PERMISSION_DENIED, "cannot grant a scope wider than yours", "scope")
    return scope


def _owner_columns(actor: Actor) -> dict[str, object]:
    # A role or key belongs to the tenant of whoever creates it, so it stays inside that tenant's scope.
    scope = actor.scope
    level = ScopeLevel.CUSTOMER if scope.level is ScopeLevel.LOT else scope.level
    return {"scope_level": level, "agent_id": scope.agent_id, "customer_id": scope.customer_id}


async def create_role(session: AsyncSession, actor: Actor, data: inputs.RoleCreate) -> Role:
    require_grantable(actor, data.permissions)
    role = Role(name=data.name, description=data.description, permissions=data.permissions, **_owner_columns(actor))
    return await crud.create(session, actor, role)


async def update_role(session: AsyncSession, actor: Actor, role_id: str, data: inputs.RoleUpdate) -> Role:
    role = await crud.get(session, Role, role_id)
    await require_role_contained(session, actor, role)
    changes = crud.changes_of(data)
    if "permissions" in changes:
        require_grantable(actor, changes["permissions"])
    return await crud.update(session, actor, role, changes)


async def delete_role(session: AsyncSession, actor: Actor, role_id: str) -> int:
    role = await crud.get(session, Role, role_id)
    await require_role_contained(session, actor, role)
    return await crud.delete(session, actor, role)


async def create_operator(session: AsyncSession, actor: Actor, data: inputs.OperatorCreate) -> Operator:
    role = await crud.get(session, Role, data.role_id, "roleId")
    require_grantable(actor, role.permissions, "roleId")
    scope = await resolve_scope(session, actor, data.scope)
    operator = Operator(
        username=data.username,
        display_name=data.display_name or data.username,
        phone=data.phone,
        password_hash=hash_password(data.password),
        role_id=role.id,
        scope_level=scope.level,
        agent_id=scope.agent_id,
        customer_id=scope.customer_id,
    )
    operator = await crud.create(session, actor, operator)
    if scope.lot_ids:
        await session.execute(
            insert(operator_lots),
            [{"operator_id": operator.id, "lot_id": lot_id} for lot_id in sorted(scope.lot_ids)],
        )
    return operator


async def update_operator(
    session: AsyncSession, actor: Actor, operator_id: str, data: inputs.OperatorUpdate
) -> Operator:
    operator = await crud.get(session, Operator, operator_id)
    await require_operator_contained(session, actor, operator)
    changes = crud.changes_of(data, exclude=frozenset({"password", "role_id"}))
    if data.role_id is not None:
        role = await crud.get(session, Role, data.role_id, "roleId")
        require_grantable(actor, role.permissions, "roleId")
        changes["role_id"] = role.id
    if data.password is not None:
        changes["password_hash"] = hash_password(data.password)
    if data.password is not None or data.is_active is False:
        # Outstanding tokens die with the old password or the deactivation.
        changes["token_version"] = operator.token_version + 1
    return await crud.update(session, actor, operator, changes)


async def delete_operator(session: AsyncSession, actor: Actor, operator_id: str) -> int:
    operator = await crud.get(session, Operator, operator_id)
    if operator.id == actor.operator_id:
        raise DomainError(ErrorCode.INVALID, "you cannot delete yourself", "id")
    await require_operator_contained(session, actor, operator)
    await session.execute(delete(operator_lots).where(operator_lots.c.operator_id == operator.id))
    return await crud.delete(session, actor, operator)


async def create_api_key(session: AsyncSession, actor: Actor, data: inputs.ApiKeyCreate) -> tuple[ApiKey, str]:
    require_grantable(actor, data.permissions)
    scope = await resolve_scope(session, actor, data.scope)
    key, prefix, key_hash = new_api_key()
    api_key = ApiKey(
        name=data.name,
        prefix=prefix,
        key_hash=key_hash,
        permissions=data.permissions,
        lot_ids=sorted(scope.lot_ids),
        created_by_id=actor.operator_id,
        scope_level=scope.level,
        agent_id=scope.agent_id,
        customer_id=scope.customer_id,
    )
    return await crud.create(session, actor, api_key), key


async def revoke_api_key(session: AsyncSession, actor: Actor, key_id: str) -> ApiKey:
    api_key = await crud.get(session, ApiKey, key_id)
    require_api_key_contained(actor, api_key)
    if api_key.revoked_at is not None:
        raise DomainError(ErrorCode.CONFLICT, "key already revoked", "id")
    return await crud.update(session, actor, api_key, {"revoked_at": utcnow()})


async def lots_of_operator(session: AsyncSession, operator_id: int) -> list[Lot]:
    """The lots of a lot-scoped operator that the session's scope can see, by id."""
    rows = await session.scalars(
        select(Lot)
        .join(operator_lots, operator_lots.c.lot_id == Lot.id)
        .where(operator_lots.c.operator_id == operator_id)
        .order_by(Lot.id)
    )
    return list(rows)
