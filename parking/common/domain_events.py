"""Domain events: the one way a transaction sets off work outside itself, run after it commits.

Code inside a transaction states what happened with ``emit(session, SomeEvent(...))``: a frozen dataclass of
ids and plain values, defined by the package the fact belongs to. Who reacts is not its business: the
composition root (the API app, a worker, a test's app) registers handlers per event type on the database's
``Handlers``, so a lower package never imports the ones that react to it (the lane flow announces a lane event;
recognition and payments listen).

Delivery keeps the guarantees the lane flow relies on: handlers run only after the commit, in the order the
events were emitted and, per event, in the order the handlers were registered; a rollback drops them; a
handler that fails is logged and never turns a committed request into a failed one. An event with no handler
costs nothing but the check. A handler is handed the database's ``Services`` (parking.common.services) to find
its collaborator, so a handler is a plain function and registering it twice changes nothing.

Not through here: per-process caches forgetting rows this process changed (parking.common.committed_changes).
SQLAlchemy tells them at the commit itself, for every session, before any other coroutine can read the cache;
that is an observer of the ORM, not work a transaction sets off.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from parking.common.services import Services, services_of

logger = logging.getLogger(__name__)

_HANDLERS_KEY = "parkcloud_handlers"
_PENDING_KEY = "parkcloud_pending_events"


@dataclass(frozen=True, slots=True)
class DomainEvent:
    """Base of every event: subclasses are frozen dataclasses naming what happened."""


E = TypeVar("E", bound=DomainEvent)
Handler = Callable[[E, Services], Awaitable[None]]
_AnyHandler = Callable[[Any, Services], Awaitable[None]]


class Handlers:
    """Which handlers react to which event type, in registration order; filled by the composition root."""

    def __init__(self) -> None:
        self._by_type: dict[type[DomainEvent], tuple[_AnyHandler, ...]] = {}

    def on(self, kind: type[E], handler: Handler[E]) -> None:
        """React to every committed ``kind`` (exactly that class) with ``handler``; registering again is a no-op."""
        registered = self._by_type.get(kind, ())
        if handler not in registered:
            self._by_type[kind] = (*registered, handler)

    def off(self, kind: type[E], handler: Handler[E]) -> None:
        remaining = tuple(h for h in self._by_type.get(kind, ()) if h != handler)
        if remaining:
            self._by_type[kind] = remaining
        else:
            self._by_type.pop(kind, None)

    def of(self, kind: type[DomainEvent]) -> tuple[_AnyHandler, ...]:
        return self._by_type.get(kind, ())


def attach_handlers(session: AsyncSession, handlers: Handlers) -> None:
    session.info[_HANDLERS_KEY] = handlers


def emit(session: AsyncSession, event: DomainEvent) -> bool:
    """Deliver ``event`` once the transaction ``session`` is in commits (never if it rolls back). Whether anything
    will react: the handlers registered now are the ones that will run."""
    handlers: Handlers | None = session.info.get(_HANDLERS_KEY)
    reacting = handlers.of(type(event)) if handlers is not None else ()
    if not reacting:
        return False
    session.info.setdefault(_PENDING_KEY, []).append((event, reacting))
    return True


def pending(session: AsyncSession, kind: type[E]) -> list[E]:
    """The ``kind`` events (exactly that class) the open transaction emitted so far, in order: what the database
    writes to its outbox before the commit (parking.common.outbox)."""
    queued: list[tuple[DomainEvent, tuple[_AnyHandler, ...]]] = session.info.get(_PENDING_KEY, [])
    return [event for event, _ in queued if type(event) is kind]


async def deliver(session: AsyncSession) -> None:
    """Run the handlers of the events the committed transaction emitted."""
    pending: list[tuple[DomainEvent, tuple[_AnyHandler, ...]]] = session.info.pop(_PENDING_KEY, [])
    if not pending:
        return
    services = services_of(session)
    for event, handlers in pending:
        for handler in handlers:
            try:
                await handler(event, services)
            except Exception:
                # The data is committed; a failed side effect is logged, never turned into a failed request.
                logger.exception("after-commit handler of %s failed", type(event).__name__)


def discard(session: AsyncSession) -> None:
    """Forget what a rolled-back transaction emitted."""
    session.info.pop(_PENDING_KEY, None)
