"""The per-address request limit: one window's count, shared by every API process through Redis."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from parking.common.ratelimit import InMemoryRateLimiter, RateLimit, RedisRateLimiter
from tests.conftest import REDIS_CONNECT_TIMEOUT_S, REDIS_URL, need_service

NOW = datetime(2026, 12, 6, 3, 0, 0, tzinfo=UTC)


@pytest.fixture
def redis() -> Iterator[Redis]:
    client = Redis.from_url(REDIS_URL, socket_connect_timeout=REDIS_CONNECT_TIMEOUT_S)
    try:
        client.ping()
    except (OSError, RedisConnectionError) as err:
        need_service("Redis", str(err))
    yield client
    client.close()


async def test_in_memory_counts_per_key_and_starts_again_with_the_next_window() -> None:
    limiter = InMemoryRateLimiter(RateLimit(limit=2, window_s=60))
    assert [await limiter.allow("a", NOW) for _ in range(3)] == [True, True, False]
    assert await limiter.allow("b", NOW) is True
    assert await limiter.allow("a", NOW + timedelta(seconds=60)) is True


async def test_a_limit_of_zero_is_off() -> None:
    limiter = InMemoryRateLimiter(RateLimit(limit=0, window_s=60))
    assert all([await limiter.allow("a", NOW) for _ in range(50)])


@pytest.mark.redis
async def test_two_processes_share_one_count_through_redis(redis: Redis) -> None:
    # given two API processes' limiters on one Redis
    prefix = f"test-limit:{uuid.uuid4().hex}:"
    rule = RateLimit(limit=3, window_s=60)
    one, two = RedisRateLimiter(redis, rule, prefix), RedisRateLimiter(redis, rule, prefix)
    # then their hits add up, and the window's key expires by itself
    hits = [
        await one.allow("203.0.113.1", NOW),
        await two.allow("203.0.113.1", NOW),
        await one.allow("203.0.113.1", NOW),
    ]
    assert hits == [True, True, True]
    assert await two.allow("203.0.113.1", NOW) is False
    assert await one.allow("203.0.113.2", NOW) is True
    keys = [k.decode() if isinstance(k, bytes) else k for k in redis.keys(f"{prefix}*")]
    assert sorted(keys) == sorted(f"{prefix}{rule.window(NOW)}:{ip}" for ip in ("203.0.113.1", "203.0.113.2"))
    assert all(0 < redis.pttl(k) <= 60_000 for k in keys)
