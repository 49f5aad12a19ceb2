"""The barrier never waits on a picture: with S3 refused or hung, a camera's reading is decided and stored with the
ref its picture will have, the picture waits in the API machine's spool (served from there by that process), and
the upload job puts it in the bucket once S3 is back, once."""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import hashlib
import json
import logging
import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import dramatiq
import httpx
import pytest
from dramatiq.brokers.stub import StubBroker
from sqlalchemy import select

from api.cli import main
from config.images import spool_dir
from config.settings import Settings
from hardware.cameras import vzenith
from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.scope import Scope
from parking.devices.models import DeviceMessage
from parking.images import ref_day, ref_for
from parking.images.spool import ImageSpool, upload_spooled
from parking.sessions.models import ParkingSession
from tests.factories import build_world
from tests.images.test_shared_store import JPEG, _lane_image_ref, _push, _serial, api_process, process_settings
from tests.lanes.site import build_site
from tests.s3 import S3Bucket
from workers import images as actors
from workers.broker import broker

PLATE = "京A12345"  # the plate _push reads
AT = utcnow()


@pytest.fixture(params=["refused", "hung"])
def down_endpoint(request: pytest.FixtureRequest) -> str:
    """S3 that refuses connections, or accepts them and never answers."""
    return str(request.getfixturevalue("refused_endpoint" if request.param == "refused" else "silent_endpoint"))


def _down(up: Settings, endpoint: str) -> Settings:
    # The background store's timeout is left long: the camera path must not use it.
    return dataclasses.replace(up, s3_endpoint_url=endpoint, s3_camera_timeout_s=0.5, s3_timeout_s=30)


def _spooled(settings: Settings) -> list[str]:
    root = spool_dir(settings)
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()) if root.exists() else []


async def _push_to(api: httpx.AsyncClient, secret: str, body: bytes) -> httpx.Response:
    headers = {"content-type": "application/json"}
    return await api.post(f"/devices/vzenith/push?key={secret}", content=body, headers=headers)


async def test_s3_down_during_a_live_push_opens_for_a_monthly_pass_and_the_job_uploads_the_picture_once(
    db: Database,
    settings: Settings,
    s3_bucket: S3Bucket,
    down_endpoint: str,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    site = await build_site(db)
    world = await build_world(db)
    await site.add_pass(PLATE, AT - timedelta(days=1), AT + timedelta(days=30))
    serial = _serial(site, "in")
    up = s3_bucket.settings(process_settings(settings, tmp_path / "api-1"))
    down = _down(up, down_endpoint)
    headers = {"Authorization": f"Bearer {world.tokens['platform']}"}
    caplog.set_level(logging.INFO)

    async with api_process(db, down) as api:
        answer = await _push_to(api, site.secrets[serial], _push(serial))
        ref = await _lane_image_ref(db)
        served_from_spool = await api.get(f"/api/images/{ref}", headers=headers)

    assert answer.status_code == 200, answer.text
    assert vzenith.decode_reply(answer.content).open
    async with db.session(Scope.internal()) as s:
        stays = list(await s.scalars(select(ParkingSession.plate)))
    assert stays == [PLATE]
    assert ref.endswith(f"/{hashlib.sha256(JPEG).hexdigest()}.jpg")
    assert _spooled(down) == [ref]
    assert (spool_dir(down) / ref).read_bytes() == JPEG
    assert (served_from_spool.status_code, served_from_spool.content) == (200, JPEG)
    assert await s3_bucket.keys() == []
    assert any("spooled" in r.getMessage() for r in caplog.records)
    assert all(r.exc_info is None for r in caplog.records if r.levelno >= logging.ERROR)

    # S3 is back: the job uploads the picture and empties the spool; a second run has nothing left to upload.
    first = await actors.run_spool_upload(up)
    second = await actors.run_spool_upload(up)
    assert (first.uploaded, first.left, second.uploaded, second.left) == (1, 0, 0, 0)
    assert _spooled(up) == []
    assert await s3_bucket.keys() == [f"images/{ref}"]

    second_process = s3_bucket.settings(process_settings(settings, tmp_path / "api-2"))
    async with api_process(db, second_process) as other:
        served = await other.get(f"/api/images/{ref}", headers=headers)
    assert (served.status_code, served.content) == (200, JPEG)


async def test_s3_down_during_an_offline_replay_records_and_acknowledges_it_and_a_replay_keeps_one_copy(
    db: Database, settings: Settings, s3_bucket: S3Bucket, refused_endpoint: str, tmp_path: Path
) -> None:
    site = await build_site(db)
    serial = _serial(site, "in")
    down = _down(s3_bucket.settings(process_settings(settings, tmp_path / "api")), refused_endpoint)

    async with api_process(db, down) as api:
        body = _push(serial, plate_id=7, offline=True)
        answers = [await _push_to(api, site.secrets[serial], body) for _ in range(2)]

    for answer in answers:
        assert answer.status_code == 200, answer.text
        reply = vzenith.decode_reply(answer.content)
        assert (reply.continue_offline, reply.plate_id) == (True, 7)
    ref = await _lane_image_ref(db)  # the replay is the same record: one event, one picture
    assert _spooled(down) == [ref]


async def test_a_snapshot_with_s3_down_is_recorded_with_its_spooled_picture(
    db: Database, settings: Settings, s3_bucket: S3Bucket, refused_endpoint: str, tmp_path: Path
) -> None:
    site = await build_site(db)
    serial = _serial(site, "in")
    down = _down(s3_bucket.settings(process_settings(settings, tmp_path / "api")), refused_endpoint)
    snapshot = {"serialno": serial, "TriggerImage": {"imageFile": base64.b64encode(JPEG).decode()}}
    body = json.dumps(snapshot).encode()

    async with api_process(db, down) as api:
        answer = await _push_to(api, site.secrets[serial], body)

    assert answer.status_code == 200, answer.text
    async with db.session(Scope.internal()) as s:
        refs = [r for r in await s.scalars(select(DeviceMessage.image_ref)) if r]
    assert len(refs) == 1
    assert _spooled(down) == refs


async def test_the_upload_leaves_the_spool_alone_while_s3_is_down(
    s3_bucket: S3Bucket, refused_endpoint: str, settings: Settings
) -> None:
    spool = ImageSpool(settings.var_dir / "image_spool")
    refs = [ref_for(JPEG + bytes([n]), AT) for n in range(3)]
    for n, ref in enumerate(refs):
        await spool.keep(ref, JPEG + bytes([n]))
    down = dataclasses.replace(s3_bucket.settings(settings), s3_endpoint_url=refused_endpoint, s3_timeout_s=2)

    done = await actors.run_spool_upload(down)

    # The first failure stops the run: nothing uploaded, nothing removed.
    assert (done.uploaded, done.left) == (0, 3)
    assert await spool.refs() == sorted(refs)


async def test_a_file_that_does_not_hash_to_its_name_is_left_in_the_spool(
    s3_bucket: S3Bucket, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    spool = ImageSpool(settings.var_dir / "image_spool")
    good, bad = ref_for(JPEG, AT), ref_for(JPEG + b"!", AT)
    await spool.keep(good, JPEG)
    await spool.keep(bad, JPEG + b"?")  # a disk fault: the bytes changed under their name

    done = await upload_spooled(spool, s3_bucket.store())

    assert (done.uploaded, done.left, done.damaged) == (1, 0, 1)
    assert await spool.refs() == [bad]
    assert await s3_bucket.keys() == [f"images/{good}"]
    assert ref_day(good).date() == AT.date()
    assert any(bad in r.getMessage() for r in caplog.records if r.levelno == logging.ERROR)


async def test_the_spool_keeps_one_copy_and_no_temporary_files(settings: Settings) -> None:
    spool = ImageSpool(settings.var_dir / "image_spool")
    ref = ref_for(JPEG, AT)

    await spool.keep(ref, JPEG)
    await spool.keep(ref, JPEG)

    assert [p.name for p in (spool.root / ref).parent.iterdir()] == [ref.rsplit("/", 1)[1]]
    assert await spool.read(ref) == JPEG


def _env(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> None:
    monkeypatch.setenv("PARKCLOUD_VAR_DIR", str(settings.var_dir))
    monkeypatch.setenv("PARKCLOUD_REDIS_URL", "")
    for name in ("image_store", "s3_endpoint_url", "s3_region", "s3_access_key_id", "s3_secret_access_key"):
        monkeypatch.setenv(f"PARKCLOUD_{name.upper()}", str(getattr(settings, name)))


async def test_the_actor_and_the_command_upload_the_spool(
    s3_bucket: S3Bucket,
    settings: Settings,
    refused_endpoint: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    up = s3_bucket.settings(settings)
    spool = ImageSpool(spool_dir(up))
    first, second = ref_for(JPEG, AT), ref_for(JPEG + b"2", AT)
    await spool.keep(first, JPEG)

    _env(monkeypatch, dataclasses.replace(up, s3_endpoint_url=refused_endpoint))
    monkeypatch.setenv("PARKCLOUD_S3_TIMEOUT_S", "2")
    with pytest.raises(SystemExit) as still_down:
        await asyncio_to_thread(main, ["images", "upload-spool"])
    assert still_down.value.code == 1
    assert capsys.readouterr().out.strip() == "image spool: uploaded=0 left=1 damaged=0"

    _env(monkeypatch, up)
    await asyncio_to_thread(actors.upload_spooled_images.fn)
    await spool.keep(second, JPEG + b"2")
    await asyncio_to_thread(main, ["images", "upload-spool"])
    assert capsys.readouterr().out.strip() == "image spool: uploaded=1 left=0 damaged=0"

    assert await spool.refs() == []
    assert await s3_bucket.keys() == sorted([f"images/{first}", f"images/{second}"])


async def test_the_worker_sends_the_upload_periodically_and_dramatiq_runs_it(
    s3_bucket: S3Bucket, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    up = s3_bucket.settings(settings)
    spool = ImageSpool(spool_dir(up))
    ref = ref_for(JPEG, AT)
    await spool.keep(ref, JPEG)
    _env(monkeypatch, up)
    sent, stop = threading.Event(), threading.Event()
    original = actors.upload_spooled_images.send

    def send(*args: Any, **kwargs: Any) -> Any:
        message = original(*args, **kwargs)
        sent.set()
        return message

    monkeypatch.setattr(actors.upload_spooled_images, "send", send)
    assert actors.schedule_spool_upload(0) is None
    thread = actors.schedule_spool_upload(3600, stop)
    assert thread is not None
    assert await asyncio.to_thread(sent.wait, 30)  # sent at once, then every interval
    stop.set()
    await asyncio.to_thread(thread.join, 30)
    assert isinstance(broker, StubBroker)
    await asyncio.to_thread(_drain, broker)

    assert await spool.refs() == []
    assert await s3_bucket.keys() == [f"images/{ref}"]


def _drain(stub: StubBroker) -> None:
    worker = dramatiq.Worker(stub, queues={actors.QUEUE}, worker_timeout=100, worker_threads=1)
    worker.start()
    try:
        stub.join(actors.QUEUE, fail_fast=True)
        worker.join()
    finally:
        worker.stop()


async def asyncio_to_thread(func: Callable[..., object], *args: object) -> None:
    """The command and the actor run their own event loop: off the test's loop, in a thread."""
    await asyncio.to_thread(func, *args)
