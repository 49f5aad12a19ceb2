"""The event bus over Redis pub/sub, so that every API process sees events published by any other."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import Any

from redis.asyncio import Redis

from parking.common.events import EventBus, LocalBus, Payload

logger = logging.getLogger(__name__)

# A listener whose Redis connection drops ends its stream; the client's reconnect starts a new one.
CONFIRM_TIMEOUT_S = 5.0


class RedisBus:
    """One shared connection publishes; each listener holds its own pub/sub connection.

    A pub/sub connection per listener keeps a slow subscriber from holding up the others and makes
    PUBSUB NUMSUB count listeners, which is what ``subscriber_count`` reports.
    """

    def __init__(self, redis: Redis, prefix: str = "") -> None:
        self._redis = redis
        self._prefix = prefix

    @classmethod
    def from_url(cls, url: str) -> RedisBus:
        # Created inside the app's lifespan: a client made at import binds to a loop that is closed later.
        redis = Redis.from_url(url, socket_connect_timeout=5, health_check_interval=30)
        # Pub/sub channels ignore Redis database numbers; prefixing them with it keeps deployments (and test
        # runs) that share one Redis on different databases from hearing each other.
        return cls(redis, prefix=f"db{redis.connection_pool.connection_kwargs.get('db') or 0}:")

    async def publish(self, topic: str, payload: Payload) -> None:
        await self._redis.publish(self._prefix + topic, json.dumps(payload, separators=(",", ":")))

    @asynccontextmanager
    async def listen(self, topics: Iterable[str]) -> AsyncIterator[AsyncIterator[tuple[str, Payload]]]:
        names = [self._prefix + topic for topic in dict.fromkeys(topics)]
        pubsub = self._redis.pubsub()
        try:
            if names:
                await pubsub.subscribe(*names)
                await _confirmed(pubsub, len(names))
            yield _stream(pubsub, len(self._prefix)) if names else _never()
        finally:
            await pubsub.aclose()  # type: ignore[no-untyped-call]

    async def subscriber_count(self, topic: str) -> int:
        counts: list[tuple[Any, int]] = await self._redis.pubsub_numsub(self._prefix + topic)
        return sum(int(n) for _, n in counts)

    async def close(self) -> None:
        await self._redis.aclose()


async def _confirmed(pubsub: Any, expected: int) -> None:
    """Wait for Redis to confirm each SUBSCRIBE: only then is an event published elsewhere sure to arrive."""
    confirmed = 0
    while confirmed < expected:
        message = await pubsub.get_message(ignore_subscribe_messages=False, timeout=CONFIRM_TIMEOUT_S)
        if message is None:
            raise TimeoutError("Redis did not confirm the subscription")
        if message["type"] == "subscribe":
            confirmed += 1


async def _stream(pubsub: Any, prefix_length: int) -> AsyncIterator[tuple[str, Payload]]:
    async for message in pubsub.listen():
        if message["type"] != "message":
            continue
        channel = message["channel"]
        topic = (channel.decode() if isinstance(channel, bytes) else str(channel))[prefix_length:]
        try:
            payload = json.loads(message["data"])
        except ValueError:
            logger.warning("ignoring a malformed event on %s", topic)
            continue
        if isinstance(payload, dict):
            yield topic, payload


async def _never() -> AsyncIterator[tuple[str, Payload]]:
    # Nothing subscribed: nothing will ever arrive, as with LocalBus (Redis refuses SUBSCRIBE with no channels).
    await asyncio.Event().wait()
    yield "", {}


def make_bus(redis_url: str) -> EventBus:
    """Redis pub/sub when a Redis URL is configured, the in-process bus otherwise."""
    if redis_url:
        return RedisBus.from_url(redis_url)
    return LocalBus()
