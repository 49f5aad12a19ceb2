"""The transactional outbox: events written with their change in one statement, drained by a relay once each,
kept while the bus is unreachable, never drained twice at once by two processes (PostgreSQL row locks)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable, Iterator

import pytest
from sqlalchemy import select

from parking.common.database import Database
from parking.common.events import LocalBus, Payload, publish_on_commit
from parking.common.outbox import OUTBOX, OutboxRelay
from parking.common.pubsub import RedisBus
from parking.common.scope import Scope
from tests.live import WAIT_S
from tests.query_counts.counting import statements
from tests.realtime.faulty_redis import closed_port_url


@pytest.fixture
def bus() -> LocalBus:
    return LocalBus()


@pytest.fixture
def relay(db: Database, bus: LocalBus) -> Iterator[OutboxRelay]:
    """The database writes to the outbox; the relay drains only when the test says (no background task)."""
    made = OutboxRelay(db.engine, bus)
    db.bus, db.outbox = bus, made
    yield made
    db.bus, db.outbox = None, None


async def _rows(db: Database) -> list[tuple[str, Payload, bool]]:
    async with db.engine.connect() as conn:
        rows = await conn.execute(select(OUTBOX.c.topic, OUTBOX.c.payload, OUTBOX.c.published_at).order_by(OUTBOX.c.id))
        return [(topic, payload, published is not None) for topic, payload, published in rows]


async def _publish(db: Database, *ids: int, topic: str = "alarms:1") -> None:
    async with db.transaction(Scope.internal()) as tx:
        for event_id in ids:
            publish_on_commit(tx, topic, {"id": event_id})


async def _heard(events: AsyncIterator[tuple[str, Payload]], count: int) -> list[tuple[str, Payload]]:
    async with asyncio.timeout(WAIT_S):
        return [await anext(events) for _ in range(count)]


async def test_a_transaction_writes_its_events_in_one_statement_and_the_relay_sends_each_once(
    db: Database, bus: LocalBus, relay: OutboxRelay
) -> None:
    with statements(db) as seen:
        await _publish(db, 1, 2, 3)
    assert [sql.split()[:3] for sql in seen] == [["INSERT", "INTO", "event_outbox"]]
    assert await _rows(db) == [("alarms:1", {"id": n}, False) for n in (1, 2, 3)]
    async with bus.listen(["alarms:1"]) as events:
        assert await relay.drain() == 3
        assert await _heard(events, 3) == [("alarms:1", {"id": n}) for n in (1, 2, 3)]
        assert await relay.drain() == 0
    assert await _rows(db) == [("alarms:1", {"id": n}, True) for n in (1, 2, 3)]


async def test_a_transaction_that_publishes_nothing_or_rolls_back_writes_nothing(
    db: Database, relay: OutboxRelay
) -> None:
    with statements(db) as seen:
        async with db.transaction(Scope.internal()):
            pass
    assert seen == []

    async def rolled_back() -> None:
        async with db.transaction(Scope.internal()) as tx:
            publish_on_commit(tx, "alarms:1", {"id": 1})
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        await rolled_back()
    assert await _rows(db) == []


async def test_events_wait_while_redis_is_down_and_go_out_once_it_is_back(db: Database, redis_url: str) -> None:
    down = RedisBus.from_url(closed_port_url(redis_url))
    up = RedisBus.from_url(redis_url)
    try:
        db.outbox = OutboxRelay(db.engine, down)
        await _publish(db, 7, 8, topic="devices:70")
        # a bounded try that keeps everything when Redis refuses
        assert not await db.outbox.flush()
        assert [published for *_, published in await _rows(db)] == [False, False]
        # Redis back (another process's relay, or this one's next try)
        async with up.listen(["devices:70"]) as events:
            assert await OutboxRelay(db.engine, up).drain() == 2
            assert await _heard(events, 2) == [("devices:70", {"id": 7}), ("devices:70", {"id": 8})]
        assert [published for *_, published in await _rows(db)] == [True, True]
    finally:
        db.outbox = None
        await down.close()
        await up.close()


class _HeldBus(LocalBus):
    """A bus whose first batch waits until released: a relay caught in the middle of publishing."""

    def __init__(self) -> None:
        super().__init__()
        self.release = asyncio.Event()

    async def publish_many(self, events: Iterable[tuple[str, Payload]]) -> None:
        await self.release.wait()
        await super().publish_many(events)


async def test_two_relays_never_send_the_same_rows(db: Database, backend: str, bus: LocalBus) -> None:
    if backend == "sqlite":
        pytest.skip("the row locks that keep processes apart are PostgreSQL's (SQLite deployments are one process)")
    db.outbox = OutboxRelay(db.engine, bus)
    await _publish(db, 1, 2, topic="alarms:2")
    db.outbox = None
    held = _HeldBus()
    first, second = OutboxRelay(db.engine, held), OutboxRelay(db.engine, bus)
    async with held.listen(["alarms:2"]) as from_first:
        draining = asyncio.create_task(first.drain())
        async with asyncio.timeout(WAIT_S):
            while not first.sending:  # noqa: ASYNC110 (the relay has no notification for it)
                await asyncio.sleep(0.01)
        # the rows the first relay is sending are locked: the second skips them
        assert await second.drain() == 0
        held.release.set()
        assert await draining == 2
        assert await _heard(from_first, 2) == [("alarms:2", {"id": 1}), ("alarms:2", {"id": 2})]
        assert await second.drain() == 0
    assert [published for *_, published in await _rows(db)] == [True, True]
