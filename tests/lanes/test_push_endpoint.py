"""The camera push endpoint with bad input: a well-formed camera reply every time, and nothing else changed."""

from __future__ import annotations

import base64
import json
from datetime import datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from hardware.cameras import CameraProtocol, CameraReading, PlateColorName, vzenith
from parking.alarms.models import Alarm, AlarmKind
from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.scope import Scope
from parking.devices.models import DeviceRefusal, GateCommand
from parking.sessions.models import LaneEvent, ParkingSession
from parking.tenancy.models import Lot
from tests.lanes.site import Site, build_site

pytestmark = pytest.mark.anyio

PLATE = "京A12345"


def _serial(site: Site, lane: str = "in") -> str:
    return next(serial for serial in site.secrets if serial.rsplit("-", 1)[1] == lane)


def _push(
    serial: str, *, plate: str | None = PLATE, plate_id: int = 1, offline: bool = False, at: datetime | None = None
) -> bytes:
    return vzenith.encode_push(
        CameraReading(
            protocol=CameraProtocol.VZENITH,
            serial=serial,
            plate_text=plate,
            color=PlateColorName.BLUE,
            confidence=0.95,
            taken_at=at or utcnow(),
            camera_plate_id=plate_id,
            is_offline=offline,
            full_image=b"\xff\xd8jpeg",
        )
    )


async def _post(client: httpx.AsyncClient, body: bytes, secret: str | None) -> httpx.Response:
    url = "/devices/vzenith/push" + (f"?key={secret}" if secret is not None else "")
    return await client.post(url, content=body, headers={"content-type": "application/json"})


async def _state(db: Database) -> dict[str, Any]:
    """Everything a push may change, to compare before and after."""
    async with db.session(Scope.internal()) as s:
        counts: dict[str, Any] = {
            model.__tablename__: int(await s.scalar(select(func.count()).select_from(model)) or 0)
            for model in (LaneEvent, ParkingSession, GateCommand, Alarm, DeviceRefusal)
        }
        counts["occupied"] = list(await s.scalars(select(Lot.occupied).order_by(Lot.id)))
        return counts


def _changed(before: dict[str, Any], after: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {k: (before[k], after[k]) for k in before if before[k] != after[k]}


@pytest.fixture
async def site(db: Database) -> Site:
    return await build_site(db)


async def test_a_good_push_opens_and_echoes_the_plate_id(client: httpx.AsyncClient, db: Database, site: Site) -> None:
    serial = _serial(site)
    before = await _state(db)
    response = await _post(client, _push(serial, plate_id=42), site.secrets[serial])
    assert response.status_code == 200
    reply = vzenith.decode_reply(response.content)
    assert reply.open
    assert reply.plate_id == 42
    assert not reply.continue_offline
    assert reply.serial_frames  # the display and voice
    assert _changed(before, await _state(db)) == {
        "lane_events": (0, 1),
        "parking_sessions": (0, 1),
        "gate_commands": (0, 1),
        "occupied": ([0], [1]),
    }


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (b'{"AlarmInfoPlate": {"serialno": ', "malformed_json"),
        (b"\xff\xfe not utf-8", "malformed_json"),
        (b"[1, 2, 3]", "wrong_type"),
        (b"[" * 50_000 + b"]" * 50_000, "malformed_json"),
        (b'{"AlarmInfoPlate": ' + b"9" * 5000 + b"}", "malformed_json"),
    ],
)
async def test_malformed_json_gets_a_refusal_reply_and_a_record(
    client: httpx.AsyncClient, db: Database, site: Site, body: bytes, detail: str
) -> None:
    before = await _state(db)
    response = await _post(client, body, site.secrets[_serial(site)])
    assert response.status_code == 400
    reply = vzenith.decode_reply(response.content)
    assert not reply.open
    assert reply.serial_frames == ()
    assert _changed(before, await _state(db)) == {"device_refusals": (0, 1)}
    async with db.session(Scope.internal()) as s:
        refusal = await s.scalar(select(DeviceRefusal))
        assert refusal is not None
        assert (refusal.reason, refusal.ip, refusal.detail.split(":")[0]) == ("malformed", "203.0.113.7", detail)


def _mutate(body: bytes, path: tuple[str, ...], value: object) -> bytes:
    doc = json.loads(body)
    target = doc
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return json.dumps(doc, ensure_ascii=False).encode()


RESULT = ("AlarmInfoPlate", "result", "PlateResult")


@pytest.mark.parametrize(
    ("path", "value", "code"),
    [
        ((*RESULT, "license"), 12345, "wrong_type"),
        ((*RESULT, "result"), KeyError, "missing_field"),
        (("AlarmInfoPlate", "serialno"), ["CAM"], "wrong_type"),
        ((*RESULT, "license"), KeyError, "missing_field"),
    ],
)
async def test_a_push_without_what_makes_a_reading_is_refused_and_changes_nothing_else(
    client: httpx.AsyncClient, db: Database, site: Site, path: tuple[str, ...], value: object, code: str
) -> None:
    if path[-1] == "result":
        path = ("AlarmInfoPlate", "result")
    serial = _serial(site)
    before = await _state(db)
    response = await _post(client, _mutate(_push(serial), path, value), site.secrets[serial])
    assert response.status_code == 400
    assert not vzenith.decode_reply(response.content).open
    assert _changed(before, await _state(db)) == {"device_refusals": (0, 1)}
    async with db.session(Scope.internal()) as s:
        refusal = await s.scalar(select(DeviceRefusal))
        assert refusal is not None
        assert refusal.detail.startswith(f"{code}:")


@pytest.mark.parametrize(
    ("path", "value", "dropped"),
    [
        ((*RESULT, "confidence"), "high", "confidence: wrong_type"),
        ((*RESULT, "confidence"), 250, "confidence: bad_value"),
        ((*RESULT, "timeStamp"), "yesterday", "timeStamp: wrong_type"),
        ((*RESULT, "imageFile"), "not base64 !!", "imageFile: bad_base64"),
        (
            (*RESULT, "imageFile"),
            base64.b64encode(b"\xff" * (2 * 1024 * 1024 + 10)).decode(),
            "imageFile: image_too_large",
        ),
    ],
)
async def test_a_bad_field_costs_the_field_and_raises_an_alarm_the_car_still_enters(
    client: httpx.AsyncClient, db: Database, site: Site, path: tuple[str, ...], value: object, dropped: str
) -> None:
    serial = _serial(site)
    before = await _state(db)
    response = await _post(client, _mutate(_push(serial, plate_id=5), path, value), site.secrets[serial])
    assert response.status_code == 200
    reply = vzenith.decode_reply(response.content)
    assert (reply.open, reply.plate_id) == (True, 5)
    changed = _changed(before, await _state(db))
    changed.pop("alarms")  # a confidence lost is also a low-confidence reading: its own alarm
    assert changed == {
        "lane_events": (0, 1),
        "parking_sessions": (0, 1),
        "gate_commands": (0, 1),
        "occupied": ([0], [1]),
    }
    alarms = await site.alarms(AlarmKind.DEVICE_DATA)
    assert [(a.device_id, a.details["dropped"]) for a in alarms] == [(site.ids["device:in"], [dropped])]


@pytest.mark.parametrize("colour", [9, 255])
async def test_an_unlisted_colour_is_a_reading_of_unknown_colour(
    client: httpx.AsyncClient, db: Database, site: Site, colour: int
) -> None:
    serial = _serial(site)
    response = await _post(client, _mutate(_push(serial), (*RESULT, "colorType"), colour), site.secrets[serial])
    assert response.status_code == 200
    assert vzenith.decode_reply(response.content).open
    assert await site.alarms() == []


async def test_an_oversized_body_is_refused_without_reading_it_all(
    client: httpx.AsyncClient, db: Database, site: Site
) -> None:
    serial = _serial(site)
    before = await _state(db)
    padding = " " * (8 * 1024 * 1024 + 1)
    response = await _post(client, _push(serial) + padding.encode(), site.secrets[serial])
    assert response.status_code == 413
    assert not vzenith.decode_reply(response.content).open
    assert _changed(before, await _state(db)) == {"device_refusals": (0, 1)}


async def test_an_unknown_device_is_refused_and_recorded(client: httpx.AsyncClient, db: Database, site: Site) -> None:
    before = await _state(db)
    response = await _post(client, _push("CAM-NOBODY"), "whatever")
    assert response.status_code == 403
    assert not vzenith.decode_reply(response.content).open
    assert _changed(before, await _state(db)) == {"device_refusals": (0, 1)}
    async with db.session(Scope.internal()) as s:
        refusal = await s.scalar(select(DeviceRefusal))
        assert refusal is not None
        assert (refusal.serial, refusal.reason, refusal.ip) == ("CAM-NOBODY", "unknown_device", "203.0.113.7")


@pytest.mark.parametrize("secret", ["wrong-secret", None])
async def test_a_bad_secret_is_refused_with_an_alarm_in_the_lot(
    client: httpx.AsyncClient, db: Database, site: Site, secret: str | None
) -> None:
    serial = _serial(site)
    before = await _state(db)
    response = await _post(client, _push(serial), secret)
    assert response.status_code == 403
    assert not vzenith.decode_reply(response.content).open
    assert _changed(before, await _state(db)) == {"alarms": (0, 1)}
    alarms = await site.alarms(AlarmKind.UNKNOWN_DEVICE)
    assert [(a.device_id, a.lane_id, a.details["reason"]) for a in alarms] == [
        (site.ids["device:in"], site.ids["in"], "bad_secret")
    ]


async def test_a_replayed_push_gets_the_same_answer_and_changes_nothing(
    client: httpx.AsyncClient, db: Database, site: Site
) -> None:
    serial = _serial(site)
    body = _push(serial, plate_id=77)
    first = await _post(client, body, site.secrets[serial])
    after_first = await _state(db)
    again = await _post(client, body, site.secrets[serial])
    assert again.status_code == first.status_code == 200
    assert vzenith.decode_reply(again.content).open
    assert vzenith.decode_reply(again.content).plate_id == 77
    assert _changed(after_first, await _state(db)) == {}


async def test_an_offline_record_and_its_replay_are_acknowledged_once(
    client: httpx.AsyncClient, db: Database, site: Site
) -> None:
    serial = _serial(site)
    body = _push(serial, plate_id=9, offline=True)
    before = await _state(db)
    first = await _post(client, body, site.secrets[serial])
    reply = vzenith.decode_reply(first.content)
    assert first.status_code == 200
    assert (reply.open, reply.plate_id, reply.continue_offline, reply.serial_frames) == (False, 9, True, ())
    # The car was let in by the camera while we were unreachable: its stay is recorded, no gate command.
    assert _changed(before, await _state(db)) == {
        "lane_events": (0, 1),
        "parking_sessions": (0, 1),
        "occupied": ([0], [1]),
    }
    after_first = await _state(db)
    again = await _post(client, body, site.secrets[serial])
    assert again.content == first.content
    assert _changed(after_first, await _state(db)) == {}


async def test_an_offline_record_without_a_plate_id_still_gets_a_well_formed_reply(
    client: httpx.AsyncClient, db: Database, site: Site
) -> None:
    serial = _serial(site)
    body = _mutate(_push(serial, offline=True), (*RESULT, "plateid"), KeyError)
    response = await _post(client, body, site.secrets[serial])
    assert response.status_code == 200
    reply = vzenith.decode_reply(response.content)
    assert (reply.open, reply.continue_offline, reply.serial_frames) == (False, True, ())


async def test_an_offline_record_that_cannot_be_read_is_still_acknowledged(
    client: httpx.AsyncClient, db: Database, site: Site
) -> None:
    # A record whose licence is garbage is refused, but acknowledged: the camera's backlog moves on.
    serial = _serial(site)
    body = _mutate(_push(serial, plate_id=31, offline=True), (*RESULT, "license"), {"text": "?"})
    response = await _post(client, body, site.secrets[serial])
    assert response.status_code == 400
    reply = vzenith.decode_reply(response.content)
    assert (reply.open, reply.plate_id, reply.continue_offline) == (False, 31, True)
