"""A Vzenith camera over real HTTP (uvicorn on loopback), sending what firmware sends (tests/fixtures/cameras).

Commands reach the camera in both heartbeat modes, every message type gets a well-formed reply and a record,
a bad field costs only that field, and a car that reverses away neither opens again nor leaves a stay.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import event, select, update
from sqlalchemy.pool import NullPool

from api.app import create_app
from config.settings import Settings
from hardware.cameras import vzenith
from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.scope import Scope
from parking.devices import gates
from parking.devices.models import Device, DeviceMessage, DeviceMessageKind, DeviceRefusal, GateCommand
from parking.lanes.camera_messages import lane_presence
from parking.sessions.enums import SessionState
from parking.tenancy.models import Lane
from tests.lanes.site import Site, build_site
from tests.live import serve

pytestmark = pytest.mark.anyio

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "cameras"
HEARTBEAT_TYPE = "multipart/form-data; boundary=------------------------caa771fe4a61f3d9"
PUSH = "/devices/vzenith/push"


def _fixture(name: str, serial: str) -> bytes:
    """A captured payload with its serial replaced by the test camera's."""
    text = (FIXTURES / name).read_text(encoding="utf-8")
    for captured in ("d85b1269-8f942256", "cead13eb-1a198cd7", "eff50e18-e3d3862b", "fe71e106-57263272"):
        text = text.replace(captured, serial)
    return text.encode("utf-8")


def _doc(name: str, serial: str) -> dict[str, Any]:
    return dict(json.loads(_fixture(name, serial)))


class Camera:
    """The entry camera of a site, talking to a live server."""

    def __init__(self, http: httpx.AsyncClient, site: Site) -> None:
        self.http = http
        self.serial = next(s for s in site.secrets if s.endswith("-in"))
        self.key = site.secrets[self.serial]

    async def post(self, body: bytes, content_type: str = "application/json") -> httpx.Response:
        return await self.http.post(
            PUSH, content=body, headers={"content-type": content_type, "x-device-key": self.key}
        )

    async def poll(self) -> httpx.Response:
        return await self.post(_fixture("vzenith_ivs_heartbeat.multipart", self.serial), HEARTBEAT_TYPE)

    async def push(self, doc: dict[str, Any]) -> httpx.Response:
        return await self.post(json.dumps(doc, ensure_ascii=False).encode("utf-8"))


@pytest.fixture
async def site(db: Database) -> Site:
    return await build_site(db)


@asynccontextmanager
async def live(db: Database, settings: Settings, site: Site) -> AsyncIterator[Camera]:
    # Not a fixture: the server must run in the test's own event loop.
    async with serve(create_app(settings, db)) as url, httpx.AsyncClient(base_url=url, timeout=30) as http:
        yield Camera(http, site)


async def _configure(db: Database, site: Site, **config: object) -> None:
    async with db.transaction(Scope.internal()) as s:
        await s.execute(update(Device).where(Device.id == site.ids["device:in"]).values(config=config))


async def _remote_open(db: Database, site: Site) -> int:
    """What a payment or an operator's remote open does: a pending open for the lane, valid 30 s."""
    async with db.transaction(Scope.internal()) as s:
        lane = await s.get(Lane, site.ids["in"])
        assert lane is not None
        command = gates.queue_open(s, lane, utcnow(), reason="remote open")
        await s.flush()
        return command.id


async def _gate(db: Database, command_id: int) -> tuple[str, str]:
    async with db.session(Scope.internal()) as s:
        command = await s.get(GateCommand, command_id)
        assert command is not None
        return command.status.value, command.result


@contextmanager
def _statements(db: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        seen.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", count)


async def test_a_held_comet_poll_carries_a_remote_open_the_moment_it_is_queued(
    db: Database, site: Site, settings: Settings
) -> None:
    async with live(db, settings, site) as camera:
        # given a comet camera whose IO output 1 drives the barrier, polling (held: nothing is due)
        await _configure(db, site, heartbeat="comet", comet_hold_s=30, io_output=1)
        held = asyncio.create_task(camera.poll())
        await asyncio.sleep(0.3)
        assert not held.done()
        # when a remote open is queued
        command_id = await _remote_open(db, site)
        reply = vzenith.decode_reply((await asyncio.wait_for(held, 10)).content)
        # then the held poll returns with it: info ok and the IO pulse, taken once
        assert (reply.open, reply.io_pulse) == (True, (1, vzenith.IO_PULSE, 500))
        assert await _gate(db, command_id) == ("done", "taken by camera poll")


async def test_an_idle_held_poll_costs_one_statement_and_returns_empty(
    db: Database, site: Site, settings: Settings
) -> None:
    async with live(db, settings, site) as camera:
        await _configure(db, site, heartbeat="comet", comet_hold_s=1)
        await camera.poll()
        await camera.poll()  # the end-of-hold look refreshes the device cache
        with _statements(db) as seen:
            response = await camera.poll()
        assert response.status_code == 200
        assert response.content == b'{"Response_AlarmInfoPlate":{}}'
        assert len(seen) == 1, seen
        assert seen[0].lstrip().upper().startswith("UPDATE DEVICES")


async def test_a_comet_camera_in_auto_mode_is_held_once_it_polls_back_at_once(
    db: Database, site: Site, settings: Settings
) -> None:
    async with live(db, settings, site) as camera:
        # given a camera with no heartbeat mode set, whose first poll told us nothing yet
        await camera.poll()
        command_id = await _remote_open(db, site)
        # when it polls again at once, as only a comet camera does, the queued open goes out
        reply = vzenith.decode_reply((await camera.poll()).content)
        assert reply.open
        assert await _gate(db, command_id) == ("done", "taken by camera poll")


async def test_a_normal_heartbeat_is_answered_at_once_and_takes_nothing(
    db: Database, site: Site, settings: Settings
) -> None:
    async with live(db, settings, site) as camera:
        # given a camera in normal heartbeat mode (it ignores heartbeat replies) and a pending open
        await _configure(db, site, heartbeat="normal")
        command_id = await _remote_open(db, site)
        # when it sends heartbeats, they are answered at once and the open stays for a path the camera acts on
        for _ in range(3):
            assert (await camera.poll()).content == b'{"Response_AlarmInfoPlate":{}}'
        assert await _gate(db, command_id) == ("pending", "")


async def test_an_open_reply_drives_the_io_output_and_the_speaker(db: Database, site: Site, settings: Settings) -> None:
    async with live(db, settings, site) as camera:
        await _configure(db, site, io_output=2, speaker=True)
        doc = _doc("vzenith_r5_plate.json", camera.serial)
        reply = vzenith.decode_reply((await camera.push(doc)).content)
        assert reply.open
        assert reply.io_pulse == (2, vzenith.IO_PULSE, 500)
        assert reply.voice is not None
        assert "欢迎" in reply.voice
        assert reply.serial_frames  # the LED card still gets its frames


async def _messages(db: Database) -> list[tuple[str, int | None, int | None, str]]:
    async with db.session(Scope.internal()) as s:
        rows = await s.scalars(select(DeviceMessage).order_by(DeviceMessage.id))
        return [(m.kind.value, m.io_input, m.io_value, m.detail) for m in rows]


async def test_every_message_type_gets_a_well_formed_reply_and_a_record(
    db: Database, site: Site, settings: Settings
) -> None:
    async with live(db, settings, site) as camera:
        for name in ("vzenith_alarm_gio_in.json", "vzenith_serial_data.json", "vzenith_unknown_message.json"):
            response = await camera.post(_fixture(name, camera.serial))
            assert response.status_code == 200, name
            assert vzenith.decode_reply(response.content) == vzenith.decode_reply(b'{"Response_AlarmInfoPlate":{}}')
        assert await _messages(db) == [
            ("io_input", 3, 1, ""),
            ("serial_data", 0, None, "Y2guY29tFw=="),
            ("unknown", None, None, "AlarmInfoCarport"),
        ]
        # the loop input is the presence of a car at the lane
        async with db.session(Scope.internal()) as s:
            assert await lane_presence(s, site.ids["in"], utcnow()) is True
        # a snapshot naming no device is answered, and recorded as such (not as a malformed push)
        response = await camera.post(_fixture("vzenith_trigger_image.json", camera.serial))
        assert response.status_code == 200
        async with db.session(Scope.internal()) as s:
            refusal = await s.scalar(select(DeviceRefusal))
        assert refusal is not None
        assert (refusal.reason, refusal.detail) == ("unknown_device", "snapshot message names no device")


async def test_absurd_json_is_a_4xx(db: Database, site: Site, settings: Settings) -> None:
    async with live(db, settings, site) as camera:
        for body in (b"[" * 100_000 + b"]" * 100_000, b'{"AlarmInfoPlate": ' + b"7" * 6000 + b"}"):
            response = await camera.post(body)
            assert response.status_code == 400
            assert not vzenith.decode_reply(response.content).open


async def test_an_offline_record_with_a_bad_field_is_recorded_and_acknowledged(
    db: Database, site: Site, settings: Settings
) -> None:
    async with live(db, settings, site) as camera:
        doc = _doc("vzenith_ivs_offline_noplate.json", camera.serial)
        result = doc["AlarmInfoPlate"]["result"]["PlateResult"]
        result.update(isoffline=1, plateid=4242, colorType=77, confidence="n/a")
        reply = vzenith.decode_reply((await camera.push(doc)).content)
        assert (reply.open, reply.plate_id, reply.continue_offline) == (False, 4242, True)
        assert [m[0] for m in await _messages(db)] == [DeviceMessageKind.DROPPED_FIELDS.value]


async def test_a_car_that_reverses_away_does_not_open_again_and_leaves_no_stay(
    db: Database, site: Site, settings: Settings
) -> None:
    async with live(db, settings, site) as camera:
        # given a car read at the entry: it opens, and its stay begins
        first = vzenith.decode_reply((await camera.push(_doc("vzenith_r5_plate.json", camera.serial))).content)
        assert first.open
        assert await site.occupied() == (1, 1)
        # when the camera reports it backed away (trigger type 66)
        reversed_reply = await camera.push(_doc("vzenith_r5_reversed.json", camera.serial))
        # then nothing opens, and the stay is closed: the lot is as before the car came
        reply = vzenith.decode_reply(reversed_reply.content)
        assert (reply.open, reply.plate_id) == (False, 21086)
        assert await site.occupied() == (0, 0)
        stays = await site.all_sessions()
        assert [(s.state, s.fee_due_fen, s.release_reason) for s in stays] == [
            (SessionState.EXITED, 0, "车辆折返 未入场")
        ]
        assert [m[0] for m in await _messages(db)] == ["reversed"]


async def test_an_open_queued_in_another_process_wakes_the_held_poll_through_redis(
    db: Database, site: Site, settings: Settings
) -> None:
    # given a server with the Redis bus, and a comet camera held by it
    from redis.asyncio import Redis

    from parking.common.pubsub import RedisBus
    from parking.devices.wakeup import CAMERA_WORK_TOPIC
    from tests.conftest import REDIS_CONNECT_TIMEOUT_S, REDIS_URL, need_service

    probe = Redis.from_url(REDIS_URL, socket_connect_timeout=REDIS_CONNECT_TIMEOUT_S)
    try:
        await probe.ping()
    except OSError as err:
        need_service("Redis", str(err))
    finally:
        await probe.aclose()
    redis_settings = dataclasses.replace(settings, redis_url=REDIS_URL)
    other = Database.from_url(db.engine.url.render_as_string(hide_password=False), poolclass=NullPool)
    other.bus = RedisBus.from_url(REDIS_URL)
    try:
        async with live(db, redis_settings, site) as camera:
            await _configure(db, site, heartbeat="comet", comet_hold_s=30)
            async with asyncio.timeout(10):
                while await other.bus.subscriber_count(CAMERA_WORK_TOPIC) < 1:  # noqa: ASYNC110 (no notification)
                    await asyncio.sleep(0.02)
            held = asyncio.create_task(camera.poll())
            await asyncio.sleep(0.3)
            assert not held.done()
            # when another process (its own database handle, no in-process wake-up) queues a remote open
            command_id = await _remote_open(other, site)
            # then the held poll returns with it
            reply = vzenith.decode_reply((await asyncio.wait_for(held, 10)).content)
            assert reply.open
            assert await _gate(db, command_id) == ("done", "taken by camera poll")
    finally:
        await other.bus.close()
        await other.dispose()


async def test_a_car_released_while_it_waited_gets_its_open_in_the_reply_to_its_next_push(
    db: Database, site: Site, settings: Settings
) -> None:
    async with live(db, settings, site) as camera:
        # given a camera in normal heartbeat mode, and a car read at the lane
        await _configure(db, site, heartbeat="normal")
        doc = _doc("vzenith_r5_plate.json", camera.serial)
        assert vzenith.decode_reply((await camera.push(doc)).content).open
        (stay,) = await site.all_sessions()
        # when it is released while it waits (a payment, an operator), its open waits for a path the camera acts on
        async with db.transaction(Scope.internal()) as s:
            lane = await s.get(Lane, site.ids["in"])
            assert lane is not None
            command = gates.queue_open(s, lane, utcnow(), reason="paid", session_id=stay.id)
            await s.flush()
            command_id = command.id
        assert (await camera.poll()).content == b'{"Response_AlarmInfoPlate":{}}'  # ignored by the camera anyway
        # then the camera's next push of that car carries it, taken once
        doc["AlarmInfoPlate"]["result"]["PlateResult"]["plateid"] = 21090
        reply = vzenith.decode_reply((await camera.push(doc)).content)
        assert (reply.open, reply.plate_id) == (True, 21090)
        assert await _gate(db, command_id) == ("done", "taken by the reply to the camera's push")
        assert [m[0] for m in await _messages(db)] == ["open_by_push"]
        assert len(await site.all_sessions()) == 1
