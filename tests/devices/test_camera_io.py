"""The camera-IO barrier from the cloud: its health is its camera's polls, its open is taken by the camera's poll."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select, update

from api.app import create_app
from config.settings import Settings
from hardware.simulators.camera import CameraSimulator
from parking.alarms.models import Alarm
from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.scope import Scope
from parking.devices.models import Device, DeviceStatus, GateCommand
from parking.devices.poller import poll_lot
from tests.conftest import GraphQL
from tests.devices.conftest import REGISTER, dispatcher
from tests.devices.test_commands import COMMANDS, SEND
from tests.lanes.site import Site, build_site, seat_tokens

pytestmark = pytest.mark.anyio


async def _setup(db: Database, gql: GraphQL) -> tuple[Site, str, str]:
    """A lot whose entry barrier is wired to the entry camera's relay; returns the site, token and barrier id."""
    site = await build_site(db)
    token = (await seat_tokens(site))["seat"]
    variables = {
        "input": {
            "lotId": site.lot_id,
            "laneId": site.ids["in"],
            "kind": "CONTROLLER",
            "name": "entry barrier (camera relay)",
            "serial": f"relay-{site.lot_id}",
            "config": {"type": "camera_io", "lane_id": str(site.ids["in"]), "offline_after_s": 60},
        }
    }
    body = await gql(REGISTER, variables, token=token)
    assert body.get("errors") is None, body
    return site, token, str(body["data"]["x"]["device"]["id"])


def _camera(site: Site, transport: httpx.AsyncBaseTransport) -> CameraSimulator:
    serial = next(s for s in site.secrets if s.endswith("-in"))
    return CameraSimulator(
        "http://testserver/devices/vzenith/push",
        serial=serial,
        token=site.secrets[serial],
        token_header="X-Device-Key",
        transport=transport,
    )


async def _device(db: Database, device_id: str) -> Device:
    async with db.session(Scope.internal()) as s:
        row = await s.get(Device, int(device_id))
    assert row is not None
    return row


async def _alarms(db: Database) -> list[tuple[str, str]]:
    async with db.session(Scope.internal()) as s:
        return [(a.kind.value, a.status.value) for a in await s.scalars(select(Alarm).order_by(Alarm.id))]


async def _commands(gql: GraphQL, token: str, device_id: str) -> list[tuple[str, str, str]]:
    body = await gql(COMMANDS, {"d": device_id}, token=token)
    assert body.get("errors") is None, body
    return [(c["kind"], c["status"], c["result"]) for c in body["data"]["deviceCommands"]["items"]]


async def _gate_commands(db: Database) -> list[tuple[str, str]]:
    async with db.session(Scope.internal()) as s:
        return [(g.status.value, g.result) for g in await s.scalars(select(GateCommand).order_by(GateCommand.id))]


async def test_a_silent_camera_takes_its_relay_barrier_offline_and_its_next_poll_brings_it_back(
    db: Database, gql: GraphQL, settings: Settings
) -> None:
    # given a camera-IO barrier whose camera polls
    site, _, barrier_id = await _setup(db, gql)
    camera_id = site.ids["device:in"]
    camera = _camera(site, httpx.ASGITransport(app=create_app(settings, db)))
    assert await camera.heartbeat()
    polled = (await _device(db, str(camera_id))).last_seen_at
    assert polled is not None
    # when the poller looks within the barrier's limit, then it is online, seen when its camera was
    await poll_lot(db, site.lot_id, now=lambda: polled + timedelta(seconds=60))
    barrier = await _device(db, barrier_id)
    assert (barrier.status, barrier.last_seen_at) == (DeviceStatus.ONLINE, polled)
    # when the camera has been silent past the limit (its last poll moved 90 s back)
    async with db.transaction(Scope.internal()) as s:
        await s.execute(
            update(Device).where(Device.id == camera_id).values(last_seen_at=utcnow() - timedelta(seconds=90))
        )
    report = await poll_lot(db, site.lot_id)
    await poll_lot(db, site.lot_id)
    # then the barrier goes offline with its alarm, once however many looks the silence lasts
    barrier = await _device(db, barrier_id)
    assert report.changed == [int(barrier_id)]
    assert barrier.status is DeviceStatus.OFFLINE
    assert barrier.last_error.startswith("its camera silent for 9")
    assert await _alarms(db) == [("device_offline", "open")]
    # when the camera polls again, the next look brings the barrier back and resolves the alarm
    assert await camera.heartbeat()
    await poll_lot(db, site.lot_id)
    assert (await _device(db, barrier_id)).status is DeviceStatus.ONLINE
    assert await _alarms(db) == [("device_offline", "resolved")]
    await camera.aclose()


async def test_a_camera_that_never_calls_takes_its_barrier_offline_after_one_period(db: Database, gql: GraphQL) -> None:
    site, _, barrier_id = await _setup(db, gql)
    created = (await _device(db, barrier_id)).created_at
    await poll_lot(db, site.lot_id, now=lambda: created + timedelta(seconds=30))
    assert (await _device(db, barrier_id)).status is DeviceStatus.ONLINE  # probed at registration
    await poll_lot(db, site.lot_id, now=lambda: created + timedelta(seconds=61))
    barrier = await _device(db, barrier_id)
    assert (barrier.status, barrier.last_error) == (DeviceStatus.OFFLINE, "its camera has never pushed or polled")


async def test_an_open_the_camera_takes_in_its_poll_is_done(db: Database, gql: GraphQL, settings: Settings) -> None:
    # given a camera-IO barrier and its camera polling
    site, token, barrier_id = await _setup(db, gql)
    # The open waits long for the camera: on a loaded machine a poll through a fresh app can take seconds, and this
    # test is about the poll taking the open, not about the wait running out.
    dispatcher(db).open_timeout_s = 60.0
    camera = _camera(site, httpx.ASGITransport(app=create_app(settings, db)))
    # when an operator opens it while the camera polls
    await gql(SEND, {"d": barrier_id, "k": "OPEN_GATE", "r": "visitor"}, token=token)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 60.0
    while loop.time() < deadline:
        await camera.heartbeat()
        # The open is queued by the dispatcher's job, after the mutation answers: until it is, there is no row
        # (on a busy machine that wait once ended the loop before the camera had anything to take).
        if await _gate_commands(db) not in ([], [("pending", "")]):
            break
        await asyncio.sleep(0.02)
    await dispatcher(db).drain()
    # then the camera's poll took the open once and the command says so
    assert await _gate_commands(db) == [("done", "taken by camera poll")]
    assert await _commands(gql, token, barrier_id) == [("OPEN_GATE", "DONE", "taken by the camera's poll")]
    assert await _alarms(db) == []
    await camera.aclose()


async def test_an_open_the_camera_never_takes_fails_with_gate_failed_and_is_voided(db: Database, gql: GraphQL) -> None:
    # given a camera-IO barrier whose camera does not poll
    site, token, barrier_id = await _setup(db, gql)
    dispatcher(db)  # a short open timeout
    # when an operator opens it
    await gql(SEND, {"d": barrier_id, "k": "OPEN_GATE", "r": ""}, token=token)
    await dispatcher(db).drain()
    # then the command fails with "道闸未能打开", and the open can no longer open for a later car
    assert await _commands(gql, token, barrier_id) == [
        ("OPEN_GATE", "FAILED", f"lane {site.ids['in']}: camera did not take the open command within 0.3 s")
    ]
    assert await _alarms(db) == [("gate_failed", "open")]
    assert await _gate_commands(db) == [("expired", "the camera did not take it in time")]
    async with db.session(Scope.internal()) as s:
        alarm = await s.scalar(select(Alarm))
    assert alarm is not None
    assert alarm.message == "道闸未能打开：entry barrier (camera relay)"
