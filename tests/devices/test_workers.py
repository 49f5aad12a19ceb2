"""The Dramatiq actors execute commands and poll lots, on the stub broker and on a real Redis broker."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import dramatiq
import pytest
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker
from sqlalchemy import select

from hardware.simulators.modbus_barrier import ModbusBarrierSimulator
from parking.common.database import Database
from parking.common.scope import Scope
from parking.devices.models import Device, DeviceCommand, DeviceCommandStatus, DeviceStatus
from tests.conftest import REDIS_CONNECT_TIMEOUT_S, REDIS_URL, GraphQL, need_service
from tests.devices.conftest import register_gate
from tests.factories import build_world
from workers import devices as actors
from workers.broker import broker as module_broker


@pytest.fixture(params=["stub", "redis"])
def broker(request: pytest.FixtureRequest) -> Iterator[dramatiq.Broker]:
    if request.param == "stub":
        if not isinstance(module_broker, StubBroker):
            pytest.skip("the module broker is not the stub broker")
        module_broker.flush_all()
        yield module_broker
        return
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=REDIS_CONNECT_TIMEOUT_S).flushdb()
    except redis.RedisError as err:
        need_service("Redis", str(err))
    redis_broker = RedisBroker(url=REDIS_URL)  # type: ignore[no-untyped-call]
    yield redis_broker
    redis_broker.flush_all()
    redis_broker.close()


def _on(broker: dramatiq.Broker, actor: dramatiq.Actor[..., None]) -> dramatiq.Actor[..., None]:
    if actor.broker is broker:
        return actor
    # The same function declared on this broker, as a worker process importing workers.devices would have it.
    return dramatiq.Actor(
        actor.fn, broker=broker, actor_name=actor.actor_name, queue_name=actors.QUEUE, priority=0, options={}
    )


def _run(broker: dramatiq.Broker, actor: dramatiq.Actor[..., None], *args: int) -> None:
    worker = dramatiq.Worker(broker, worker_timeout=100)
    worker.start()
    try:
        _on(broker, actor).send(*args)
        if isinstance(broker, StubBroker):
            broker.join(actors.QUEUE, fail_fast=True)
        else:
            broker.join(actors.QUEUE, timeout=60_000)
        worker.join()
    finally:
        worker.stop()


@pytest.fixture
def worker_env(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The actors open the database named by the environment, as a worker process does.
    monkeypatch.setenv("PARKCLOUD_DATABASE_URL", db.engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("PARKCLOUD_VAR_DIR", str(tmp_path))


async def test_the_worker_executes_a_command_and_polls_a_lot(
    db: Database, gql: GraphQL, barrier_sim: ModbusBarrierSimulator, broker: dramatiq.Broker, worker_env: None
) -> None:
    # given a registered barrier and a command waiting (no in-process dispatcher)
    world = await build_world(db)
    device_id = await register_gate(gql, world, barrier_sim.port)
    db.services.clear()
    sent = await gql(
        "mutation($d: ID!) { deviceCommandSend(deviceId: $d, kind: OPEN_GATE) { ... on DeviceCommandSuccess"
        " { command { id } } } }",
        {"d": device_id},
        token=world.tokens["custA1"],
    )
    command_id = int(sent["data"]["deviceCommandSend"]["command"]["id"])
    # when the worker gets the command, then a poll of the lot while the barrier is down
    # (in a thread: the simulator answers from this test's event loop)
    await asyncio.to_thread(_run, broker, actors.execute_device_command, command_id)
    await barrier_sim.stop()
    await asyncio.to_thread(_run, broker, actors.poll_lot_devices, world.ids["lot:A1a"])
    # then the gate opened once, the result is recorded, and the device is offline
    async with db.session(Scope.internal()) as s:
        command = await s.get(DeviceCommand, command_id)
        device = (await s.scalars(select(Device))).one()
    assert command is not None
    assert (command.status, command.result) == (DeviceCommandStatus.DONE, "open, loop clear")
    assert barrier_sim.physics.open_commands == 1
    assert device.status is DeviceStatus.OFFLINE
