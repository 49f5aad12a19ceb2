"""End to end: a camera push over HTTP raises an alarm and a lane event that reach the cloud seat's websocket."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx

from api.app import create_app
from config.settings import Settings
from parking.common.database import Database
from parking.common.events import alarms_topic, lane_events_topic
from tests.lanes.site import build_site, seat_tokens
from tests.live import bearer, graphql_ws, live_server

ALARMS = "subscription ($lots: [ID!]) { alarms(lotIds: $lots) { change alarm { kind plate laneId status } } }"
LANE_EVENTS = "subscription ($lot: ID) { laneEvents(lotId: $lot) { kind plate laneId opened } }"


async def test_an_exit_without_entry_pushed_by_a_camera_reaches_the_seat(db: Database, live_settings: Settings) -> None:
    site = await build_site(db)
    tokens = await seat_tokens(site)
    serial = next(s for s in site.secrets if s.endswith("-out"))
    lot, lane = str(site.lot_id), str(site.ids["out"])
    reading = {
        "version": 1,
        "type": "reading",
        "serial": serial,
        "plate": "京A99999",
        "confidence": 0.97,
        "taken_at": datetime.now(UTC).isoformat(),
        "event_id": "e-1",
    }
    async with (
        live_server(create_app(live_settings, db)) as server,
        graphql_ws(server, bearer(tokens["seat"])) as ws,
        httpx.AsyncClient(base_url=server.url) as camera,
    ):
        alarms_op = await ws.subscribe(ALARMS, {"lots": [lot]})
        events_op = await ws.subscribe(LANE_EVENTS, {"lot": lot})
        await server.wait_for_subscribers(alarms_topic(site.lot_id))
        await server.wait_for_subscribers(lane_events_topic(site.lot_id))

        pushed = await camera.post(
            "/devices/generic/push",
            params={"key": site.secrets[serial]},
            content=json.dumps(reading),
            headers={"content-type": "application/json"},
        )
        received = {m["id"]: m["payload"]["data"] for m in [await ws.receive(), await ws.receive()]}

    assert pushed.status_code == 200
    assert received == {
        alarms_op: {
            "alarms": {
                "change": "RAISED",
                "alarm": {"kind": "EXIT_WITHOUT_ENTRY", "plate": "京A99999", "laneId": lane, "status": "OPEN"},
            }
        },
        events_op: {"laneEvents": {"kind": "EXIT", "plate": "京A99999", "laneId": lane, "opened": False}},
    }
