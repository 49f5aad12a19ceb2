"""Direct database reads for API tests: row counts, rereads and audit entries, bypassing the API."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import func, select

from parking.accounts.auth import issue_token
from parking.accounts.models import Operator, Role
from parking.accounts.permissions import ALL_PERMISSIONS
from parking.common.audit import AuditEntry
from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.scope import Scope, ScopeLevel
from tests.factories import PASSWORD_HASH, SECRET

M = TypeVar("M")


async def count(db: Database, model: Any) -> int:
    async with db.transaction(Scope.internal()) as s:
        return int(await s.scalar(select(func.count()).select_from(model)) or 0)


async def reread(db: Database, model: type[M], row_id: int | str) -> M | None:
    async with db.transaction(Scope.internal()) as s:
        return await s.get(model, int(row_id))


async def rows(db: Database, model: type[M]) -> list[M]:
    """Every row of an unscoped table, by id."""
    async with db.transaction(Scope.internal()) as s:
        return list(await s.scalars(select(model).order_by(model.id)))  # type: ignore[attr-defined]


async def audits(db: Database) -> list[AuditEntry]:
    async with db.transaction(Scope.internal()) as s:
        return list(await s.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def code_of(body: dict[str, Any]) -> str:
    """The extensions code of the first GraphQL error."""
    errors = body.get("errors") or []
    assert errors, body
    return str(errors[0].get("extensions", {}).get("code"))


async def dump(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, to show that a refused request changed nothing at all."""
    from parking.models import Base

    out: dict[str, list[tuple[Any, ...]]] = {}
    async with db.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            rows = await conn.execute(select(table).order_by(*table.primary_key.columns))
            out[table.name] = [tuple(r) for r in rows]
    return out


async def operators_lacking(db: Database, needs: set[frozenset[str]]) -> dict[frozenset[str], str]:
    """For each set of permissions, a platform operator whose role holds every other permission: its token."""
    tokens: dict[frozenset[str], str] = {}
    async with db.transaction(Scope.internal()) as s:
        for i, missing in enumerate(sorted(needs, key=sorted)):
            role = Role(
                name=f"lacks{i}",  # the name column is short; what it lacks is in the permissions
                permissions=sorted(ALL_PERMISSIONS - missing),
                scope_level=ScopeLevel.PLATFORM,
            )
            s.add(role)
            await s.flush()
            operator = Operator(
                username=f"lacks{i}",
                password_hash=PASSWORD_HASH,
                role_id=role.id,
                scope_level=ScopeLevel.PLATFORM,
            )
            s.add(operator)
            await s.flush()
            tokens[missing] = issue_token(SECRET, operator, utcnow(), 3600)
    return tokens
