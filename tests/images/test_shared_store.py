"""Several API processes on one S3 bucket: a picture a camera pushed through one is served by another with its own
var directory; a missing one is the same 404 as on the local store; a store that does not answer and a spool that
cannot take the picture give the camera a retryable answer and change nothing."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.pool import NullPool

from api.app import create_app
from config.images import ImageStoreSettingError, camera_image_store, image_store
from config.settings import Settings
from hardware.cameras import CameraProtocol, CameraReading, PlateColorName, vzenith
from parking.alarms.models import Alarm
from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.scope import Scope
from parking.devices.models import GateCommand
from parking.images import LocalImageStore
from parking.images.s3 import S3ImageStore
from parking.images.spool import SpoolingStore
from parking.sessions.models import LaneEvent, ParkingSession
from tests.api.helpers import count
from tests.factories import build_world
from tests.faults.test_fault_photos import open_ticket, photo_rows, picture, ticket_rows, upload
from tests.lanes.site import Site, build_site
from tests.retention.data import NOW, Lots
from tests.retention.test_settings import USAGE
from tests.s3 import S3Bucket

JPEG = b"\xff\xd8\xff" + b"the car at the barrier"


def _serial(site: Site, lane: str) -> str:
    return next(serial for serial in site.secrets if serial.rsplit("-", 1)[1] == lane)


def _push(serial: str, *, plate_id: int = 1, offline: bool = False) -> bytes:
    return vzenith.encode_push(
        CameraReading(
            protocol=CameraProtocol.VZENITH,
            serial=serial,
            plate_text="京A12345",
            color=PlateColorName.BLUE,
            confidence=0.95,
            taken_at=utcnow(),
            camera_plate_id=plate_id,
            is_offline=offline,
            full_image=JPEG,
        )
    )


@asynccontextmanager
async def api_process(db: Database, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """One API process: its own app and engine on the shared database, its own var directory."""
    own = Database.from_url(db.engine.url.render_as_string(hide_password=False), poolclass=NullPool)
    transport = httpx.ASGITransport(app=create_app(settings, own))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http
    finally:
        await own.dispose()


def process_settings(base: Settings, var_dir: Path) -> Settings:
    var_dir.mkdir()
    return dataclasses.replace(base, var_dir=var_dir, web_dist=var_dir / "no-web")


async def records(db: Database) -> dict[str, int]:
    """What a reading leaves behind (the device's last-seen time aside: it was heard from)."""
    return {model.__tablename__: await count(db, model) for model in (LaneEvent, ParkingSession, GateCommand, Alarm)}


async def _lane_image_ref(db: Database) -> str:
    async with db.session(Scope.internal()) as s:
        refs = [r for r in await s.scalars(select(LaneEvent.image_ref)) if r]
    assert len(refs) == 1, refs
    return refs[0]


async def test_a_picture_pushed_through_one_process_is_served_by_another(
    db: Database, settings: Settings, s3_bucket: S3Bucket, tmp_path: Path
) -> None:
    site = await build_site(db)
    world = await build_world(db)
    serial = _serial(site, "in")
    first = s3_bucket.settings(process_settings(settings, tmp_path / "api-1"))
    second = s3_bucket.settings(process_settings(settings, tmp_path / "api-2"))

    async with api_process(db, first) as one, api_process(db, second) as two:
        pushed = await one.post(
            f"/devices/vzenith/push?key={site.secrets[serial]}",
            content=_push(serial),
            headers={"content-type": "application/json"},
        )
        assert pushed.status_code == 200, pushed.text
        ref = await _lane_image_ref(db)
        headers = {"Authorization": f"Bearer {world.tokens['platform']}"}

        served = await two.get(f"/api/images/{ref}", headers=headers)
        missing = await two.get(f"/api/images/{ref[:11]}{'b' * 64}.jpg", headers=headers)
        escaping = await two.get("/api/images/../../etc/passwd", headers=headers)

    assert (served.status_code, served.content, served.headers["content-type"]) == (200, JPEG, "image/jpeg")
    assert (missing.status_code, missing.json()) == (404, {"error": "not_found"})
    assert escaping.status_code == 404
    assert await s3_bucket.keys() == [f"images/{ref}"]
    # Nothing went to either process's disk.
    assert not (tmp_path / "api-1" / "images").exists()
    assert not (tmp_path / "api-2" / "images").exists()


@pytest.mark.parametrize("offline", [False, True], ids=["live", "offline"])
async def test_an_unreachable_store_and_a_spool_that_cannot_be_written_give_the_camera_a_retryable_answer(
    db: Database, settings: Settings, refused_endpoint: str, caplog: pytest.LogCaptureFixture, offline: bool
) -> None:
    """The picture has nowhere to go (a store that is merely down spools it: tests/images/test_spool.py), so
    nothing is recorded and the camera keeps the record."""
    site = await build_site(db)
    serial = _serial(site, "in")
    down = dataclasses.replace(
        settings, image_store="s3://parkcloud-down/images", s3_endpoint_url=refused_endpoint, s3_timeout_s=2
    )
    down = dataclasses.replace(down, s3_region="us-east-1", s3_access_key_id="k", s3_secret_access_key="s")
    (settings.var_dir / "image_spool").write_text("a file where the spool's folder should be")
    caplog.set_level(logging.INFO)
    before = await records(db)

    async with api_process(db, down) as api:
        answer = await api.post(
            f"/devices/vzenith/push?key={site.secrets[serial]}",
            content=_push(serial, plate_id=7, offline=offline),
            headers={"content-type": "application/json"},
        )

    assert answer.status_code == 503
    reply = vzenith.decode_reply(answer.content)
    # No open, and an offline record is not acknowledged: the camera keeps it and sends it again.
    assert (reply.open, reply.continue_offline) == (False, False)
    assert await records(db) == before
    logged = [r for r in caplog.records if "s3://parkcloud-down/images" in r.getMessage()]
    assert logged
    assert all(r.exc_info is None for r in caplog.records if r.levelno >= logging.ERROR)


async def test_an_unreachable_store_answers_an_image_fetch_503(
    db: Database, settings: Settings, s3_bucket: S3Bucket, refused_endpoint: str, tmp_path: Path
) -> None:
    site = await build_site(db)
    world = await build_world(db)
    serial = _serial(site, "in")
    up = s3_bucket.settings(process_settings(settings, tmp_path / "up"))
    down = dataclasses.replace(up, s3_endpoint_url=refused_endpoint, s3_timeout_s=2)
    async with api_process(db, up) as api:
        await api.post(
            f"/devices/vzenith/push?key={site.secrets[serial]}",
            content=_push(serial),
            headers={"content-type": "application/json"},
        )
    ref = await _lane_image_ref(db)

    async with api_process(db, down) as api:
        fetched = await api.get(f"/api/images/{ref}", headers={"Authorization": f"Bearer {world.tokens['platform']}"})

    assert (fetched.status_code, fetched.json()) == (503, {"error": "image_store_unavailable"})
    assert fetched.headers["retry-after"] == "5"


def test_the_setting_chooses_the_store(settings: Settings, s3_bucket: S3Bucket) -> None:
    assert isinstance(image_store(settings), LocalImageStore)
    assert isinstance(image_store(dataclasses.replace(settings, image_store="local")), LocalImageStore)
    s3 = image_store(s3_bucket.settings(settings, "a/b"))
    assert isinstance(s3, S3ImageStore)
    assert str(s3.location) == f"s3://{s3_bucket.name}/a/b"
    # The camera path: the local store is the disk already; on S3, a bounded put in front of the spool.
    local = image_store(settings)
    assert camera_image_store(settings, local) is local
    spooling = camera_image_store(s3_bucket.settings(settings, "a/b"), s3)
    assert isinstance(spooling, SpoolingStore)
    assert (spooling.store, spooling.spool.root) == (s3, settings.var_dir / "image_spool")
    for bad in ("ftp://x/y", "s3://", "s3://bucket/../x", "/var/images"):
        with pytest.raises(ImageStoreSettingError, match="PARKCLOUD_IMAGE_STORE"):
            image_store(dataclasses.replace(settings, image_store=bad))


def test_the_environment_names_the_bucket_and_how_to_reach_it(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "IMAGE_STORE": "s3://parkcloud-images/prod",
        "S3_ENDPOINT_URL": "https://oss-cn-hangzhou.aliyuncs.com",
        "S3_REGION": "cn-hangzhou",
        "S3_ACCESS_KEY_ID": "id",
        "S3_SECRET_ACCESS_KEY": "secret",
        "S3_TIMEOUT_S": "3",
        "S3_CAMERA_TIMEOUT_S": "0.5",
        "SPOOL_UPLOAD_INTERVAL_S": "30",
    }.items():
        monkeypatch.setenv(f"PARKCLOUD_{name}", value)
    got = Settings.from_env()
    assert (got.image_store, got.s3_endpoint_url, got.s3_region) == (
        "s3://parkcloud-images/prod",
        "https://oss-cn-hangzhou.aliyuncs.com",
        "cn-hangzhou",
    )
    assert (got.s3_access_key_id, got.s3_secret_access_key, got.s3_timeout_s) == ("id", "secret", 3.0)
    assert (got.s3_camera_timeout_s, got.spool_upload_interval_s) == (0.5, 30.0)


async def test_an_unreachable_store_is_a_coded_retryable_error_for_the_storage_usage(
    db: Database, settings: Settings, refused_endpoint: str, tmp_path: Path
) -> None:
    world = await build_world(db)
    down = dataclasses.replace(
        settings,
        image_store="s3://parkcloud-down/images",
        s3_endpoint_url=refused_endpoint,
        s3_region="us-east-1",
        s3_access_key_id="k",
        s3_secret_access_key="s",
        s3_timeout_s=2,
    )
    lots = Lots(db, world, LocalImageStore(tmp_path / "elsewhere"))
    await lots.event("A1a", 1, image_ref=await lots.picture(NOW))

    async with api_process(db, down) as api:
        answer = await api.post(
            "/graphql",
            json={"query": USAGE, "variables": {"ids": [world.id("lot:A1a")]}},
            headers={"Authorization": f"Bearer {world.tokens['platform']}"},
        )

    assert answer.status_code == 200
    [error] = answer.json()["errors"]
    assert error["extensions"]["code"] == "IMAGES_UNAVAILABLE"
    assert error["message"] == "图片存储暂时不可用，无法统计图片占用，请稍后重试"


async def test_an_unreachable_store_refuses_a_fault_photo_retryably_and_attaches_nothing(
    db: Database, settings: Settings, refused_endpoint: str
) -> None:
    world = await build_world(db)
    ticket = await open_ticket(db, world)
    down = dataclasses.replace(
        settings,
        image_store="s3://parkcloud-down/images",
        s3_endpoint_url=refused_endpoint,
        s3_region="us-east-1",
        s3_access_key_id="k",
        s3_secret_access_key="s",
        s3_timeout_s=2,
    )
    before = (await ticket_rows(db), await photo_rows(db))

    async with api_process(db, down) as api:
        answer = await upload(api, ticket, world.tokens["lotA1a"], picture())

    assert answer.status_code == 503
    assert answer.headers["retry-after"] == "5"
    assert answer.json() == {"error": {"code": "IMAGE_STORE_UNAVAILABLE", "message": "照片存储暂时不可用，请稍后重试"}}
    assert (await ticket_rows(db), await photo_rows(db)) == before
