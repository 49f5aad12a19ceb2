"""The deployment of bench/_cluster.py with its processes' Redis behind ``FaultyRedis``
(tests/realtime/faulty_redis.py), run in a thread of its own so that a test can cut Redis for these processes
only: the Redis server is shared with other people and is never restarted.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import _cluster
from tests.realtime.faulty_redis import FaultyRedis, Mode


class ThreadedFaultyRedis:
    """``FaultyRedis`` on an event loop of its own, so it forwards whatever the test's loop is doing."""

    def __init__(self, redis_url: str) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="faulty-redis", daemon=True)
        self._thread.start()
        self.front = FaultyRedis(redis_url)
        self._call(self.front.start())

    def _call(self, coro: Any) -> Any:
        future: Future[Any] = asyncio.run_coroutine_threadsafe(coro, self._loop)
        return future.result(timeout=10)

    def url(self) -> str:
        return self.front.url()

    def set(self, mode: Mode) -> None:
        self._loop.call_soon_threadsafe(self.front.set, mode)

    def close(self) -> None:
        self._call(self.front.close())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()


@dataclass
class Cluster(_cluster.Cluster):
    """The deployment, its processes reaching Redis through ``redis`` (``redis_url`` is that front's)."""

    redis: ThreadedFaultyRedis = field(kw_only=True)


@contextlib.contextmanager
def running_cluster(database_url: str, redis_url: str, var_dir: Path, **extra_env: str) -> Iterator[Cluster]:
    redis = ThreadedFaultyRedis(redis_url)
    cluster = Cluster(database_url, redis.url(), "test-secret-key", var_dir, extra_env=dict(extra_env), redis=redis)
    try:
        with _cluster.running(cluster):
            yield cluster
    finally:
        redis.close()
