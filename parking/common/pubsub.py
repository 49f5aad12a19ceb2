"""The event bus over Redis pub/sub, so that every API process sees events published by any other process (API
or worker). Publishing is bounded: the outbox relay (parking.common.outbox) sends batches here with a timeout."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from parking.common.events import BusUnavailable, EventBus, LocalBus, Payload

logger = logging.getLogger(__name__)

# A new listener waits at most this long for Redis to connect and confirm its SUBSCRIBE (a hung Redis never
# answers); then the subscription is refused with EVENTS_UNAVAILABLE. A listener whose Redis connection drops
# ends its stream with the same error; the client subscribes again.
CONFIRM_TIMEOUT_S = 3.0


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
        await self._redis.publish(self._prefix + topic, _encode(payload))

    async def publish_many(self, events: Iterable[tuple[str, Payload]]) -> None:
        """Every event in one round trip (a pipeline, no MULTI): the outbox relay's batch."""
        async with self._redis.pipeline(transaction=False) as pipe:
            for topic, payload in events:
                pipe.publish(self._prefix + topic, _encode(payload))
            await pipe.execute()

    @asynccontextmanager
    async def listen(self, topics: Iterable[str]) -> AsyncIterator[AsyncIterator[tuple[str, Payload]]]:
        names = [self._prefix + topic for topic in dict.fromkeys(topics)]
        pubsub = self._redis.pubsub()
        try:
            if names:
                try:
                    async with asyncio.timeout(CONFIRM_TIMEOUT_S):
                        await pubsub.subscribe(*names)
                        await _confirmed(pubsub, len(names))
                except (RedisError, OSError, TimeoutError) as err:
                    # Down (refused) or hung (no confirmation in time): say so without the Redis address.
                    raise BusUnavailable(type(err).__name__) from err
            yield _stream(pubsub, len(self._prefix)) if names else _never()
        finally:
            with contextlib.suppress(RedisError, OSError):
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
            raise TimeoutError("no subscription confirmation")
        if message["type"] == "subscribe":
            confirmed += 1


def _encode(payload: Payload) -> str:
    return json.dumps(payload, separators=(",", ":"))


async def _stream(pubsub: Any, prefix_length: int) -> AsyncIterator[tuple[str, Payload]]:
    try:
        async for message in _messages(pubsub, prefix_length):
            yield message
    except (RedisError, OSError) as err:
        # The connection dropped under a live listener: the stream ends with an error the subscriber turns into
        # EVENTS_UNAVAILABLE, so that its client subscribes again (and reloads what it missed).
        raise BusUnavailable(type(err).__name__) from err


async def _messages(pubsub: Any, prefix_length: int) -> AsyncIterator[tuple[str, Payload]]:
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
