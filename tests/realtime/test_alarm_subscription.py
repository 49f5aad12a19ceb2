"""The alarms subscription over a real websocket, on the in-process bus and on Redis pub/sub."""

from __future__ import annotations

import dataclasses
from typing import Any

import httpx
import pytest
from httpx_ws import WebSocketDisconnect

from api.app import create_app
from config.settings import Settings
from parking.common.database import Database
from parking.common.events import alarms_topic
from tests.factories import World
from tests.live import LiveServer, bearer, graphql_ws, live_server
from tests.realtime.helpers import raise_in

ALARMS = """
subscription ($lots: [ID!]) {
  alarms(lotIds: $lots) { change alarm { id lotId kind severity status message plate count } }
}
"""


def alarm_next(op_id: str, alarm_id: int, lot_id: str, message: str, change: str = "RAISED") -> dict[str, Any]:
    alarm = {
        "id": str(alarm_id),
        "lotId": lot_id,
        "kind": "GATE_FAILED",
        "severity": "CRITICAL",
        "status": "OPEN",
        "message": message,
        "plate": "",
        "count": 1,
    }
    return {"id": op_id, "type": "next", "payload": {"data": {"alarms": {"change": change, "alarm": alarm}}}}


async def test_an_alarm_raised_after_commit_reaches_the_subscriber(
    server: LiveServer, db: Database, world: World
) -> None:
    async with graphql_ws(server, bearer(world.tokens["agentA"])) as ws:
        op = await ws.subscribe(ALARMS, {"lots": [world.id("lot:A1a")]})
        await server.wait_for_subscribers(alarms_topic(world.ids["lot:A1a"]))

        alarm_id = await raise_in(db, world, "A1a", "barrier did not open")

        assert await ws.receive() == alarm_next(op, alarm_id, world.id("lot:A1a"), "barrier did not open")


async def test_repeats_acknowledgement_and_resolution_reach_the_subscriber(
    server: LiveServer, db: Database, world: World
) -> None:
    lot = world.id("lot:A1a")
    async with graphql_ws(server, bearer(world.tokens["custA1"])) as ws, httpx.AsyncClient(base_url=server.url) as http:
        await ws.subscribe(ALARMS, {"lots": [lot]})
        await server.wait_for_subscribers(alarms_topic(world.ids["lot:A1a"]))
        # Each change is received before the next is made: a message carries the alarm as it is when delivered.
        alarm_id = await raise_in(db, world, "A1a", "barrier did not open")
        received = [await ws.receive()]
        assert await raise_in(db, world, "A1a", "barrier did not open") == alarm_id
        received.append(await ws.receive())

        for mutation in (
            "mutation ($id: ID!) { alarmAcknowledge(id: $id) { __typename } }",
            'mutation ($id: ID!) { alarmResolve(id: $id, resolution: "reset the controller") { __typename } }',
        ):
            response = await http.post(
                "/graphql",
                json={"query": mutation, "variables": {"id": str(alarm_id)}},
                headers=bearer(world.tokens["custA1"]),
            )
            assert response.json()["data"] in (
                {"alarmAcknowledge": {"__typename": "AlarmSuccess"}},
                {"alarmResolve": {"__typename": "AlarmSuccess"}},
            )
            received.append(await ws.receive())

    assert [m["payload"]["data"]["alarms"]["change"] for m in received] == [
        "RAISED",
        "REPEATED",
        "ACKNOWLEDGED",
        "RESOLVED",
    ]
    alarms = [m["payload"]["data"]["alarms"]["alarm"] for m in received]
    assert [(a["id"], a["status"], a["count"]) for a in alarms] == [
        (str(alarm_id), "OPEN", 1),
        (str(alarm_id), "OPEN", 2),
        (str(alarm_id), "ACKNOWLEDGED", 2),
        (str(alarm_id), "RESOLVED", 2),
    ]


async def test_another_tenant_does_not_receive_the_alarm(server: LiveServer, db: Database, world: World) -> None:
    async with (
        graphql_ws(server, bearer(world.tokens["agentA"])) as ws_a,
        graphql_ws(server, bearer(world.tokens["agentB"])) as ws_b,
    ):
        op_a = await ws_a.subscribe(ALARMS)
        op_b = await ws_b.subscribe(ALARMS)
        await server.wait_for_subscribers(alarms_topic(world.ids["lot:A1a"]))
        await server.wait_for_subscribers(alarms_topic(world.ids["lot:B1a"]))

        a_alarm = await raise_in(db, world, "A1a", "alarm of tenant A")
        b_alarm = await raise_in(db, world, "B1a", "alarm of tenant B")

        # Events arrive in publication order, so B's first message being its own alarm shows A's never came.
        assert await ws_b.receive() == alarm_next(op_b, b_alarm, world.id("lot:B1a"), "alarm of tenant B")
        assert await ws_a.receive() == alarm_next(op_a, a_alarm, world.id("lot:A1a"), "alarm of tenant A")


async def test_a_lot_operator_receives_only_its_lots(server: LiveServer, db: Database, world: World) -> None:
    async with graphql_ws(server, bearer(world.tokens["lotA1a"])) as ws:
        op = await ws.subscribe(ALARMS)
        await server.wait_for_subscribers(alarms_topic(world.ids["lot:A1a"]))

        await raise_in(db, world, "A1b", "same customer, other lot")
        mine = await raise_in(db, world, "A1a", "my lot")

        assert await ws.receive() == alarm_next(op, mine, world.id("lot:A1a"), "my lot")
        assert await server.bus.subscriber_count(alarms_topic(world.ids["lot:A1b"])) == 0


async def test_an_event_naming_a_row_outside_the_scope_is_skipped(
    server: LiveServer, db: Database, world: World
) -> None:
    """Subscribers load every id through their own scoped session, whatever was published on the topic."""
    foreign = await raise_in(db, world, "B1a", "tenant B's alarm")
    async with graphql_ws(server, bearer(world.tokens["agentA"])) as ws:
        op = await ws.subscribe(ALARMS, {"lots": [world.id("lot:A1a")]})
        topic = alarms_topic(world.ids["lot:A1a"])
        await server.wait_for_subscribers(topic)

        await server.bus.publish(topic, {"id": foreign, "change": "raised"})
        await server.bus.publish(topic, {"id": "not an id", "change": "raised"})
        await server.bus.publish(topic, {"id": foreign, "change": "exploded"})
        mine = await raise_in(db, world, "A1a", "tenant A's alarm")

        assert await ws.receive() == alarm_next(op, mine, world.id("lot:A1a"), "tenant A's alarm")


@pytest.mark.parametrize(
    ("operator", "lots", "code", "field"),
    [
        ("agentB", ["lot:A1a"], "NOT_FOUND", "lotIds"),
        ("lotA1a", ["lot:A1a", "lot:A1b"], "NOT_FOUND", "lotIds"),
        ("viewer", ["lot:A1a"], "PERMISSION_DENIED", None),
        ("agentA", [], "INVALID", "lotIds"),
        ("agentA", ["x"], "INVALID", "lotIds"),
    ],
)
async def test_a_refused_subscription_gets_a_coded_error(
    server: LiveServer, world: World, operator: str, lots: list[str], code: str, field: str | None
) -> None:
    async with graphql_ws(server, bearer(world.tokens[operator])) as ws:
        op = await ws.subscribe(ALARMS, {"lots": [world.id(n) if n.startswith("lot:") else n for n in lots]})
        message = await ws.receive()

        assert message["id"] == op
        assert message["type"] == "error"
        assert message["payload"][0]["extensions"] == {"code": code, "field": field}
        assert await server.bus.subscriber_count(alarms_topic(world.ids["lot:A1a"])) == 0


@pytest.mark.parametrize(
    "payload",
    [
        None,
        {},
        {"Authorization": "Bearer not-a-token"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"X-Api-Key": "pk_unknown"},
    ],
)
async def test_a_connection_without_valid_credentials_is_refused(
    local_server: LiveServer, payload: dict[str, str] | None
) -> None:
    with pytest.raises(WebSocketDisconnect) as refused:
        async with graphql_ws(local_server, payload):
            pass
    assert refused.value.code == 4403


async def test_a_token_signed_with_another_key_is_refused(db: Database, live_settings: Settings, world: World) -> None:
    other = dataclasses.replace(live_settings, secret_key="another-secret")
    async with live_server(create_app(other, db)) as server:
        with pytest.raises(WebSocketDisconnect) as refused:
            async with graphql_ws(server, bearer(world.tokens["agentA"])):
                pass
    assert refused.value.code == 4403


@pytest.mark.redis
async def test_api_processes_sharing_one_redis_hear_each_other(
    db: Database, settings: Settings, world: World, redis_url: str
) -> None:
    live_settings = dataclasses.replace(settings, redis_url=redis_url)
    # Two apps, each with its own Database object and bus, as two API processes would have.
    async with (
        live_server(create_app(live_settings, Database(db.engine))) as first,
        live_server(create_app(live_settings, Database(db.engine))) as second,
        graphql_ws(first, bearer(world.tokens["agentA"])) as ws,
    ):
        op = await ws.subscribe(ALARMS, {"lots": [world.id("lot:A1a")]})
        await first.wait_for_subscribers(alarms_topic(world.ids["lot:A1a"]))
        publisher = Database(db.engine, bus=second.bus)

        alarm_id = await raise_in(publisher, world, "A1a", "raised in the second process")

        assert await ws.receive() == alarm_next(op, alarm_id, world.id("lot:A1a"), "raised in the second process")


async def test_completing_or_disconnecting_releases_the_bus_listener(server: LiveServer, world: World) -> None:
    topic = alarms_topic(world.ids["lot:A1a"])
    async with graphql_ws(server, bearer(world.tokens["agentA"])) as ws:
        op = await ws.subscribe(ALARMS, {"lots": [world.id("lot:A1a")]})
        await server.wait_for_subscribers(topic)
        await ws.complete(op)
        await server.wait_for_no_subscribers(topic)

        await ws.subscribe(ALARMS, {"lots": [world.id("lot:A1a")]})
        await server.wait_for_subscribers(topic)
    # The client went away without completing: the server ends the subscription and its listener.
    await server.wait_for_no_subscribers(topic)
    assert await server.bus.subscriber_count(topic) == 0


async def test_a_connection_holds_at_most_twenty_subscriptions(local_server: LiveServer, world: World) -> None:
    topic = alarms_topic(world.ids["lot:A1a"])
    async with graphql_ws(local_server, bearer(world.tokens["agentA"])) as ws:
        for _ in range(20):
            await ws.subscribe(ALARMS, {"lots": [world.id("lot:A1a")]})
        # Twenty alike subscriptions share one feed (and one bus listener): count the feed's members.
        await local_server.wait_for_feed_members(20)
        await local_server.wait_for_subscribers(topic)

        refused = await ws.subscribe(ALARMS, {"lots": [world.id("lot:A1a")]})
        message = await ws.receive()

    assert (message["id"], message["type"]) == (refused, "error")
    assert message["payload"][0]["message"] == "Subscription limit reached"
