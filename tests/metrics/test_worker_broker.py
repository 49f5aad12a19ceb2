"""The workers' broker: a Redis client bounded by timeouts, and Dramatiq's Prometheus middleware only when
``parkcloud worker --metrics-port`` asked for it (through the environment its worker processes inherit)."""

from __future__ import annotations

import pytest
from dramatiq.brokers.redis import RedisBroker

from workers.broker import CONNECT_TIMEOUT_S, SOCKET_TIMEOUT_S, WORKER_METRICS_ENV, make_broker

URL = "redis://127.0.0.1:6379/3"  # nothing is sent: the client connects on first use


def _middleware_names(broker: RedisBroker) -> set[str]:
    return {type(m).__name__ for m in broker.middleware}


def test_the_broker_client_has_timeouts_and_no_metrics_by_default() -> None:
    broker = make_broker(URL)
    assert isinstance(broker, RedisBroker)
    options = broker.client.connection_pool.connection_kwargs
    assert (options["socket_connect_timeout"], options["socket_timeout"]) == (CONNECT_TIMEOUT_S, SOCKET_TIMEOUT_S)
    assert "Prometheus" not in _middleware_names(broker)


def test_worker_metrics_add_dramatiqs_prometheus_middleware(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(WORKER_METRICS_ENV, "1")
    broker = make_broker(URL)
    assert isinstance(broker, RedisBroker)
    assert "Prometheus" in _middleware_names(broker)
