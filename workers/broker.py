"""The Dramatiq broker: Redis when ``PARKCLOUD_REDIS_URL`` is set, an in-process stub otherwise."""

from __future__ import annotations

import os

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker


def make_broker(redis_url: str | None = None) -> dramatiq.Broker:
    url = redis_url if redis_url is not None else os.environ.get("PARKCLOUD_REDIS_URL", "")
    if url:
        return RedisBroker(url=url)  # type: ignore[no-untyped-call]
    broker = StubBroker()
    broker.emit_after("process_boot")
    return broker


broker = make_broker()
dramatiq.set_broker(broker)


def prepare_for_fork(redis_broker: dramatiq.Broker = broker) -> None:
    """Call before ``parkcloud worker`` starts any thread: dramatiq then forks the worker processes.

    dramatiq's ``RedisBroker`` works out a Lua stack limit on its first command, once per class, under a
    class-level lock held across that Redis round trip. A periodic send from a thread of the supervisor
    (workers/schedule.py) that holds the lock at the moment of the fork leaves it held for ever in the child, and
    every consumer thread there waits on it: the worker looks ready and takes no job. Worked out here, first,
    the limit is cached and the lock is never taken again.
    """
    if isinstance(redis_broker, RedisBroker):
        redis_broker._max_unpack_size()  # type: ignore[no-untyped-call]
