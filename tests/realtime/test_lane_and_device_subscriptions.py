"""The laneEvents and deviceStatus subscriptions over a real websocket, on both buses."""

from __future__ import annotations

from typing import Any

import pytest

from parking.common.database import Database
from parking.common.events import devices_topic, lane_events_topic
from parking.devices.models import DeviceStatus
from tests.factories import World
from tests.live import LiveServer, bearer, graphql_ws
from tests.realtime.helpers import add_device, add_lane, record_lane_event, set_device_status

LANE_EVENTS = """
subscription ($lot: ID, $lanes: [ID!]) {
  laneEvents(lotId: $lot, laneIds: $lanes) { id lotId laneId kind plate opened decisionReason at }
}
"""

DEVICE_STATUS = """
subscription ($lots: [ID!]) { deviceStatus(lotIds: $lots) { id name status lastSeenAt lane { id } } }
"""


def lane_event(op_id: str, event_id: int, lot_id: int, lane_id: int, plate: str) -> dict[str, Any]:
    event = {
        "id": str(event_id),
        "lotId": str(lot_id),
        "laneId": str(lane_id),
        "kind": "ENTRY",
        "plate": plate,
        "opened": True,
        "decisionReason": "temporary",
        "at": "2026-11-21T08:30:00+00:00",
    }
    return {"id": op_id, "type": "next", "payload": {"data": {"laneEvents": event}}}


async def test_lane_events_of_a_lot_reach_the_subscriber(server: LiveServer, db: Database, world: World) -> None:
    lot, lane = world.ids["lot:A1a"], world.ids["lane:A1a"]
    async with graphql_ws(server, bearer(world.tokens["lotA1a"])) as ws:
        op = await ws.subscribe(LANE_EVENTS, {"lot": str(lot)})
        await server.wait_for_subscribers(lane_events_topic(lot))

        event_id = await record_lane_event(db, lane, "京A12345")

        assert await ws.receive() == lane_event(op, event_id, lot, lane, "京A12345")


async def test_lane_events_for_named_lanes_skip_the_other_lanes(server: LiveServer, db: Database, world: World) -> None:
    lot, entry = world.ids["lot:A1a"], world.ids["lane:A1a"]
    exit_lane = await add_lane(db, world, "A1a", "Out A1a")
    other_lot_lane = world.ids["lane:A1b"]
    async with graphql_ws(server, bearer(world.tokens["custA1"])) as ws:
        op = await ws.subscribe(LANE_EVENTS, {"lanes": [str(exit_lane), str(other_lot_lane)]})
        await server.wait_for_subscribers(lane_events_topic(lot))
        await server.wait_for_subscribers(lane_events_topic(world.ids["lot:A1b"]))

        await record_lane_event(db, entry, "京A11111")
        leaving = await record_lane_event(db, exit_lane, "京A22222")
        elsewhere = await record_lane_event(db, other_lot_lane, "京A33333")

        assert await ws.receive() == lane_event(op, leaving, lot, exit_lane, "京A22222")
        assert await ws.receive() == lane_event(op, elsewhere, world.ids["lot:A1b"], other_lot_lane, "京A33333")


@pytest.mark.parametrize(
    ("operator", "variables", "code", "field"),
    [
        ("agentA", {}, "INVALID", "lotId"),
        ("agentB", {"lot": "lot:A1a"}, "NOT_FOUND", "lotId"),
        ("agentB", {"lanes": ["lane:A1a"]}, "NOT_FOUND", "laneIds"),
        ("lotA1a", {"lanes": ["lane:A1a", "lane:A1b"]}, "NOT_FOUND", "laneIds"),
        ("agentA", {"lot": "lot:A1a", "lanes": ["lane:A1b"]}, "INVALID", "laneIds"),
        ("agentA", {"lanes": []}, "INVALID", "laneIds"),
        ("viewer", {"lot": "lot:A1a"}, "PERMISSION_DENIED", None),
    ],
)
async def test_a_refused_lane_subscription_gets_a_coded_error(
    server: LiveServer, world: World, operator: str, variables: dict[str, Any], code: str, field: str | None
) -> None:
    resolved = {
        key: world.id(value) if isinstance(value, str) else [world.id(v) for v in value]
        for key, value in variables.items()
    }
    async with graphql_ws(server, bearer(world.tokens[operator])) as ws:
        op = await ws.subscribe(LANE_EVENTS, resolved)
        message = await ws.receive()

    assert message["id"] == op
    assert message["type"] == "error"
    assert message["payload"][0]["extensions"] == {"code": code, "field": field}
    assert await server.bus.subscriber_count(lane_events_topic(world.ids["lot:A1a"])) == 0


async def test_device_status_changes_reach_the_subscriber_of_that_tenant_only(
    server: LiveServer, db: Database, world: World
) -> None:
    # The camera's lane is a nested field, loaded through the connection's dataloaders.
    camera = await add_device(db, world, "A2a", "CAM-A2A-1", lane_id=world.ids["lane:A2a"])
    foreign = await add_device(db, world, "B1a", "CAM-B1A-1")
    async with (
        graphql_ws(server, bearer(world.tokens["agentA"])) as ws_a,
        graphql_ws(server, bearer(world.tokens["agentB"])) as ws_b,
    ):
        op_a = await ws_a.subscribe(DEVICE_STATUS, {"lots": [world.id("lot:A2a")]})
        op_b = await ws_b.subscribe(DEVICE_STATUS)
        await server.wait_for_subscribers(devices_topic(world.ids["lot:A2a"]))
        await server.wait_for_subscribers(devices_topic(world.ids["lot:B1a"]))

        await set_device_status(db, camera, DeviceStatus.OFFLINE)
        await set_device_status(db, foreign, DeviceStatus.ONLINE)

        assert await ws_b.receive() == {
            "id": op_b,
            "type": "next",
            "payload": {
                "data": {
                    "deviceStatus": {
                        "id": str(foreign),
                        "name": "CAM-B1A-1",
                        "status": "ONLINE",
                        "lastSeenAt": "2026-11-21T08:30:00+00:00",
                        "lane": None,
                    }
                }
            },
        }
        assert await ws_a.receive() == {
            "id": op_a,
            "type": "next",
            "payload": {
                "data": {
                    "deviceStatus": {
                        "id": str(camera),
                        "name": "CAM-A2A-1",
                        "status": "OFFLINE",
                        "lastSeenAt": None,
                        "lane": {"id": world.id("lane:A2a")},
                    }
                }
            },
        }


async def test_a_repeated_status_is_not_published_again(server: LiveServer, db: Database, world: World) -> None:
    camera = await add_device(db, world, "A1a", "CAM-A1A-1")
    async with graphql_ws(server, bearer(world.tokens["agentA"])) as ws:
        op = await ws.subscribe(DEVICE_STATUS, {"lots": [world.id("lot:A1a")]})
        await server.wait_for_subscribers(devices_topic(world.ids["lot:A1a"]))

        changes = [await set_device_status(db, camera, s) for s in (DeviceStatus.ONLINE, DeviceStatus.ONLINE)]
        changes.append(await set_device_status(db, camera, DeviceStatus.OFFLINE))

        first, second = await ws.receive(), await ws.receive()
    assert changes == [True, False, True]
    assert [first["id"], second["id"]] == [op, op]
    assert [m["payload"]["data"]["deviceStatus"]["status"] for m in (first, second)] == ["ONLINE", "OFFLINE"]
