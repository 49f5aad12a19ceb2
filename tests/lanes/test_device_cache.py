"""Remembered devices: a camera's next pushes skip the authentication transaction, and nothing a remembered
device could not do gets through: wrong secrets and addresses, a rotated secret, a due last-seen write, age."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import event, func, select

from hardware.cameras import CameraProtocol, CameraReading, PlateColorName, vzenith
from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.scope import Scope
from parking.common.services import Services
from parking.devices.auth import SEEN_EVERY, hash_secret
from parking.devices.cache import DeviceCache, KnownDevice, remember_seen
from parking.devices.models import Device, DeviceRefusal
from parking.sessions.models import LaneEvent
from tests.lanes.site import Site, build_site

pytestmark = pytest.mark.anyio

NOW = utcnow()


class Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def _device(**changes: object) -> Device:
    fields: dict[str, object] = {
        "id": 7,
        "serial": "CAM-7",
        "lane_id": 3,
        "lot_id": 2,
        "secret_hash": hash_secret("s3cret"),
        "allowed_ips": [],
    }
    return Device(**(fields | changes))


async def _remembered(cache: DeviceCache, device: Device, seen_at: object = NOW) -> None:
    await remember_seen(cache.seen(device, seen_at), Services())  # type: ignore[arg-type]


async def test_a_remembered_device_with_its_secret_is_known_without_the_database() -> None:
    cache = DeviceCache()
    assert cache.identity("CAM-7", "s3cret", "10.0.0.5", NOW) is None
    await _remembered(cache, _device())
    identity = cache.identity("CAM-7", "s3cret", "10.0.0.5", NOW)
    assert identity is not None
    assert (identity.device_id, identity.lane_id, identity.lot_id) == (7, 3, 2)


async def test_anything_the_database_must_see_is_not_answered_from_memory() -> None:
    clock = Clock()
    cache = DeviceCache(ttl_s=5, clock=clock)
    await _remembered(cache, _device())
    await _remembered(cache, _device(id=8, serial="CAM-8", allowed_ips=["10.0.0.9"], secret_hash=None))
    await _remembered(cache, _device(id=9, serial="CAM-9", lane_id=None))
    assert cache.identity("CAM-7", "wrong", None, NOW) is None  # a refusal is recorded by authenticate
    assert cache.identity("CAM-7", None, None, NOW) is None
    assert cache.identity("CAM-8", None, "10.0.0.1", NOW) is None  # not on the allow-list
    assert cache.identity("CAM-8", None, "10.0.0.9", NOW) is not None  # trusted by address alone
    assert cache.identity("CAM-9", "s3cret", None, NOW) is None  # no lane: a camera push is refused
    assert cache.identity("CAM-9", "s3cret", None, NOW, need_lane=False) is not None
    assert cache.identity("CAM-7", "s3cret", None, NOW + SEEN_EVERY) is None  # last_seen_at is due
    clock.t += 5
    assert cache.identity("CAM-7", "s3cret", None, NOW) is None  # older than the TTL


async def test_a_device_changed_in_this_process_is_forgotten_and_not_stored_from_an_older_read() -> None:
    cache = DeviceCache()
    await _remembered(cache, _device())
    cache.forget({7})
    assert cache.identity("CAM-7", "s3cret", None, NOW) is None
    stale = cache.seen(_device(), NOW)  # read before the next change commits
    cache.forget({7})
    await remember_seen(stale, Services())
    assert cache.identity("CAM-7", "s3cret", None, NOW) is None
    other = cache.seen(_device(id=8, serial="CAM-8"), NOW)
    cache.forget({7})  # another device's change does not spoil this one
    await remember_seen(other, Services())
    assert cache.identity("CAM-8", "s3cret", None, NOW) is not None


def test_the_rule_matches_authenticate_for_every_credential_shape() -> None:
    with_secret = KnownDevice.of(_device(), NOW)
    assert with_secret.admits("s3cret", None)
    assert not with_secret.admits("other", None)
    listed = KnownDevice.of(_device(allowed_ips=["10.0.0.9"]), NOW)
    assert listed.admits("s3cret", "10.0.0.9")
    assert not listed.admits("s3cret", "10.0.0.8")
    assert not listed.admits("other", "10.0.0.9")  # listed and with a secret: both must hold


def _push(serial: str, plate_id: int) -> bytes:
    return vzenith.encode_push(
        CameraReading(
            protocol=CameraProtocol.VZENITH,
            serial=serial,
            plate_text=f"京A1234{plate_id}",
            color=PlateColorName.BLUE,
            confidence=0.95,
            taken_at=utcnow(),
            camera_plate_id=plate_id,
        )
    )


@contextmanager
def device_reads(db: Database) -> Iterator[list[str]]:
    """The statements that read the devices table while the block runs."""
    seen: list[str] = []

    def note(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "FROM devices" in statement:
            seen.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", note)


async def test_a_cameras_second_push_skips_authentication_and_a_rotated_secret_is_refused_at_once(
    client: httpx.AsyncClient, db: Database
) -> None:
    site: Site = await build_site(db)
    serial = next(s for s in site.secrets if s.endswith("-in"))
    url = f"/devices/vzenith/push?key={site.secrets[serial]}"
    headers = {"content-type": "application/json"}

    with device_reads(db) as reads:
        # First contact marks the camera online (a change, not remembered); the next push finds it online.
        for plate_id in (1, 2):
            assert (await client.post(url, content=_push(serial, plate_id), headers=headers)).status_code == 200
    assert sum("devices.serial = " in r for r in reads) == 2  # both authenticated against the database
    with device_reads(db) as reads:
        assert (await client.post(url, content=_push(serial, 3), headers=headers)).status_code == 200
    assert reads == []

    async with db.transaction(Scope.internal()) as s:  # a rotation committed through the ORM in this process
        device = await s.scalar(select(Device).where(Device.serial == serial))
        assert device is not None
        device.secret_hash = hash_secret("rotated")
    refused = await client.post(url, content=_push(serial, 4), headers=headers)
    assert refused.status_code == 403
    ok = await client.post("/devices/vzenith/push?key=rotated", content=_push(serial, 5), headers=headers)
    assert ok.status_code == 200

    async with db.session(Scope.internal()) as s:
        events = (await s.scalars(select(LaneEvent.dedup_key).order_by(LaneEvent.id))).all()
        refusals = await s.scalar(select(func.count()).select_from(DeviceRefusal))
        seen = await s.scalar(select(Device.last_seen_at).where(Device.serial == serial))
    assert len(events) == 4  # all but the refused push, which recorded nothing but its alarm
    assert refusals == 0  # a known device with a wrong secret is an alarm in its lot, not a platform refusal
    assert seen is not None
    assert utcnow() - seen < timedelta(seconds=60)
