"""Scope containment between principals: which operators, roles and API keys an actor may act on.

An actor (an operator or an API key) may update, deactivate, delete, revoke, reset or re-role only a
principal whose scope lies within its own and whose permissions it holds itself: otherwise a key limited to
one lot could reset the password of a customer-wide operator and log in as it, or an operator could take
over a peer that holds more than it does. Rows outside the actor's tenant are already invisible (NotFound);
these rules refuse what is visible but wider.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.accounts.auth import operator_permissions, scope_lot_ids
from parking.accounts.models import ApiKey, Operator, Role, operator_lots
from parking.common.actor import Actor
from parking.common.errors import DomainError, ErrorCode
from parking.common.scope import Scope, ScopeLevel

# Core tables: a target's role or fellow holders may lie outside the actor's scope, and must still be
# counted (the ORM scope filter would hide them and make a wider principal look contained).
_roles = Role.__table__
_operators = Operator.__table__


def contains(actor: Actor, scope: Scope, permissions: Iterable[str]) -> bool:
    """Whether ``actor`` holds every permission of a principal with ``scope`` and covers that scope."""
    if actor.scope.system:
        return True
    return actor.scope.narrower_or_equal(scope) and set(permissions) <= actor.permissions


def require_contained(actor: Actor, scope: Scope, permissions: Iterable[str], what: str) -> None:
    if not contains(actor, scope, permissions):
        raise DomainError(
            ErrorCode.PERMISSION_DENIED, f"this {what} has a wider scope or more permissions than you", "id"
        )


def require_grantable(actor: Actor, permissions: Iterable[str], field: str = "permissions") -> None:
    """An actor grants only what it holds."""
    if actor.scope.system:
        return
    beyond = sorted(set(permissions) - actor.permissions)
    if beyond:
        raise DomainError(ErrorCode.PERMISSION_DENIED, f"cannot grant what you do not hold: {', '.join(beyond)}", field)


async def role_permissions(session: AsyncSession, role_id: int) -> list[str]:
    permissions = await session.scalar(select(_roles.c.permissions).where(_roles.c.id == role_id))
    return list(permissions or [])


async def operator_scope(session: AsyncSession, operator: Operator) -> Scope:
    return operator.scope(await scope_lot_ids(session, operator))


async def require_operator_contained(session: AsyncSession, actor: Actor, operator: Operator) -> None:
    scope = await operator_scope(session, operator)
    permissions = operator_permissions(operator, await role_permissions(session, operator.role_id))
    require_contained(actor, scope, permissions, "operator")


def role_scope(role: Role) -> Scope:
    return Scope(role.scope_level, role.agent_id, role.customer_id)


async def require_role_contained(session: AsyncSession, actor: Actor, role: Role) -> None:
    """A role changes every operator holding it: the role and each of its holders must be inside the actor."""
    require_contained(actor, role_scope(role), role.permissions, "role")
    if actor.scope.system:
        return
    holders = (
        await session.execute(
            select(_operators.c.id, _operators.c.scope_level, _operators.c.agent_id, _operators.c.customer_id).where(
                _operators.c.role_id == role.id
            )
        )
    ).all()
    lot_holders = [row[0] for row in holders if ScopeLevel(row[1]) is ScopeLevel.LOT]
    lots: dict[int, set[int]] = {operator_id: set() for operator_id in lot_holders}
    if lot_holders:
        rows = await session.execute(
            select(operator_lots.c.operator_id, operator_lots.c.lot_id).where(
                operator_lots.c.operator_id.in_(lot_holders)
            )
        )
        for operator_id, lot_id in rows.all():
            lots[operator_id].add(lot_id)
    for operator_id, level, agent_id, customer_id in holders:
        scope = Scope(ScopeLevel(level), agent_id, customer_id, frozenset(lots.get(operator_id, ())))
        if not actor.scope.narrower_or_equal(scope):
            raise DomainError(ErrorCode.PERMISSION_DENIED, "this role is held by operators outside your scope", "id")


def api_key_scope(api_key: ApiKey) -> Scope:
    return Scope(api_key.scope_level, api_key.agent_id, api_key.customer_id, frozenset(api_key.lot_ids))


def require_api_key_contained(actor: Actor, api_key: ApiKey) -> None:
    require_contained(actor, api_key_scope(api_key), api_key.permissions, "API key")
