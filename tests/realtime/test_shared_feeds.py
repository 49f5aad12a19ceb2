"""Alike subscriptions share one feed per process (api/live_feeds.py): one resolution per event for all of them,
and never across scopes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from api.live_feeds import LiveFeeds
from parking.alarms.models import Alarm, AlarmKind
from parking.common.database import Database
from parking.common.events import alarms_topic
from tests.factories import World
from tests.live import LiveServer, bearer, graphql_ws
from tests.realtime.helpers import raise_in
from tests.realtime.test_alarm_subscription import ALARMS, alarm_next


@contextmanager
def alarm_loads() -> Iterator[list[int]]:
    """The ids of Alarm rows loaded from the database while inside: one per resolution of an alarm event."""
    loaded: list[int] = []

    def on_load(target: Alarm, _context: Any) -> None:
        loaded.append(target.id)

    event.listen(Alarm, "load", on_load)
    try:
        yield loaded
    finally:
        event.remove(Alarm, "load", on_load)


def feeds_of(server: LiveServer) -> LiveFeeds:
    feeds: LiveFeeds = server.app.state.live_feeds
    return feeds


async def test_alike_subscribers_get_the_same_payload_from_one_resolution(
    server: LiveServer, db: Database, world: World
) -> None:
    lot = world.id("lot:A1a")
    async with (
        graphql_ws(server, bearer(world.tokens["agentA"])) as first,
        graphql_ws(server, bearer(world.tokens["agentA"])) as second,
    ):
        ops = [
            await first.subscribe(ALARMS, {"lots": [lot]}),
            await second.subscribe(ALARMS, {"lots": [lot]}),
            # A second operation on the same socket: its own id, the same feed.
            await second.subscribe(ALARMS, {"lots": [lot]}),
        ]
        await server.wait_for_feed_members(3)
        await server.wait_for_subscribers(alarms_topic(world.ids["lot:A1a"]))
        assert await server.bus.subscriber_count(alarms_topic(world.ids["lot:A1a"])) == 1

        with alarm_loads() as loaded:
            alarm_id = await raise_in(db, world, "A1a", "barrier did not open")
            received = [await first.receive(), await second.receive(), await second.receive()]
        resolutions = [feed.resolutions for feed in feeds_of(server).feeds()]

    expected = [alarm_next(op, alarm_id, lot, "barrier did not open") for op in ops]
    assert sorted(received, key=lambda m: m["id"]) == sorted(expected, key=lambda m: m["id"])
    # Resolved once for the three: one row load, one execution.
    assert loaded == [alarm_id]
    assert resolutions == [1]


async def test_subscribers_in_different_scopes_never_share(server: LiveServer, db: Database, world: World) -> None:
    async with (
        graphql_ws(server, bearer(world.tokens["agentA"])) as ws_a,
        graphql_ws(server, bearer(world.tokens["agentB"])) as ws_b,
    ):
        # The same document and variables (every lot the caller sees): only the scope differs.
        op_a = await ws_a.subscribe(ALARMS)
        op_b = await ws_b.subscribe(ALARMS)
        await server.wait_for_feed_members(2)
        await server.wait_for_subscribers(alarms_topic(world.ids["lot:A1a"]))
        await server.wait_for_subscribers(alarms_topic(world.ids["lot:B1a"]))
        assert len(feeds_of(server).feeds()) == 2

        a_alarm = await raise_in(db, world, "A1a", "alarm of tenant A")
        # Even published on B's topic, A's alarm is loaded in B's scope, finds nothing, and is skipped.
        await server.bus.publish(alarms_topic(world.ids["lot:B1a"]), {"id": a_alarm, "change": "raised"})
        b_alarm = await raise_in(db, world, "B1a", "alarm of tenant B")

        # Events arrive in publication order: B's first message being its own alarm shows A's never came.
        assert await ws_b.receive() == alarm_next(op_b, b_alarm, world.id("lot:B1a"), "alarm of tenant B")
        assert await ws_a.receive() == alarm_next(op_a, a_alarm, world.id("lot:A1a"), "alarm of tenant A")


async def test_a_lot_operator_and_its_customer_do_not_share(server: LiveServer, db: Database, world: World) -> None:
    """Both see lot A1a, but their scopes differ: each gets its own feed and its own resolution."""
    lot = world.id("lot:A1a")
    async with (
        graphql_ws(server, bearer(world.tokens["lotA1a"])) as ws_lot,
        graphql_ws(server, bearer(world.tokens["custA1"])) as ws_customer,
    ):
        op_lot = await ws_lot.subscribe(ALARMS, {"lots": [lot]})
        op_customer = await ws_customer.subscribe(ALARMS, {"lots": [lot]})
        await server.wait_for_feed_members(2)
        await server.wait_for_subscribers(alarms_topic(world.ids["lot:A1a"]), count=2)

        alarm_id = await raise_in(db, world, "A1a", "seen by both")

        assert await ws_lot.receive() == alarm_next(op_lot, alarm_id, lot, "seen by both")
        assert await ws_customer.receive() == alarm_next(op_customer, alarm_id, lot, "seen by both")
        assert len(feeds_of(server).feeds()) == 2


async def test_the_feed_lives_until_its_last_member_leaves(server: LiveServer, db: Database, world: World) -> None:
    lot, topic = world.id("lot:A1a"), alarms_topic(world.ids["lot:A1a"])
    async with (
        graphql_ws(server, bearer(world.tokens["agentA"])) as leaving,
        graphql_ws(server, bearer(world.tokens["agentA"])) as staying,
    ):
        gone = await leaving.subscribe(ALARMS, {"lots": [lot]})
        op = await staying.subscribe(ALARMS, {"lots": [lot]})
        await server.wait_for_feed_members(2)
        await server.wait_for_subscribers(topic)

        await leaving.complete(gone)
        alarm_id = await raise_in(db, world, "A1a", "after one left")

        assert await staying.receive() == alarm_next(op, alarm_id, lot, "after one left")
        assert feeds_of(server).member_count() == 1
        await staying.complete(op)
        await server.wait_for_no_subscribers(topic)
    assert feeds_of(server).feeds() == []


async def test_alike_refused_subscriptions_each_get_the_error(server: LiveServer, world: World) -> None:
    lot = world.id("lot:A1a")
    async with graphql_ws(server, bearer(world.tokens["viewer"])) as ws:
        ops = [await ws.subscribe(ALARMS, {"lots": [lot]}), await ws.subscribe(ALARMS, {"lots": [lot]})]
        messages = [await ws.receive(), await ws.receive()]

    assert sorted(m["id"] for m in messages) == sorted(ops)
    assert {m["type"] for m in messages} == {"error"}
    assert {m["payload"][0]["extensions"]["code"] for m in messages} == {"PERMISSION_DENIED"}
    assert feeds_of(server).feeds() == []


async def test_events_loaded_at_once_arrive_in_publication_order(
    server: LiveServer, db: Database, world: World
) -> None:
    """A feed loads up to four events at once (schema/live/watch.py) and still hands them out in order."""
    lot = world.id("lot:A1a")
    async with graphql_ws(server, bearer(world.tokens["agentA"])) as ws:
        await ws.subscribe(ALARMS, {"lots": [lot]})
        await server.wait_for_subscribers(alarms_topic(world.ids["lot:A1a"]))
        kinds = list(AlarmKind)[:6]
        raised = [await raise_in(db, world, "A1a", f"alarm {n}", kind) for n, kind in enumerate(kinds)]

        received = [await ws.receive() for _ in raised]

    assert [m["payload"]["data"]["alarms"]["alarm"]["message"] for m in received] == [
        f"alarm {n}" for n in range(len(kinds))
    ]
    assert [int(m["payload"]["data"]["alarms"]["alarm"]["id"]) for m in received] == raised
