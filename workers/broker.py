"""The Dramatiq broker: Redis when ``PARKCLOUD_REDIS_URL`` is set, an in-process stub otherwise.

The broker's Redis client has connect and socket timeouts: redis-py has none by default, and a hung Redis would
then hold whatever sends (a scheduled job's thread, ``parkcloud finance``) or consumes forever. Jobs sent from a
request path do not use this client at all: they go through the outbox (workers/jobs.py).
"""

from __future__ import annotations

import os

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker
from redis import Redis

# Long enough for the consumer's fetch script on a busy Redis, short enough that a hung one is noticed.
CONNECT_TIMEOUT_S = 2.0
SOCKET_TIMEOUT_S = 5.0


# Set by ``parkcloud worker --metrics-port``: the worker processes then count their messages for Prometheus.
WORKER_METRICS_ENV = "PARKCLOUD_WORKER_METRICS"


def make_broker(redis_url: str | None = None) -> dramatiq.Broker:
    url = redis_url if redis_url is not None else os.environ.get("PARKCLOUD_REDIS_URL", "")
    if url:
        # A client of our own: RedisBroker(url=...) ignores any timeout passed beside the URL.
        client = Redis.from_url(url, socket_connect_timeout=CONNECT_TIMEOUT_S, socket_timeout=SOCKET_TIMEOUT_S)
        redis_broker = RedisBroker(client=client)  # type: ignore[no-untyped-call]
        if os.environ.get(WORKER_METRICS_ENV):
            # Dramatiq's own: messages, errors, retries, durations per actor, served by the worker's supervisor
            # on dramatiq_prom_host:dramatiq_prom_port (set by the command line before this import).
            from dramatiq.middleware.prometheus import Prometheus

            redis_broker.add_middleware(Prometheus())
        return redis_broker
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
