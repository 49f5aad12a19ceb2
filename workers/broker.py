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
