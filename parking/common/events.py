"""Events published after commit, and the in-process bus that carries them when no Redis is configured.

A publication is a domain event (``Broadcast``, see parking.common.domain_events) that the database hands to its
bus once the transaction has committed.

Payloads carry ids, not rows: a subscriber loads what it was told about through its own tenant-scoped
session, so a published event can never leak another tenant's data.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from parking.common.domain_events import DomainEvent, emit

logger = logging.getLogger(__name__)

Payload = dict[str, Any]


def lane_events_topic(lot_id: int) -> str:
    return f"lane-events:{lot_id}"


def alarms_topic(lot_id: int) -> str:
    return f"alarms:{lot_id}"


def devices_topic(lot_id: int) -> str:
    return f"devices:{lot_id}"


def payments_topic(out_trade_no: str) -> str:
    return f"payments:{out_trade_no}"


class BusUnavailable(Exception):
    """The bus cannot be reached (Redis down or hung): a new listener is refused, a live one ends with it. Its
    message names the failure's kind only, never the bus address."""


class EventBus(Protocol):
    async def publish(self, topic: str, payload: Payload) -> None: ...

    async def publish_many(self, events: Iterable[tuple[str, Payload]]) -> None:
        """Publish each (topic, payload) in order, in as few round trips as the transport allows."""
        ...

    def listen(self, topics: Iterable[str]) -> AbstractAsyncContextManager[AsyncIterator[tuple[str, Payload]]]:
        """An async context manager yielding the stream of (topic, payload) for ``topics``.

        The subscription is registered when the context is entered, so an event published after that
        is never missed.
        """
        ...

    async def subscriber_count(self, topic: str) -> int: ...

    async def close(self) -> None: ...


class LocalBus:
    """Fan-out to queues in this process: the embedded default, and what tests use without Redis."""

    def __init__(self, queue_size: int = 1000) -> None:
        self._queues: dict[str, set[asyncio.Queue[tuple[str, Payload]]]] = defaultdict(set)
        self._queue_size = queue_size

    async def publish(self, topic: str, payload: Payload) -> None:
        for queue in list(self._queues.get(topic, ())):
            try:
                queue.put_nowait((topic, payload))
            except asyncio.QueueFull:
                # A subscriber that stopped reading loses events rather than stalling the publisher.
                logger.warning("dropping event on %s for a slow subscriber", topic)

    async def publish_many(self, events: Iterable[tuple[str, Payload]]) -> None:
        for topic, payload in events:
            await self.publish(topic, payload)

    @asynccontextmanager
    async def listen(self, topics: Iterable[str]) -> AsyncIterator[AsyncIterator[tuple[str, Payload]]]:
        queue: asyncio.Queue[tuple[str, Payload]] = asyncio.Queue(self._queue_size)
        names = list(dict.fromkeys(topics))
        for name in names:
            self._queues[name].add(queue)

        async def stream() -> AsyncIterator[tuple[str, Payload]]:
            while True:
                yield await queue.get()

        try:
            yield stream()
        finally:
            for name in names:
                self._queues[name].discard(queue)
                if not self._queues[name]:
                    del self._queues[name]

    async def subscriber_count(self, topic: str) -> int:
        return len(self._queues.get(topic, ()))

    async def close(self) -> None:
        self._queues.clear()


@dataclass(frozen=True, slots=True)
class Broadcast(DomainEvent):
    """A payload for the subscribers of ``topic``; the database sends it on its bus after commit (if it has one)."""

    topic: str
    payload: Payload


def publish_on_commit(session: AsyncSession, topic: str, payload: Payload) -> None:
    """Publish ``payload`` on the session's bus after commit; without a bus (some tests, scripts) nothing is sent.

    With an outbox relay (Redis configured, parking.common.outbox) the event is written to the outbox table in
    this transaction and published by the relay in the background; otherwise it goes to the bus after commit."""
    emit(session, Broadcast(topic, payload))
