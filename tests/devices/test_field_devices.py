"""Every camera protocol registered through the API and driven over real HTTP, with payloads as firmware sends
them (tests/fixtures/cameras/README.md names the vendor document each one follows)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from api.app import create_app
from config.settings import Settings
from hardware.simulators.camera import CameraSimulator
from hardware.simulators.hikvision_isapi import IsapiCameraSimulator
from parking.common.audit import AuditEntry
from parking.common.database import Database
from parking.common.scope import Scope
from parking.devices.models import Device
from parking.sessions.models import LaneEvent
from tests.cameras.conftest import FIXTURES
from tests.devices.conftest import REGISTER
from tests.devices.test_commands import COMMANDS, SEND
from tests.lanes.site import Site, build_site, seat_tokens
from tests.live import WAIT_S, LiveServer, bearer, live_server

pytestmark = pytest.mark.anyio

FIELDS = "id serial mac firmware status protocol supportedCommands"
REGISTER_FULL = REGISTER.replace("device { id kind", f"device {{ {FIELDS} kind")


@dataclass
class Api:
    """The GraphQL API of a running server, as the console calls it."""

    http: httpx.AsyncClient
    token: str
    server: LiveServer

    async def __call__(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        response = await self.http.post("/graphql", json={"query": query, "variables": variables})
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        assert body.get("errors") is None, body
        result: dict[str, Any] = body["data"]["x"]
        return result

    async def register(self, site: Site, lane: str, kind: str, config: dict[str, Any]) -> dict[str, Any]:
        variables = {
            "input": {"lotId": str(site.lot_id), "laneId": str(site.ids[lane]), "kind": kind, "name": lane}
            | {"config": config}
        }
        result = await self(REGISTER_FULL, variables)
        assert "secret" in result, result
        return result

    async def command(self, device_id: str, kind: str) -> dict[str, Any]:
        sent = await self(SEND, {"d": device_id, "k": kind, "r": "field test"})
        assert sent["command"]["status"] == "PENDING", sent
        return dict(sent["command"])

    async def finished_or_none(self, device_id: str) -> dict[str, Any] | None:
        """The device's latest command if it has left PENDING/SENT."""
        response = await self.http.post("/graphql", json={"query": COMMANDS, "variables": {"d": device_id}})
        latest: dict[str, Any] = response.json()["data"]["deviceCommands"]["items"][0]
        return None if latest["status"] in ("PENDING", "SENT") else latest

    async def finished(self, device_id: str) -> dict[str, Any]:
        """The device's latest command once it has left PENDING/SENT."""
        async with asyncio.timeout(WAIT_S):
            while (latest := await self.finished_or_none(device_id)) is None:  # noqa: ASYNC110 (no push to wait on)
                await asyncio.sleep(0.05)
        return latest


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


CLIENT_TIMEOUT_S = 30.0


@asynccontextmanager
async def _api(db: Database, settings: Settings, site: Site) -> AsyncIterator[Api]:
    """The app running on a port (started once the site exists), and a seat operator's API client."""
    token = (await seat_tokens(site))["seat"]
    async with (
        live_server(create_app(settings, db)) as server,
        # httpx's 5 s default ran out for a camera push in a full run at load 4-7 (the reply came; it was late).
        httpx.AsyncClient(base_url=server.url, headers=bearer(token), timeout=CLIENT_TIMEOUT_S) as http,
    ):
        yield Api(http, token, server)


async def _event_devices(db: Database, plate: str) -> list[int | None]:
    async with db.session(Scope.internal()) as s:
        return list(await s.scalars(select(LaneEvent.device_id).where(LaneEvent.plate == plate)))


# (deviceInfo fixture, ANPR alert fixture, the alert's plate, firmware as registered): one per XML namespace.
NAMESPACES = [
    ("hikvision_deviceinfo_hikvision_ns.xml", "hikvision_anpr_hikvision_ns.xml", "浙A67890", "V5.5.800 build 210628"),
    ("hikvision_deviceinfo_isapi_ns.xml", "hikvision_anpr.xml", "浙A12345", "V5.7.3 build 230512"),
    ("hikvision_deviceinfo_no_ns.xml", "hikvision_anpr_no_ns.xml", "浙B24680", "V5.5.800 build 210628"),
]


@pytest.mark.parametrize(("info", "alert", "plate", "firmware"), NAMESPACES)
async def test_a_hikvision_camera_registers_pushes_and_opens_in_every_namespace(
    db: Database,
    settings: Settings,
    info: str,
    alert: str,
    plate: str,
    firmware: str,
) -> None:
    # given a Hikvision entrance camera answering deviceInfo and the barrier as its firmware does
    site = await build_site(db)
    ok = fixture_bytes("hikvision_responsestatus_ok.xml")
    camera = IsapiCameraSimulator(device_info_body=fixture_bytes(info), barrier_reply=(200, ok))
    async with camera, _api(db, settings, site) as api:
        # when it is registered through the API
        config = {"type": "hikvision_isapi", "host": "127.0.0.1", "port": camera.port, "password": "hik12345"}
        result = await api.register(site, "in", "CAMERA", config)
        device = result["device"]
        # then serial, MAC and firmware are read from it, and it takes gate commands
        assert {k: device[k] for k in ("serial", "mac", "firmware", "status", "protocol")} == {
            "serial": "DS-TCG227-A20231120CCWRJ12345678",
            "mac": "24:0f:9b:5a:31:c2",
            "firmware": firmware,
            "status": "ONLINE",
            "protocol": "hikvision_isapi",
        }
        assert device["supportedCommands"] == ["OPEN_GATE", "CLOSE_GATE", "REBOOT"]
        # and the camera's password is kept for the executor, but never copied into the audit log
        async with db.session(Scope.internal()) as s:
            row = await s.get(Device, int(device["id"]))
            created = select(AuditEntry).where(AuditEntry.action == "device.create")
            audit = await s.scalar(created.where(AuditEntry.entity_id == int(device["id"])))
        assert row is not None
        assert audit is not None
        assert row.config["password"] == "hik12345"
        assert audit.after is not None
        assert audit.after["config"]["password"] == "***"

        # when it pushes an ANPR alert naming itself by MAC, as ISAPI alerts do
        push = await api.http.post(
            "/devices/hikvision/push",
            content=fixture_bytes(alert),
            headers={"Content-Type": "application/xml", "X-Device-Key": result["secret"]},
        )
        # then it is acknowledged with a ResponseStatus and the reading is this device's
        assert push.status_code == 200, push.text
        assert b"<statusCode>1</statusCode>" in push.content
        assert await _event_devices(db, plate) == [int(device["id"])]
        # and the entry decision opened the barrier through ISAPI (after commit, so waited for)
        async with asyncio.timeout(WAIT_S):
            while camera.commands != ["open"]:  # noqa: ASYNC110 (the simulator has no notification)
                await asyncio.sleep(0.02)

        # when the operator opens the barrier
        await api.command(device["id"], "OPEN_GATE")
        done = await api.finished(device["id"])
        # then the result is what the camera answered
        assert (done["status"], done["result"]) == ("DONE", "unknown, device answered 1 OK (ok)")
        assert camera.commands == ["open", "open"]
        # and a reboot is asked of the camera itself, its answer recorded
        await api.command(device["id"], "REBOOT")
        rebooted = await api.finished(device["id"])
        assert (rebooted["status"], rebooted["result"]) == ("DONE", "unknown, device answered 1 OK (ok)")
        assert camera.commands == ["open", "open", "reboot"]


@pytest.mark.parametrize(
    ("http_status", "answer", "result"),
    [
        (403, "hikvision_responsestatus_notsupport.xml", "HTTP 403: 4 Invalid Operation (notSupport)"),
        (200, "hikvision_responsestatus_busy.xml", "status 2 Device Busy (deviceBusy)"),
    ],
)
async def test_a_hikvision_refusal_is_recorded_as_the_camera_answered(
    db: Database,
    settings: Settings,
    http_status: int,
    answer: str,
    result: str,
) -> None:
    # given a camera whose firmware refuses the barrier, with HTTP 403 or with HTTP 200 and a failure status
    site = await build_site(db)
    info = fixture_bytes("hikvision_deviceinfo_hikvision_ns.xml")
    cam = IsapiCameraSimulator(device_info_body=info, barrier_reply=(http_status, fixture_bytes(answer)))
    async with cam, _api(db, settings, site) as api:
        config = {"type": "hikvision_isapi", "host": "127.0.0.1", "port": cam.port, "password": "hik12345"}
        device = (await api.register(site, "in", "CAMERA", config))["device"]
        # when the operator opens
        await api.command(device["id"], "OPEN_GATE")
        done = await api.finished(device["id"])
    # then the command failed with the camera's own words, nothing opened, and the camera is still online
    assert done["status"] == "FAILED"
    assert done["result"].endswith(result), done["result"]
    assert cam.commands == []
    async with db.session(Scope.internal()) as s:
        row = await s.get(Device, int(device["id"]))
        assert row is not None
        assert row.status.value == "online"


async def test_a_hikvision_camera_the_cloud_cannot_reach_registers_by_mac_and_pushes(
    db: Database, settings: Settings
) -> None:
    site = await build_site(db)
    async with _api(db, settings, site) as api:
        # when a push-only Hikvision camera is registered by the MAC on its label, written as the label has it
        result = await api.register(site, "in", "CAMERA", {"type": "hikvision_push", "mac": "24-0F-9B-5A-31-C2"})
        device = result["device"]
        # then its alerts' identity is its key, it waits for its first push, and it takes no commands
        assert {k: device[k] for k in ("serial", "mac", "status", "protocol", "supportedCommands")} == {
            "serial": "24:0f:9b:5a:31:c2",
            "mac": "24:0f:9b:5a:31:c2",
            "status": "UNKNOWN",
            "protocol": "hikvision_push",
            "supportedCommands": [],
        }
        # when it sends its keep-alive, it is online
        beat = await api.http.post(
            "/devices/hikvision/push",
            content=fixture_bytes("hikvision_heartbeat.xml"),
            headers={"Content-Type": "application/xml", "X-Device-Key": result["secret"]},
        )
        assert beat.status_code == 200, beat.text
        async with db.session(Scope.internal()) as s:
            beating = await s.get(Device, int(device["id"]))
            assert beating is not None
            assert beating.status.value == "online"
        # when it pushes an ANPR alert with its pictures
        push = await api.http.post(
            "/devices/hikvision/push",
            content=fixture_bytes("hikvision_anpr.multipart"),
            headers={"Content-Type": "multipart/form-data; boundary=MIME_boundary", "X-Device-Key": result["secret"]},
        )
    # then the reading is its own, and it is online
    assert push.status_code == 200, push.text
    assert await _event_devices(db, "浙A12345") == [int(device["id"])]
    async with db.session(Scope.internal()) as s:
        row = await s.get(Device, int(device["id"]))
        assert row is not None
        assert row.status.value == "online"


async def test_a_vzenith_camera_registers_and_takes_a_whitelist_and_an_open_in_its_polls(
    db: Database, settings: Settings
) -> None:
    # given a lot with a monthly pass
    site = await build_site(db)
    now = datetime.now(UTC)
    await site.add_pass("京A10001", now - timedelta(days=1), now + timedelta(days=29))
    async with _api(db, settings, site) as api:
        # when a Vzenith camera is registered through the API
        # (comet polling, held 1 s when nothing is due: well below the simulated camera's HTTP timeout, as an
        # installer sets a real camera's timeout above the hold; 10 s, so a busy machine's slow reply is no miss)
        config = {
            "type": "vzenith",
            "serial": "VZ-R5-000042",
            "offline_after_s": 60,
            "heartbeat": "comet",
            "comet_hold_s": 1,
        }
        result = await api.register(site, "in2", "CAMERA", config)
        device = result["device"]
        # then it waits for its first call, and offers the commands its protocol can carry
        assert (device["serial"], device["status"], device["protocol"]) == ("VZ-R5-000042", "UNKNOWN", "vzenith")
        assert device["supportedCommands"] == ["OPEN_GATE", "PUSH_WHITELIST"]
        url = f"{api.server.url}/devices/vzenith/push"
        async with CameraSimulator(
            url, serial="VZ-R5-000042", token=result["secret"], token_header="X-Device-Key", timeout_s=10
        ) as cam:
            # when it polls, it is online
            assert await cam.heartbeat()
            # when the whitelist is pushed, the next poll carries it
            await api.command(device["id"], "PUSH_WHITELIST")
            assert await cam.heartbeat()
            assert sorted(cam.whitelist) == ["京A10001"]
            done = await api.finished(device["id"])
            assert (done["kind"], done["status"]) == ("PUSH_WHITELIST", "DONE")
            # when the operator opens, the camera's next poll takes the open
            await api.command(device["id"], "OPEN_GATE")
            async with asyncio.timeout(WAIT_S):
                while (await api.finished_or_none(device["id"])) is None:
                    assert await cam.heartbeat()
            done = await api.finished(device["id"])
    assert (done["kind"], done["status"], done["result"]) == ("OPEN_GATE", "DONE", "taken by the camera's poll")
    async with db.session(Scope.internal()) as s:
        row = await s.get(Device, int(device["id"]))
        assert row is not None
        assert row.status.value == "online"


async def test_a_generic_push_camera_registers_and_takes_an_open_in_its_heartbeat_reply(
    db: Database, settings: Settings
) -> None:
    site = await build_site(db)
    async with _api(db, settings, site) as api:
        # when a generic push device is registered through the API
        result = await api.register(site, "out2", "CAMERA", {"type": "generic_push", "serial": "gate-7"})
        device = result["device"]
        assert (device["serial"], device["status"], device["protocol"]) == ("gate-7", "UNKNOWN", "generic_push")
        assert device["supportedCommands"] == ["OPEN_GATE"]
        beat = {"version": 1, "type": "heartbeat", "serial": "gate-7", "ip": "10.0.0.7"}
        headers = {"X-Device-Key": result["secret"]}
        # when it sends its heartbeat, it is online and told nothing
        first = await api.http.post("/devices/generic/push", json=beat, headers=headers)
        assert (first.status_code, first.json()["open"]) == (200, False)
        # when the operator opens, a following heartbeat's reply carries the open
        await api.command(device["id"], "OPEN_GATE")
        replies = []
        async with asyncio.timeout(WAIT_S):
            while (await api.finished_or_none(device["id"])) is None:
                replies.append((await api.http.post("/devices/generic/push", json=beat, headers=headers)).json())
        done = await api.finished(device["id"])
    assert [reply["open"] for reply in replies].count(True) == 1
    assert (done["status"], done["result"]) == ("DONE", "taken by the camera's poll")


async def test_a_display_on_the_cameras_rs485_port_registers_and_takes_no_commands(
    db: Database, settings: Settings
) -> None:
    site = await build_site(db)
    async with _api(db, settings, site) as api:
        config = {"type": "camera_display", "serial_channel": 0, "address": 1}
        body = await api.http.post(
            "/graphql",
            json={
                "query": REGISTER_FULL,
                "variables": {
                    "input": {
                        "lotId": str(site.lot_id),
                        "laneId": str(site.ids["out"]),
                        "kind": "DISPLAY",
                        "name": "LED",
                        "serial": "LED-OUT-1",
                        "config": config,
                    }
                },
            },
        )
    device = body.json()["data"]["x"]["device"]
    assert (device["serial"], device["protocol"], device["supportedCommands"]) == ("LED-OUT-1", "camera_display", [])
