"""The lane flow does not trust cameras blindly (issue #15): clocks, replay keys and plate text, over real HTTP.

Our app runs under uvicorn on a loopback port; cameras are played by pushing what the Vzenith firmware sends
(tests/lanes/firmware.py, from the captured payloads in tests/fixtures/cameras). Times are the wall clock's: a
live reading is placed at the moment it arrives.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from api.app import create_app
from config.settings import Settings
from hardware.cameras import vzenith
from hardware.displays.led_frames import decode_display
from parking.alarms.models import AlarmKind
from parking.common.database import Database
from parking.common.scope import Scope
from parking.devices.auth import hash_secret
from parking.devices.models import Device, DeviceClock, DeviceKind, DeviceStatus
from parking.plates import NO_PLATE, PROVINCES, is_valid_plate, printable
from parking.sessions.models import LaneEvent, ParkingSession
from parking.tenancy.models import Lane as LaneRow
from tests.lanes.firmware import (
    HIKVISION_SERIAL,
    HIKVISION_TYPE,
    JSON_TYPE,
    hikvision_anpr,
    vzenith_heartbeat,
    vzenith_plate,
)
from tests.lanes.site import Site, add_edge, build_site
from tests.live import serve

pytestmark = pytest.mark.anyio

CAR = "京A12345"
PASS_CAR = "京B54321"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def wall() -> datetime:
    return datetime.now(UTC)


class Lane:
    """One camera of the site, pushing over HTTP."""

    def __init__(self, http: httpx.AsyncClient, site: Site, name: str) -> None:
        self.http = http
        self.serial = next(s for s in site.secrets if s.rsplit("-", 1)[1] == name)
        self.key = site.secrets[self.serial]
        self.device_id = site.ids[f"device:{name}"]

    async def post(self, body: bytes, content_type: str = JSON_TYPE) -> httpx.Response:
        return await self.http.post(
            f"/devices/vzenith/push?key={self.key}", content=body, headers={"content-type": content_type}
        )

    async def read(
        self, plate: str, plate_id: int, camera_at: datetime | None = None, *, offline: bool = False
    ) -> vzenith.DecodedReply:
        response = await self.post(vzenith_plate(self.serial, plate, plate_id, camera_at or wall(), offline=offline))
        assert response.status_code == 200, response.text
        return vzenith.decode_reply(response.content)

    async def poll(self) -> vzenith.DecodedReply:
        """The camera's heartbeat, which is also its poll for a pending open."""
        body, content_type = vzenith_heartbeat(self.serial)
        response = await self.post(body, content_type)
        assert response.status_code == 200, response.text
        return vzenith.decode_reply(response.content)


@pytest.fixture
async def site(db: Database) -> Site:
    site = await build_site(db)
    # Registered a month ago: a replayed record of last night is plausible, one of 1970 is not.
    async with db.transaction(Scope.internal()) as s:
        await s.execute(
            update(Device).where(Device.lot_id == site.lot_id).values(created_at=wall() - timedelta(days=30))
        )
    await site.add_pass(PASS_CAR, wall() - timedelta(days=1), wall() + timedelta(days=30))
    return site


@asynccontextmanager
async def live(db: Database, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """Our app under uvicorn, and a client for it (served from the test itself: a server started in a fixture
    would run in a task that is suspended while the test runs)."""
    async with serve(create_app(settings, db)) as url, httpx.AsyncClient(base_url=url, timeout=30) as client:
        yield client


async def stays(site: Site, plate: str = CAR) -> list[ParkingSession]:
    return [s for s in await site.all_sessions() if s.plate == plate]


async def events(db: Database) -> list[LaneEvent]:
    async with db.session(Scope.internal()) as s:
        return list(await s.scalars(select(LaneEvent).order_by(LaneEvent.id)))


def lines_of(reply: vzenith.DecodedReply) -> list[str]:
    return [line.text for line in decode_display(data for _, data in reply.serial_frames).lines.values()]


async def assert_no_stay_ends_before_it_began(site: Site) -> None:
    for stay in await site.all_sessions():
        assert stay.exit_at is None or stay.exit_at >= stay.entry_at, stay


# --- 1. camera clocks -----------------------------------------------------------------------------------------


async def test_a_reset_exit_camera_is_corrected_by_the_offset_its_live_readings_showed(
    settings: Settings, site: Site, db: Database
) -> None:
    async with live(db, settings) as http:
        entry, exit_ = Lane(http, site, "in"), Lane(http, site, "out")
        # given a car that came in 2 h 40 min ago (the entry camera's replayed record, its clock right)
        await entry.read(CAR, 1, wall() - timedelta(hours=2, minutes=40), offline=True)
        # and an exit camera whose clock went back to 1970 at a reset: its live readings show how far off it is
        await entry.read(PASS_CAR, 2)
        booted = wall()
        assert (await exit_.read(PASS_CAR, 1, EPOCH + timedelta(minutes=5))).open
        offset = EPOCH + timedelta(minutes=5) - booted
        # when the exit camera replays the car's exit, made an hour ago by that clock
        left = wall() - timedelta(hours=1)
        await exit_.read(CAR, 2, left + offset, offline=True)
        # then the exit is placed at the hour ago, not in 1970: 1 h 40 min, four started half hours, owed as arrears
        [stay] = await stays(site)
        assert stay.exit_at is not None
        assert abs(stay.exit_at - left) < timedelta(seconds=5)
        assert (stay.fee_due_fen, stay.arrears_fen) == (800, 800)
        # the replayed record was corrected, not bounded: the only alarm is the live sample's, to get the clock set
        [alarm] = await site.alarms(AlarmKind.CAMERA_CLOCK)
        assert (alarm.device_id, alarm.details["how"]) == (exit_.device_id, "offset")
        async with db.session(Scope.internal()) as s:
            clock = await s.get(DeviceClock, exit_.device_id)
        assert clock is not None
        assert clock.offset_ms is not None
        assert abs(timedelta(milliseconds=clock.offset_ms) - offset) < timedelta(seconds=5)
        await assert_no_stay_ends_before_it_began(site)


async def test_a_1970_exit_with_no_known_offset_is_priced_to_its_arrival_with_an_alarm(
    settings: Settings, site: Site, db: Database
) -> None:
    async with live(db, settings) as http:
        entry, exit_ = Lane(http, site, "in"), Lane(http, site, "out")
        await entry.read(CAR, 1, wall() - timedelta(hours=2, minutes=50), offline=True)
        # when an exit camera that lost its clock during the outage replays the car's exit before any live reading
        before = wall()
        await exit_.read(CAR, 1, EPOCH + timedelta(minutes=10), offline=True)
        after = wall()
        # then the exit is taken as late as it can have been (when the record arrived): never free, never before entry
        [stay] = await stays(site)
        assert stay.exit_at is not None
        assert before <= stay.exit_at <= after
        assert (stay.fee_due_fen, stay.arrears_fen) == (1200, 1200)  # 2 h 50 min: six started half hours
        [alarm] = await site.alarms(AlarmKind.CAMERA_CLOCK)
        assert (alarm.device_id, alarm.details["how"]) == (exit_.device_id, "bound")
        assert alarm.details["camera_at"] == (EPOCH + timedelta(minutes=10)).isoformat()
        await assert_no_stay_ends_before_it_began(site)


async def test_an_entry_camera_running_ahead_is_corrected_and_the_car_pays_for_its_stay(
    settings: Settings, site: Site, db: Database
) -> None:
    async with live(db, settings) as http:
        entry, exit_ = Lane(http, site, "in"), Lane(http, site, "out")
        # given an entry camera three hours ahead, as its live readings show
        ahead = timedelta(hours=3)
        await entry.read(PASS_CAR, 1, wall() + ahead)
        # when it replays an entry made 50 minutes ago by its clock
        await entry.read(CAR, 2, wall() - timedelta(minutes=50) + ahead, offline=True)
        # then the stay began 50 minutes ago, and the car is held at the exit for two started half hours
        reply = await exit_.read(CAR, 1)
        assert not reply.open
        assert "请缴费4.00元" in lines_of(reply)
        [stay] = await stays(site)
        assert abs(stay.entry_at - (wall() - timedelta(minutes=50))) < timedelta(seconds=10)
        [alarm] = await site.alarms(AlarmKind.CAMERA_CLOCK)
        assert (alarm.device_id, alarm.details["how"]) == (entry.device_id, "offset")
        assert abs(alarm.details["offset_s"] - 3 * 3600) < 60


async def test_an_entry_from_the_future_with_no_known_offset_starts_when_the_camera_fell_silent(
    settings: Settings, site: Site, db: Database
) -> None:
    async with live(db, settings) as http:
        entry, exit_ = Lane(http, site, "in"), Lane(http, site, "out")
        # given an entry camera last heard 40 minutes ago (cut off since), with a clock three hours ahead
        silent_from = wall() - timedelta(minutes=40)
        async with db.transaction(Scope.internal()) as s:
            await s.execute(
                update(Device)
                .where(Device.id == entry.device_id)
                .values(status=DeviceStatus.ONLINE, last_seen_at=silent_from)
            )
        # when it comes back and replays an entry stamped three hours from now
        await entry.read(CAR, 1, wall() + timedelta(hours=3), offline=True)
        # then the entry is placed at the earliest it can have been, when the camera fell silent, with an alarm
        [stay] = await stays(site)
        assert stay.entry_at == silent_from
        [alarm] = await site.alarms(AlarmKind.CAMERA_CLOCK)
        assert alarm.details["how"] == "bound"
        # and at the exit the car pays for 40 minutes: never free because of the camera's clock
        reply = await exit_.read(CAR, 1)
        assert not reply.open
        assert "请缴费4.00元" in lines_of(reply)


async def test_a_camera_behind_never_makes_an_exit_before_its_entry(
    settings: Settings, site: Site, db: Database
) -> None:
    async with live(db, settings) as http:
        entry, exit_ = Lane(http, site, "in"), Lane(http, site, "out")
        # given a car that came in an hour ago
        await entry.read(CAR, 1, wall() - timedelta(hours=1), offline=True)
        # when an exit camera two hours behind (never seen live) replays the car's exit of ten minutes ago
        await exit_.read(CAR, 1, wall() - timedelta(hours=2, minutes=10), offline=True)
        # then no stay ends before it began, and the car's stay is not closed free: it is still open
        await assert_no_stay_ends_before_it_began(site)
        [stay] = await stays(site)
        assert stay.exit_at is None


async def test_a_heartbeat_that_carries_the_camera_time_records_the_offset(
    settings: Settings, site: Site, db: Database
) -> None:
    async with live(db, settings) as http:
        # given a device on the generic protocol whose keep-alive says what its clock reads: 90 s ahead
        lane = Lane(http, site, "in2")
        body = {
            "version": 1,
            "type": "heartbeat",
            "serial": lane.serial,
            "camera_time": (wall() + timedelta(seconds=90)).isoformat(),
        }
        response = await http.post(f"/devices/generic/push?key={lane.key}", json=body)
        assert response.status_code == 200
        # then its offset is kept
        async with db.session(Scope.internal()) as s:
            clock = await s.get(DeviceClock, lane.device_id)
        assert clock is not None
        assert clock.offset_ms is not None
        assert abs(clock.offset_ms - 90_000) < 5_000


# --- 2. replays are recognised by more than serial and plateid -------------------------------------------------


async def test_a_new_car_with_an_old_plateid_gets_its_own_stay(settings: Settings, site: Site, db: Database) -> None:
    async with live(db, settings) as http:
        entry = Lane(http, site, "in")
        # given a car let in under plateid 7
        assert (await entry.read(CAR, 7)).open
        # when the camera is reset (its counter starts again) and another car comes in under plateid 7
        assert (await entry.read("沪C88888", 7)).open
        # then both are tracked
        assert sorted(s.plate for s in await site.open_sessions()) == sorted([CAR, "沪C88888"])
        assert await site.occupied() == (2, 2)


async def test_a_car_that_owes_is_not_let_out_by_a_stale_plateid(settings: Settings, site: Site, db: Database) -> None:
    async with live(db, settings) as http:
        entry, exit_ = Lane(http, site, "in"), Lane(http, site, "out")
        # given a pass holder let out under plateid 5
        await entry.read(PASS_CAR, 1)
        assert (await exit_.read(PASS_CAR, 5)).open
        # and a car that has been inside for 70 minutes
        await entry.read(CAR, 2, wall() - timedelta(minutes=70), offline=True)
        # when the exit camera, replaced since, reads it under the same plateid
        reply = await exit_.read(CAR, 5)
        # then it is held for its fee, not opened by the pass holder's old decision
        assert not reply.open
        assert "请缴费6.00元" in lines_of(reply)
        [stay] = await stays(site)
        assert stay.exit_at is None


async def test_a_record_sent_twice_is_still_one_reading(settings: Settings, site: Site, db: Database) -> None:
    async with live(db, settings) as http:
        entry = Lane(http, site, "in")
        body = vzenith_plate(entry.serial, CAR, 9, wall())
        first, second = await entry.post(body), await entry.post(body)
        assert (first.status_code, second.status_code) == (200, 200)
        assert vzenith.decode_reply(second.content).open
        assert len(await events(db)) == 1
        assert len(await stays(site)) == 1


# --- 3. only plates become plates -------------------------------------------------------------------------------

NOT_PLATES = [
    "京A123456789",  # too long
    "京A1\x0023 4",  # a control character
    "京A12😀45",  # an emoji
    "停车场入口 请减速",  # a sign's text
    "#$%&*!@",  # symbols
    "京A\ud80012345",  # a lone surrogate (JSON allows the escape)
    "京A" + "1" * 5000,  # far too long
]


@pytest.mark.parametrize("text", NOT_PLATES)
@pytest.mark.parametrize("lane_name", ["in", "out"])
async def test_text_that_is_no_plate_goes_the_no_plate_way_with_an_alarm(
    settings: Settings, site: Site, db: Database, text: str, lane_name: str
) -> None:
    async with live(db, settings) as http:
        lane = Lane(http, site, lane_name)
        reply = await lane.read(text, 1)
        # the barrier holds and the driver is asked to scan, as for a car without a plate
        assert not reply.open
        assert lines_of(reply)[0] == "无牌车"
        # nothing is stored under the text: no stay, the event is a no-plate event
        assert await site.all_sessions() == []
        [event] = await events(db)
        assert (event.plate, event.opened) == (NO_PLATE, False)
        # the cloud seat gets the text, made safe to show, and the image
        [alarm] = await site.alarms(AlarmKind.UNREADABLE_PLATE)
        assert alarm.details["text"] == printable(text)
        assert alarm.details["event_id"] == event.id
        assert alarm.details["image_ref"] == event.image_ref != ""


async def test_a_hikvision_reading_that_is_no_plate_goes_the_no_plate_way(
    settings: Settings, site: Site, db: Database
) -> None:
    # given a Hikvision camera at the entry
    async with db.transaction(Scope.internal()) as s:
        lane = await s.get(LaneRow, site.ids["in"])
        assert lane is not None
        s.add(
            Device(
                agent_id=lane.agent_id,
                customer_id=lane.customer_id,
                lot_id=lane.lot_id,
                lane_id=lane.id,
                kind=DeviceKind.CAMERA,
                name="hikvision",
                serial=HIKVISION_SERIAL,
                protocol="hikvision",
                secret_hash=hash_secret("hik-secret"),
                created_at=wall() - timedelta(days=30),
            )
        )
    async with live(db, settings) as http:
        # when it reads a sign's text
        response = await http.post(
            "/devices/hikvision/push?key=hik-secret",
            content=hikvision_anpr("停车场入口请减速"),
            headers={"content-type": HIKVISION_TYPE},
        )
        assert response.status_code == 200
    # then no stay is made, and the cloud seat has the text
    assert await site.all_sessions() == []
    [alarm] = await site.alarms(AlarmKind.UNREADABLE_PLATE)
    assert alarm.details["text"] == "停车场入口请减速"


async def test_an_edge_record_that_is_no_plate_makes_no_stay(settings: Settings, site: Site, db: Database) -> None:
    serial, secret = await add_edge(site)
    record = {"lane_id": site.ids["in"], "plate": "京A12😀45", "at": wall().isoformat(), "key": "edge:1"}
    async with live(db, settings) as http:
        response = await http.post(
            "/api/edge/replay", json={"records": [record]}, headers={"X-Device-Serial": serial, "X-Device-Key": secret}
        )
        assert response.status_code == 200, response.text
    assert await site.all_sessions() == []
    [event] = await events(db)
    assert event.plate == NO_PLATE
    [alarm] = await site.alarms(AlarmKind.UNREADABLE_PLATE)
    assert alarm.details["text"] == "京A12😀45"


def _plate_like() -> st.SearchStrategy[str]:
    province = st.sampled_from(PROVINCES)
    return st.builds(lambda p, rest: p + rest, province, st.text(min_size=0, max_size=10))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(st.text(max_size=40), _plate_like()), exit_lane=st.booleans())
async def test_any_text_from_a_camera_never_becomes_an_invalid_plate_nor_a_5xx(
    client: httpx.AsyncClient, site: Site, db: Database, text: str, exit_lane: bool
) -> None:
    # The app in process (ASGI, as tests/lanes/test_push_endpoint.py): a server per example would cost more than
    # the example. The state builds up over the examples; the invariants hold after every one.
    lane = Lane(client, site, "out" if exit_lane else "in")
    response = await lane.post(vzenith_plate(lane.serial, text, 1000 + len(text), wall()))
    assert response.status_code < 500
    async with db.session(Scope.internal()) as s:
        plates = set(await s.scalars(select(ParkingSession.plate)))
        event_plates = set(await s.scalars(select(LaneEvent.plate)))
    assert all(is_valid_plate(p) for p in plates), plates
    assert all(p == NO_PLATE or is_valid_plate(p) for p in event_plates), event_plates
