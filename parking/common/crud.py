"""Create, update and delete with scope checks, constraint errors translated, and an audit record each."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from parking.common.actor import Actor
from parking.common.audit import record, snapshot
from parking.common.db import Base
from parking.common.errors import DomainError, ErrorCode, NotFound

M = TypeVar("M", bound=Base)

# Ids are 64-bit (SQLite's INTEGER, PostgreSQL's BIGINT): anything larger names no row and cannot be bound.
MAX_ID = 2**63 - 1
_UNIQUE = re.compile(r"unique|duplicate", re.IGNORECASE)


def parse_id(raw: str | int, field: str = "id") -> int:
    try:
        value = int(raw)
    except (TypeError, ValueError) as err:
        raise DomainError(ErrorCode.INVALID, f"{field} is not a valid id", field) from err
    if not 0 < value <= MAX_ID:
        raise DomainError(ErrorCode.INVALID, f"{field} is not a valid id", field)
    return value


async def get(session: AsyncSession, model: type[M], raw_id: str | int, field: str = "id") -> M:
    """A row visible in the session's scope, or NotFound (rows of other tenants are indistinguishable)."""
    row = await session.get(model, parse_id(raw_id, field))
    if row is None:
        raise NotFound(model.__name__, field)
    return row


async def _flush(session: AsyncSession, entity: str) -> None:
    try:
        await session.flush()
    except IntegrityError as err:
        if _UNIQUE.search(str(err.orig)):
            raise DomainError(ErrorCode.DUPLICATE, f"such a {entity} already exists") from err
        raise DomainError(ErrorCode.CONFLICT, f"{entity} conflicts with existing data") from err


async def create(session: AsyncSession, actor: Actor, obj: M) -> M:
    entity = type(obj).__name__.lower()
    session.add(obj)
    await _flush(session, entity)
    record(session, actor, f"{entity}.create", entity, entity_id=obj.id, after=snapshot(obj), tenant=obj)  # type: ignore[attr-defined]
    return obj


def changes_of(data: BaseModel, exclude: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Fields given in an update input; None means 'leave as it is'."""
    return {k: v for k, v in data.model_dump().items() if v is not None and k not in exclude}


async def update(session: AsyncSession, actor: Actor, obj: M, changes: Mapping[str, Any]) -> M:
    entity = type(obj).__name__.lower()
    before = snapshot(obj)
    for key, value in changes.items():
        setattr(obj, key, value)
    await _flush(session, entity)
    record(
        session,
        actor,
        f"{entity}.update",
        entity,
        entity_id=obj.id,  # type: ignore[attr-defined]
        before=before,
        after=snapshot(obj),
        tenant=obj,
    )
    return obj


async def delete(session: AsyncSession, actor: Actor, obj: Base) -> int:
    entity = type(obj).__name__.lower()
    obj_id: int = obj.id  # type: ignore[attr-defined]
    before = snapshot(obj)
    await session.delete(obj)
    try:
        await session.flush()
    except IntegrityError as err:
        raise DomainError(ErrorCode.IN_USE, f"{entity} is still referenced and cannot be deleted") from err
    record(session, actor, f"{entity}.delete", entity, entity_id=obj_id, before=before, tenant=obj)
    return obj_id
