"""What /metrics reads at scrape time: devices by kind and status (one query), live subscriptions, the outbox
backlog and Dramatiq's queues in Redis; a hung Redis leaves the queues out, flagged, and the scrape answers."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator

import httpx
import pytest
from dramatiq.brokers.redis import RedisBroker
from sqlalchemy import insert, text

from api import metrics
from api.app import create_app
from config.settings import Settings
from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.events import alarms_topic
from parking.common.outbox import OUTBOX
from parking.common.partitions import MONTHS_AHEAD, Month
from parking.devices.models import DeviceStatus
from tests.factories import World, build_world
from tests.live import bearer, graphql_ws, live_server
from tests.metrics.scrape import moved, scrape, value
from tests.realtime.faulty_redis import faulty_redis
from tests.realtime.helpers import add_device, set_device_status

ALARMS = "subscription ($lots: [ID!]) { alarms(lotIds: $lots) { change } }"


@pytest.fixture
async def world(db: Database) -> World:
    return await build_world(db)


async def _client(db: Database, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, db)
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@pytest.fixture
async def http(db: Database, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async for client in _client(db, settings):
        yield client


async def test_devices_are_counted_by_kind_and_status(db: Database, world: World, http: httpx.AsyncClient) -> None:
    before = await scrape(http)
    first = await add_device(db, world, "A1a", "CAM-M-1")
    await add_device(db, world, "A1a", "CAM-M-2")
    await set_device_status(db, first, DeviceStatus.ONLINE)
    after = await scrape(http)
    assert moved(before, after, "parkcloud_devices", kind="camera", status="online") == 1
    assert moved(before, after, "parkcloud_devices", kind="camera", status="unknown") == 1
    assert moved(before, after, "parkcloud_devices", kind="controller", status="online") == 0
    # Every kind and status is there, zeros included, and no lot, serial or name in any label.
    assert ("parkcloud_devices", (("kind", "kiosk"), ("status", "offline"))) in after
    assert {label for name, labels in after if name == "parkcloud_devices" for label, _ in labels} == {
        "kind",
        "status",
    }


async def test_live_subscriptions_are_counted_while_they_last(db: Database, settings: Settings, world: World) -> None:
    async with live_server(create_app(settings, db)) as server, httpx.AsyncClient(base_url=server.url) as http:
        before = await scrape(http)
        async with graphql_ws(server, bearer(world.tokens["agentA"])) as ws:
            # Two alike subscriptions: one shared feed, one listener, two members (api/live_feeds.py).
            await ws.subscribe(ALARMS, {"lots": [world.id("lot:A1a")]})
            await ws.subscribe(ALARMS, {"lots": [world.id("lot:A1a")]})
            await server.wait_for_subscribers(alarms_topic(world.ids["lot:A1a"]))
            await server.wait_for_feed_members(2)
            during = await scrape(http)
        await server.wait_for_no_subscribers(alarms_topic(world.ids["lot:A1a"]))
        after = await scrape(http)
    assert moved(before, during, "parkcloud_graphql_subscriptions", topic="alarms") == 1
    assert moved(before, during, "parkcloud_graphql_shared_feed_members") == 2
    assert moved(before, after, "parkcloud_graphql_subscriptions", topic="alarms") == 0
    assert moved(before, after, "parkcloud_graphql_shared_feed_members") == 0


@pytest.mark.redis
async def test_queue_depths_and_the_outbox_backlog_are_read_from_redis_and_the_database(
    db: Database, settings: Settings, redis_url: str
) -> None:
    broker = RedisBroker(url=redis_url)  # type: ignore[no-untyped-call]
    broker.declare_queue("devices")  # flush_all empties the declared queues only
    broker.flush_all()
    try:
        from workers.devices import execute_device_command

        broker.enqueue(execute_device_command.message(1))
        broker.enqueue(execute_device_command.message(2))
        async with db.engine.begin() as conn:
            await conn.execute(insert(OUTBOX).values(topic="alarms:1", payload={"id": 1}, created_at=utcnow()))
        async for http in _client(db, dataclasses.replace(settings, redis_url=redis_url)):
            samples = await scrape(http)
    finally:
        broker.flush_all()
        broker.close()
    assert value(samples, "parkcloud_dramatiq_queue_messages", queue="devices", state="ready") == 2
    assert value(samples, "parkcloud_dramatiq_queue_messages", queue="payments", state="ready") == 0
    assert value(samples, "parkcloud_outbox_pending") == 1
    assert value(samples, "parkcloud_metrics_read_ok", source="queues") == 1
    assert value(samples, "parkcloud_metrics_read_ok", source="outbox") == 1


@pytest.mark.redis
async def test_a_hung_redis_leaves_the_queues_out_and_the_scrape_answers(
    db: Database, settings: Settings, redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(metrics, "READ_TIMEOUT_S", 0.3)
    async with faulty_redis(redis_url, "hung") as hung:
        async for http in _client(db, dataclasses.replace(settings, redis_url=hung.url())):
            samples = await scrape(http)
    assert value(samples, "parkcloud_metrics_read_ok", source="queues") == 0
    assert not [name for name, _ in samples if name == "parkcloud_dramatiq_queue_messages"]
    # What the database answers is there all the same.
    assert value(samples, "parkcloud_metrics_read_ok", source="devices") == 1
    assert value(samples, "parkcloud_outbox_pending") == 0


def test_every_queue_of_the_worker_is_measured() -> None:
    """The queues named for the depth gauge are every queue an actor of ``parkcloud worker`` consumes."""
    import importlib

    from workers.broker import broker

    for module in (
        "devices",
        "payments",
        "frictionless",
        "notifications",
        "merchants",
        "retention",
        "images",
        "reports",
        "invoices",
        "partitions",
        "recognition.actors",
    ):
        importlib.import_module(f"workers.{module}")
    assert {broker.get_actor(name).queue_name for name in broker.get_declared_actors()} == set(metrics.QUEUES)


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
async def test_the_months_with_partitions_ahead_are_read_and_a_missing_one_shows(
    db: Database, http: httpx.AsyncClient
) -> None:
    # A new database has this month's partitions and three months' ahead (parking/common/partitions.py).
    samples = await scrape(http)
    assert value(samples, "parkcloud_partition_months_ahead", table="lane_events") == MONTHS_AHEAD
    assert value(samples, "parkcloud_partition_months_ahead", table="parking_sessions") == MONTHS_AHEAD
    assert value(samples, "parkcloud_metrics_read_ok", source="partitions") == 1
    # Without next month's partition, none ahead counts (an insert next month would fail), whatever comes after.
    month = Month.of(utcnow()).plus(1)  # read once: detached and attached again are the same month
    nearest = month.partition("lane_events")
    async with db.engine.begin() as conn:
        await conn.execute(text(f'ALTER TABLE lane_events DETACH PARTITION "{nearest}"'))
    try:
        samples = await scrape(http)
    finally:
        async with db.engine.begin() as conn:
            await conn.execute(
                text(
                    f'ALTER TABLE lane_events ATTACH PARTITION "{nearest}" '
                    f"FOR VALUES FROM ({month.first_id}) TO ({month.plus(1).first_id})"
                )
            )
    assert value(samples, "parkcloud_partition_months_ahead", table="lane_events") == 0
    assert value(samples, "parkcloud_partition_months_ahead", table="parking_sessions") == MONTHS_AHEAD
