"""The operator audit log: every change records who, what, when, from where, before and after."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import Enum
from typing import Any

from sqlalchemy import ForeignKey, String, inspect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from parking.common.actor import Actor
from parking.common.db import Base, BigId, IdMixin, Json, utcnow
from parking.common.scope import LotScoped


class AuditEntry(IdMixin, LotScoped, Base):
    """Who did what, when, from where, with the record before and after."""

    __tablename__ = "audit_entries"

    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    operator_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("operators.id"), index=True, default=None)
    api_key_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("api_keys.id"), default=None)
    actor_name: Mapped[str] = mapped_column(String(50), default="")
    action: Mapped[str] = mapped_column(String(64), index=True)
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int | None] = mapped_column(BigId, default=None)
    agent_id: Mapped[int | None] = mapped_column(BigId, index=True, default=None)
    customer_id: Mapped[int | None] = mapped_column(BigId, index=True, default=None)
    lot_id: Mapped[int | None] = mapped_column(BigId, index=True, default=None)
    ip: Mapped[str] = mapped_column(String(64), default="")
    request_id: Mapped[str] = mapped_column(String(64), default="")
    before: Mapped[dict[str, Any] | None] = mapped_column(Json, default=None)
    after: Mapped[dict[str, Any] | None] = mapped_column(Json, default=None)


# Never copied into the log, whatever the table.
_SECRET_COLUMNS = frozenset({"password_hash", "key_hash", "secret_hash", "invite_code"})
# Nor the secrets inside a JSON column (a device config's camera password).
_SECRET_KEYS = frozenset({"password", "community"})


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {k: "***" if k in _SECRET_KEYS and v else _plain(v) for k, v in value.items()}
    return value


def snapshot(obj: Base | None) -> dict[str, Any] | None:
    if obj is None:
        return None
    mapper = inspect(obj).mapper
    return {col.key: _plain(getattr(obj, col.key)) for col in mapper.column_attrs if col.key not in _SECRET_COLUMNS}


def entry_values(
    actor: Actor,
    action: str,
    entity: str,
    *,
    entity_id: int | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    tenant: object | None = None,
) -> dict[str, Any]:
    """An audit entry's columns (all but its id); ``tenant`` is the row whose agent/customer/lot ids scope who may
    read the entry. For a hot path that writes the entry with Core instead of adding an ``AuditEntry``."""
    return {
        "at": utcnow(),
        "operator_id": actor.operator_id,
        "api_key_id": actor.api_key_id,
        "actor_name": actor.name,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "agent_id": getattr(tenant, "agent_id", None),
        "customer_id": getattr(tenant, "customer_id", None),
        "lot_id": getattr(tenant, "lot_id", None),
        "ip": actor.ip,
        "request_id": actor.request_id,
        "before": before,
        "after": after,
    }


def record(
    session: AsyncSession,
    actor: Actor,
    action: str,
    entity: str,
    *,
    entity_id: int | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    tenant: Base | None = None,
) -> AuditEntry:
    """Add an audit entry; ``tenant`` is the row whose agent/customer/lot ids scope who may read the entry."""
    entry = AuditEntry(
        **entry_values(actor, action, entity, entity_id=entity_id, before=before, after=after, tenant=tenant)
    )
    session.add(entry)
    return entry
