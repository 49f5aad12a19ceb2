"""RedisBus against a real Redis: delivery, listener counts, malformed messages, database isolation."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from parking.common.events import LocalBus, Payload
from parking.common.pubsub import RedisBus, make_bus


def other_database(url: str) -> str:
    base, _, db = url.rpartition("/")
    return f"{base}/{(int(db) + 1) % 16}"


@pytest.fixture
async def bus(redis_url: str) -> AsyncIterator[RedisBus]:
    made = RedisBus.from_url(redis_url)
    yield made
    await made.close()


async def next_event(events: AsyncIterator[tuple[str, Payload]]) -> tuple[str, Payload]:
    async with asyncio.timeout(10):
        return await anext(events)


@pytest.mark.redis
async def test_an_event_published_after_listen_is_delivered_with_its_topic(bus: RedisBus) -> None:
    async with bus.listen(["alarms:1", "alarms:2"]) as events:
        await bus.publish("alarms:2", {"id": 7, "change": "raised"})

        assert await next_event(events) == ("alarms:2", {"id": 7, "change": "raised"})


@pytest.mark.redis
async def test_subscriber_count_follows_listeners(bus: RedisBus) -> None:
    assert await bus.subscriber_count("devices:9") == 0
    async with bus.listen(["devices:9"]), bus.listen(["devices:9", "devices:10"]):
        assert (await bus.subscriber_count("devices:9"), await bus.subscriber_count("devices:10")) == (2, 1)
    assert await bus.subscriber_count("devices:9") == 0


@pytest.mark.redis
async def test_a_malformed_message_is_skipped(bus: RedisBus, redis_url: str) -> None:
    raw = Redis.from_url(redis_url)
    try:
        async with bus.listen(["lane-events:3"]) as events:
            channel = f"db{int(redis_url.rpartition('/')[2])}:lane-events:3"
            await raw.publish(channel, b"{not json")
            await raw.publish(channel, b"[1, 2]")
            await bus.publish("lane-events:3", {"id": 11})

            assert await next_event(events) == ("lane-events:3", {"id": 11})
    finally:
        await raw.aclose()


@pytest.mark.redis
async def test_buses_on_different_redis_databases_do_not_hear_each_other(bus: RedisBus, redis_url: str) -> None:
    other = RedisBus.from_url(other_database(redis_url))
    try:
        async with bus.listen(["alarms:5"]) as events:
            await other.publish("alarms:5", {"id": 1, "change": "raised"})
            await bus.publish("alarms:5", {"id": 2, "change": "raised"})

            assert await next_event(events) == ("alarms:5", {"id": 2, "change": "raised"})
            assert await other.subscriber_count("alarms:5") == 0
    finally:
        await other.close()


async def test_without_a_redis_url_the_bus_is_in_process() -> None:
    bus: object = make_bus("")
    assert isinstance(bus, LocalBus)
    await bus.close()
