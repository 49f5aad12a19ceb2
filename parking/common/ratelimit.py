"""A fixed-window request counter per key (a client address): at most ``limit`` hits per ``window_s``.

``InMemoryRateLimiter`` counts for this process only; ``RedisRateLimiter`` counts for every API process
(``INCR`` then ``PEXPIRE`` on the window's first hit, in one pipeline). A limit of 0 turns limiting off.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from redis import Redis
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# A check must not hang a request on Redis; if Redis is away, requests are let through (and logged).
TIMEOUT_S = 0.5


@dataclass(frozen=True)
class RateLimit:
    limit: int
    window_s: int

    def window(self, now: datetime) -> int:
        return int(now.timestamp()) // max(self.window_s, 1)


class RateLimiter(Protocol):
    rule: RateLimit

    async def allow(self, key: str, now: datetime) -> bool:
        """Count this hit; False once the key has used up its window."""
        ...


class InMemoryRateLimiter:
    def __init__(self, rule: RateLimit) -> None:
        self.rule = rule
        self._counts: dict[str, tuple[int, int]] = {}
        self._lock = threading.Lock()

    async def allow(self, key: str, now: datetime) -> bool:
        if self.rule.limit <= 0:
            return True
        window = self.rule.window(now)
        with self._lock:
            if len(self._counts) > 100_000:
                # Old windows are dead weight: drop them rather than grow without bound.
                self._counts = {k: v for k, v in self._counts.items() if v[0] == window}
            seen_window, count = self._counts.get(key, (window, 0))
            count = count + 1 if seen_window == window else 1
            self._counts[key] = (window, count)
        return count <= self.rule.limit


class RedisRateLimiter:
    def __init__(self, redis: Redis, rule: RateLimit, prefix: str) -> None:
        self.rule = rule
        self._redis = redis
        self._prefix = prefix

    @classmethod
    def from_url(cls, url: str, rule: RateLimit, prefix: str) -> RedisRateLimiter:
        return cls(Redis.from_url(url, socket_timeout=TIMEOUT_S, socket_connect_timeout=TIMEOUT_S), rule, prefix)

    def _hit(self, key: str, now: datetime) -> int:
        name = f"{self._prefix}{self.rule.window(now)}:{key}"
        pipe = self._redis.pipeline()
        pipe.incr(name)
        pipe.pexpire(name, self.rule.window_s * 1000, nx=True)
        count, _ = pipe.execute()
        return int(count)

    async def allow(self, key: str, now: datetime) -> bool:
        if self.rule.limit <= 0:
            return True
        try:
            # Sync Redis in a worker thread, as the nonce store: no client bound to one event loop.
            count = await asyncio.to_thread(self._hit, key, now)
        except RedisError as err:
            logger.warning("rate limit check failed, letting the request through: %s", err)
            return True
        return count <= self.rule.limit


def rate_limiter(redis_url: str, rule: RateLimit, prefix: str) -> RateLimiter:
    """Redis when the deployment has one, else this process's memory."""
    return RedisRateLimiter.from_url(redis_url, rule, prefix) if redis_url else InMemoryRateLimiter(rule)
