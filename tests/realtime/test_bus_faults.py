"""Redis down or hung under a running API process: camera replies never wait for it, events wait in the outbox
and arrive once it is back (once each), subscriptions are refused or ended with EVENTS_UNAVAILABLE."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from api.app import create_app
from config.settings import Settings
from parking.common import outbox, pubsub
from parking.common.database import Database
from parking.common.events import Payload, alarms_topic, lane_events_topic
from parking.common.outbox import OUTBOX, OutboxRelay
from parking.common.pubsub import RedisBus
from parking.common.texts import CommonText, text
from tests.factories import World
from tests.lanes.site import Site, build_site
from tests.live import WAIT_S, bearer, graphql_ws, live_server
from tests.realtime.faulty_redis import closed_port_url, faulty_redis
from tests.realtime.helpers import raise_in

pytestmark = pytest.mark.redis

ALARMS = "subscription ($lots: [ID!]) { alarms(lotIds: $lots) { change alarm { id message } } }"


def _with_redis(settings: Settings, url: str) -> Settings:
    return dataclasses.replace(settings, redis_url=url)


async def _push(camera: httpx.AsyncClient, site: Site, plate: str) -> httpx.Response:
    serial = next(s for s in site.secrets if s.endswith("-in"))
    reading = {
        "version": 1,
        "type": "reading",
        "serial": serial,
        "plate": plate,
        "confidence": 0.97,
        "taken_at": datetime.now(UTC).isoformat(),
        "event_id": plate,
    }
    return await camera.post(
        "/devices/generic/push",
        params={"key": site.secrets[serial]},
        content=json.dumps(reading),
        headers={"content-type": "application/json"},
    )


async def _outbox(db: Database, topic: str) -> list[tuple[Payload, bool]]:
    """(payload, published) of the outbox rows of ``topic``, oldest first."""
    async with db.engine.connect() as conn:
        rows = await conn.execute(
            select(OUTBOX.c.payload, OUTBOX.c.published_at).where(OUTBOX.c.topic == topic).order_by(OUTBOX.c.id)
        )
        return [(payload, published is not None) for payload, published in rows]


async def _next(events: AsyncIterator[tuple[str, Payload]]) -> tuple[str, Payload]:
    async with asyncio.timeout(WAIT_S):
        return await anext(events)


async def _until_sending(relay: OutboxRelay) -> None:
    async with asyncio.timeout(WAIT_S):
        while not relay.sending:  # noqa: ASYNC110 (the relay has no notification for it)
            await asyncio.sleep(0.01)


async def test_camera_pushes_are_answered_while_redis_hangs_and_their_events_arrive_once_it_is_back(
    db: Database, settings: Settings, redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The relay waits an hour on a hung Redis: a reply that waited for the publish would never come.
    monkeypatch.setattr(outbox, "PUBLISH_TIMEOUT_S", 3600.0)
    site = await build_site(db)
    topic = lane_events_topic(site.lot_id)
    # A console's process, on the real Redis throughout (listening before anything is pushed).
    console = RedisBus.from_url(redis_url)
    try:
        async with (
            faulty_redis(redis_url, "hung") as redis,
            live_server(create_app(_with_redis(settings, redis.url()), db)) as server,
            console.listen([topic]) as heard,
            httpx.AsyncClient(base_url=server.url) as camera,
        ):
            relay: OutboxRelay = server.app.state.outbox
            first = await _push(camera, site, "京A10001")
            # The relay now waits on the hung Redis with the first event...
            await _until_sending(relay)
            # ...and the camera's next reading is answered all the same.
            second = await _push(camera, site, "京A10002")
            assert (first.status_code, second.status_code) == (200, 200)
            assert relay.sending  # still waiting on the first batch
            pending = await _outbox(db, topic)
            assert [published for _, published in pending] == [False, False]

            # Redis is back: both events arrive, in order, once.
            redis.set("up")
            assert [await _next(heard), await _next(heard)] == [(topic, payload) for payload, _ in pending]
            await relay.drain()  # whatever the relay has not sent yet (other topics, if it is backing off)
            assert [published for _, published in await _outbox(db, topic)] == [True, True]
            # Nothing was sent twice: the next event heard is a new reading's.
            third = await _push(camera, site, "京A10003")
            assert third.status_code == 200
            [*_, (latest, _)] = await _outbox(db, topic)
            assert await _next(heard) == (topic, latest)
    finally:
        await console.close()


@pytest.mark.parametrize("fault", ["down", "hung"])
async def test_a_subscription_is_refused_with_events_unavailable_when_redis_is_unreachable(
    db: Database, settings: Settings, redis_url: str, world: World, fault: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pubsub, "CONFIRM_TIMEOUT_S", 0.5)
    async with faulty_redis(redis_url, "hung") as hung:
        url = closed_port_url(redis_url) if fault == "down" else hung.url()
        async with (
            live_server(create_app(_with_redis(settings, url), db)) as server,
            graphql_ws(server, bearer(world.tokens["agentA"])) as ws,
        ):
            op = await ws.subscribe(ALARMS, {"lots": [world.id("lot:A1a")]})
            refused = await ws.receive()
    assert refused["type"] == "error"
    assert refused["id"] == op
    [error] = refused["payload"]
    assert error["message"] == text(CommonText.EVENTS_UNAVAILABLE)
    assert error["extensions"]["code"] == "EVENTS_UNAVAILABLE"
    # Nothing of where Redis is: not its address, not its port.
    port = url.rsplit(":", 1)[1].split("/")[0]
    assert "127.0.0.1" not in json.dumps(refused)
    assert port not in json.dumps(refused)


async def test_a_live_subscription_whose_redis_connection_drops_ends_with_events_unavailable(
    db: Database, settings: Settings, redis_url: str, world: World
) -> None:
    lot = world.id("lot:A1a")
    topic = alarms_topic(world.ids["lot:A1a"])
    async with (
        faulty_redis(redis_url) as redis,
        live_server(create_app(_with_redis(settings, redis.url()), db)) as server,
        graphql_ws(server, bearer(world.tokens["agentA"])) as ws,
    ):
        op = await ws.subscribe(ALARMS, {"lots": [lot]})
        await server.wait_for_subscribers(topic)
        redis.set("down")
        ended: list[dict[str, Any]] = [await ws.receive(), await ws.receive()]
        # The client subscribes again once Redis is back, and hears what happens next.
        redis.set("up")
        again = await ws.subscribe(ALARMS, {"lots": [lot]})
        await server.wait_for_subscribers(topic)
        alarm_id = await raise_in(db, world, "A1a", "barrier did not open")
        heard = await ws.receive()
    [error] = ended[0]["payload"]["errors"]
    assert (ended[0]["id"], ended[0]["type"], ended[0]["payload"]["data"]) == (op, "next", None)
    assert (error["message"], error["extensions"]["code"]) == (
        text(CommonText.EVENTS_UNAVAILABLE),
        "EVENTS_UNAVAILABLE",
    )
    assert ended[1] == {"id": op, "type": "complete"}
    assert heard == {
        "id": again,
        "type": "next",
        "payload": {
            "data": {"alarms": {"change": "RAISED", "alarm": {"id": str(alarm_id), "message": "barrier did not open"}}}
        },
    }
