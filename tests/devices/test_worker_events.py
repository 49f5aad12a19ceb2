"""A device the worker's health poll finds offline reaches a console subscribed through an API process: the
worker's database publishes (outbox, Redis) like the API's."""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path

import pytest
from dramatiq.brokers.stub import StubBroker

from api.app import create_app
from config.settings import Settings
from hardware.simulators.modbus_barrier import ModbusBarrierSimulator
from parking.common.database import Database
from parking.common.events import devices_topic
from tests.conftest import GraphQL
from tests.devices.conftest import register_gate
from tests.devices.test_workers import _run
from tests.factories import build_world
from tests.live import bearer, graphql_ws, live_server
from tests.realtime.conftest import _reachable_redis
from workers import devices as actors
from workers.broker import broker

pytestmark = pytest.mark.redis

DEVICE_STATUS = "subscription ($lots: [ID!]) { deviceStatus(lotIds: $lots) { id status } }"


async def test_a_device_the_worker_finds_offline_reaches_a_console_on_an_api_process(
    db: Database,
    gql: GraphQL,
    barrier_sim: ModbusBarrierSimulator,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if not isinstance(broker, StubBroker):
        pytest.skip("the module broker is not the stub broker")
    redis_url = await _reachable_redis()
    world = await build_world(db)
    lot_id = world.ids["lot:A1a"]
    device_id = await register_gate(gql, world, barrier_sim.port)
    # The worker process: the database and the Redis named by its environment.
    monkeypatch.setenv("PARKCLOUD_DATABASE_URL", db.engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("PARKCLOUD_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PARKCLOUD_REDIS_URL", redis_url)
    # A first poll finds the barrier answering (in a thread: the simulator answers from this test's event loop).
    await asyncio.to_thread(_run, broker, actors.poll_lot_devices, lot_id)
    await barrier_sim.stop()

    async with (
        live_server(create_app(dataclasses.replace(settings, redis_url=redis_url), db)) as api,
        graphql_ws(api, bearer(world.tokens["custA1"])) as console,
    ):
        op = await console.subscribe(DEVICE_STATUS, {"lots": [world.id("lot:A1a")]})
        await api.wait_for_subscribers(devices_topic(lot_id))
        # The worker's next poll finds it silent.
        await asyncio.to_thread(_run, broker, actors.poll_lot_devices, lot_id)
        heard = await console.receive()

    assert heard == {
        "id": op,
        "type": "next",
        "payload": {"data": {"deviceStatus": {"id": device_id, "status": "OFFLINE"}}},
    }
