"""Jobs queued by a request (here a device command) go through the outbox: the request never waits on a hung
Redis, and once Redis is back the job reaches a real Dramatiq worker, once."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Iterator
from typing import Any

import dramatiq
import httpx
import pytest
from dramatiq.brokers.redis import RedisBroker
from sqlalchemy import select

from api.app import create_app
from config.settings import Settings
from hardware.base import ManualClock
from hardware.simulators.modbus_barrier import ModbusBarrierSimulator
from parking.common.database import Database
from parking.common.outbox import JOB_PREFIX, OUTBOX, OutboxRelay
from tests.devices.conftest import REGISTER, modbus_config
from tests.factories import World
from tests.live import WAIT_S, live_server
from tests.realtime.faulty_redis import faulty_redis
from workers.devices import QUEUE

pytestmark = pytest.mark.redis

SEND = (
    'mutation($d: ID!) { x: deviceCommandSend(deviceId: $d, kind: OPEN_GATE, reason: "") {'
    " ... on DeviceCommandSuccess { command { id } } ... on DeviceError { code } } }"
)


@pytest.fixture
def worker_broker(redis_url: str) -> Iterator[tuple[RedisBroker, list[int]]]:
    """A Dramatiq worker's broker on the real Redis, whose ``execute_device_command`` records what it ran."""
    broker = RedisBroker(url=redis_url)  # type: ignore[no-untyped-call]
    broker.flush_all()
    ran: list[int] = []

    @dramatiq.actor(queue_name=QUEUE, max_retries=0, broker=broker)
    def execute_device_command(command_id: int) -> None:
        ran.append(command_id)

    try:
        yield broker, ran
    finally:
        broker.flush_all()
        broker.close()


def _run_worker(broker: RedisBroker) -> None:
    """Run the queue's messages in a real Dramatiq worker until the queue is empty."""
    worker = dramatiq.Worker(broker, queues={QUEUE}, worker_timeout=100, worker_threads=1)
    worker.start()
    try:
        broker.join(QUEUE, timeout=int(WAIT_S * 1000))
    finally:
        worker.stop()


async def _gql(http: httpx.AsyncClient, token: str, doc: str, variables: dict[str, Any]) -> dict[str, Any]:
    response = await http.post(
        "/graphql", json={"query": doc, "variables": variables}, headers={"Authorization": f"Bearer {token}"}
    )
    body = response.json()
    assert body.get("errors") is None, body
    result: dict[str, Any] = body["data"]["x"]
    return result


async def _job_rows(db: Database) -> list[tuple[dict[str, Any], bool]]:
    async with db.engine.connect() as conn:
        rows = await conn.execute(
            select(OUTBOX.c.payload, OUTBOX.c.published_at)
            .where(OUTBOX.c.topic == JOB_PREFIX + QUEUE)
            .order_by(OUTBOX.c.id)
        )
        return [(payload, published is not None) for payload, published in rows]


async def test_commands_sent_while_redis_hangs_are_answered_and_run_once_when_it_is_back(
    db: Database,
    settings: Settings,
    redis_url: str,
    world: World,
    worker_broker: tuple[RedisBroker, list[int]],
) -> None:
    broker, ran = worker_broker
    token = world.tokens["custA1"]
    async with (
        ModbusBarrierSimulator(clock=ManualClock(), travel_s=0.0) as barrier,
        faulty_redis(redis_url, "hung") as redis,
        live_server(create_app(dataclasses.replace(settings, redis_url=redis.url()), db)) as server,
        httpx.AsyncClient(base_url=server.url, timeout=WAIT_S) as http,
    ):
        relay: OutboxRelay = server.app.state.outbox
        register = {
            "lotId": world.id("lot:A1a"),
            "laneId": world.id("lane:A1a"),
            "kind": "CONTROLLER",
            "name": "Gate 1",
            "serial": "relay-1",
            "config": modbus_config(barrier.port),
        }
        device = (await _gql(http, token, REGISTER, {"input": register}))["device"]["id"]
        first = (await _gql(http, token, SEND, {"d": device}))["command"]["id"]
        # The relay is now trying to hand the job to the hung Redis...
        async with asyncio.timeout(WAIT_S):
            await redis.heard_while_hung.wait()
        # ...and the next command is answered all the same, its job written to the outbox beside the first.
        second = (await _gql(http, token, SEND, {"d": device}))["command"]["id"]
        pending = await _job_rows(db)
        assert [(p["actor_name"], p["args"], sent) for p, sent in pending] == [
            ("execute_device_command", [int(first)], False),
            ("execute_device_command", [int(second)], False),
        ]

        # Redis is back: the relay sends both, a real worker runs each once.
        redis.set("up")
        await relay.drain()
        await asyncio.to_thread(_run_worker, broker)
        assert ran == [int(first), int(second)]
        assert [sent for _, sent in await _job_rows(db)] == [True, True]
        # Nothing goes out twice: another drain and another worker run change nothing.
        assert await relay.drain() == 0
        await asyncio.to_thread(_run_worker, broker)
        assert ran == [int(first), int(second)]
