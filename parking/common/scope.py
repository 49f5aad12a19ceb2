"""Tenant isolation in one place: every ORM query is filtered by the acting operator's scope.

An operator belongs to the platform, an agent (代理商), a customer (客户, under an agent) or a set of lots.
Scoped tables carry denormalised ``agent_id``/``customer_id``/``lot_id`` columns (the tenancy tables expose
their own id under those names as synonyms), so one ``with_loader_criteria`` per level filters every
query, including relationship loads and dataloaders, without joins. A session with no scope set refuses to
run ORM queries: forgetting the scope fails closed.

A merchant's operator (商户) is a lot-level scope over the merchant's lots with ``merchant_id`` set: every
table that names a merchant (``MerchantScoped``) is further filtered to that merchant's rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from typing import Any

from sqlalchemy import event, literal_column
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

SCOPE_KEY = "parkcloud.scope"


class ScopeLevel(StrEnum):
    PLATFORM = "platform"
    AGENT = "agent"
    CUSTOMER = "customer"
    LOT = "lot"


@dataclass(frozen=True)
class Scope:
    level: ScopeLevel
    agent_id: int | None = None
    customer_id: int | None = None
    lot_ids: frozenset[int] = field(default_factory=frozenset)
    # System scope: internal use-cases (lane flow, workers, demo loader) that act for no operator.
    system: bool = False
    # A merchant's operator: sees that merchant's rows only (and its lots' rows that name no merchant).
    merchant_id: int | None = None

    @classmethod
    def platform(cls) -> Scope:
        return cls(ScopeLevel.PLATFORM)

    @classmethod
    def internal(cls) -> Scope:
        return cls(ScopeLevel.PLATFORM, system=True)

    @property
    def sees_unowned(self) -> bool:
        """Whether rows that belong to no tenant (pushes from unknown serials, bill lines about money no lot of
        ours knows) are visible: to platform operators only."""
        return self.level is ScopeLevel.PLATFORM

    def covers(self, *, agent_id: int | None, customer_id: int | None = None, lot_id: int | None = None) -> bool:
        """Whether a row owned by the given tenant ids lies inside this scope."""
        if self.level is ScopeLevel.PLATFORM:
            return True
        if agent_id != self.agent_id:
            return False
        if self.level is ScopeLevel.AGENT:
            return True
        if customer_id != self.customer_id:
            return False
        if self.level is ScopeLevel.CUSTOMER:
            return True
        return lot_id in self.lot_ids

    def narrower_or_equal(self, other: Scope) -> bool:
        """Whether ``other`` lies inside this scope (an operator may only grant what it holds)."""
        if self.merchant_id is not None and other.merchant_id != self.merchant_id:
            return False
        if self.level is ScopeLevel.PLATFORM:
            return True
        if other.level is ScopeLevel.PLATFORM or other.agent_id != self.agent_id:
            return False
        if self.level is ScopeLevel.AGENT:
            return True
        if other.level is ScopeLevel.AGENT or other.customer_id != self.customer_id:
            return False
        if self.level is ScopeLevel.CUSTOMER:
            return True
        return other.level is ScopeLevel.LOT and other.lot_ids <= self.lot_ids


class _StandIn:
    """What a scope lambda sees when SQLAlchemy first analyses it against the mixin class itself.

    with_loader_criteria calls its lambda once with the mixin to learn the expression's shape; every mapped
    subclass overrides these names with real columns. A plain object (not an SQL expression) keeps
    declarative from mistaking it for a column to map.
    """

    def __init__(self, name: str) -> None:
        self.name = name

    def __eq__(self, other: object) -> Any:
        return literal_column(self.name) == other

    def __hash__(self) -> int:
        return hash(self.name)

    def in_(self, values: Any) -> Any:
        return literal_column(self.name).in_(values)


class AgentScoped:
    """Rows that belong to one agent (``agent_id``)."""

    agent_id: Any = _StandIn("agent_id")


class CustomerScoped(AgentScoped):
    """Rows that belong to one customer (``customer_id``) of an agent."""

    customer_id: Any = _StandIn("customer_id")


class LotScoped(CustomerScoped):
    """Rows that belong to one lot (``lot_id``)."""

    lot_id: Any = _StandIn("lot_id")


class MerchantScoped:
    """Rows that belong to one merchant (``merchant_id``; the merchants table's own id under that name)."""

    merchant_id: Any = _StandIn("merchant_id")


class ScopeMissing(RuntimeError):
    pass


def scope_of(session: Session) -> Scope:
    scope = session.info.get(SCOPE_KEY)
    if not isinstance(scope, Scope):
        raise ScopeMissing("ORM session has no tenant scope: set one with set_scope()")
    return scope


def set_scope(session: Session, scope: Scope) -> None:
    session.info[SCOPE_KEY] = scope


# Built once per scope, not per statement (about 200 Python calls each time, a seventh of a small scoped read): a
# scope is immutable and hashable, and the options hold nothing but its values.
@lru_cache(maxsize=1024)
def _criteria(scope: Scope) -> tuple[Any, ...]:
    if scope.level is ScopeLevel.PLATFORM and scope.merchant_id is None:
        return ()
    if scope.level is ScopeLevel.PLATFORM:
        # A merchant scope is always lot-level (see merchant operators); refuse to widen one by mistake.
        raise ScopeMissing("a merchant scope must be lot-level")
    agent_id = scope.agent_id
    options: list[Any] = [with_loader_criteria(AgentScoped, lambda cls: cls.agent_id == agent_id, include_aliases=True)]
    if scope.level in (ScopeLevel.CUSTOMER, ScopeLevel.LOT):
        customer_id = scope.customer_id
        options.append(
            with_loader_criteria(CustomerScoped, lambda cls: cls.customer_id == customer_id, include_aliases=True)
        )
    if scope.level is ScopeLevel.LOT:
        lot_ids = sorted(scope.lot_ids)
        options.append(with_loader_criteria(LotScoped, lambda cls: cls.lot_id.in_(lot_ids), include_aliases=True))
    if scope.merchant_id is not None:
        merchant_id = scope.merchant_id
        options.append(
            with_loader_criteria(MerchantScoped, lambda cls: cls.merchant_id == merchant_id, include_aliases=True)
        )
    return tuple(options)


@event.listens_for(Session, "do_orm_execute")
def _apply_scope(state: ORMExecuteState) -> None:
    if not (state.is_select or state.is_update or state.is_delete):
        return
    scope = scope_of(state.session)
    # Relationship and column loads inherit the criteria from the statement that loaded their parent.
    if state.is_select and (state.is_column_load or state.is_relationship_load):
        return
    options = _criteria(scope)
    if options:
        state.statement = state.statement.options(*options)
