"""``parkcloud worker`` forks its worker processes while its periodic-send threads run: a send holding
dramatiq's class-level lock at that moment must not leave the forked process unable to fetch a job."""

from __future__ import annotations

import multiprocessing

import pytest
import redis
from dramatiq.brokers.redis import RedisBroker

from tests.conftest import REDIS_URL, need_service
from workers.broker import prepare_for_fork

pytestmark = pytest.mark.redis


def test_a_fork_while_a_thread_holds_the_brokers_class_lock_leaves_the_child_able_to_fetch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given a broker whose class has not worked out its Lua stack limit yet, prepared as the worker does
    monkeypatch.setattr(RedisBroker, "_max_unpack_size_val", None)
    broker = RedisBroker(url=REDIS_URL)  # type: ignore[no-untyped-call]
    try:
        prepare_for_fork(broker)
    except redis.RedisError as err:
        need_service("Redis", f"{type(err).__name__}: {err}")
    # when the process forks while another thread holds the lock (a periodic send under way)
    with RedisBroker._max_unpack_size_mut:
        child = multiprocessing.get_context("fork").Process(target=broker._max_unpack_size)
        child.start()
    # then the child gets the limit without the lock and ends (it would wait for ever on the lock otherwise)
    child.join(timeout=60)
    stuck = child.exitcode is None
    if stuck:
        child.kill()
    broker.close()
    assert not stuck
    assert child.exitcode == 0
