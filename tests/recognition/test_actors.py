"""The recognition actor end to end: lane event with a picture, detection, engines, vote, one verdict per event."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

pytest.importorskip("onnxruntime")
pytest.importorskip("rapidocr_onnxruntime")

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker

from parking.common.audit import AuditEntry
from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.scope import Scope
from parking.images import LocalImageStore
from parking.recognition.models import PlateRecognition, RecognitionStatus
from parking.recognition.service import ADOPT_CONFLICT
from parking.sessions.models import LaneEvent, ParkingSession
from tests.conftest import REDIS_URL, need_service
from tests.lanes.site import Site, build_site
from tests.recognition.queue_site import read_with_image
from tests.recognition.scenes import misread, photo
from workers.broker import broker as stub_broker
from workers.recognition import actors, runtime
from workers.recognition.pipeline import Recogniser
from workers.recognition.review import CAMERA_OVERRULED

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
def recogniser() -> Recogniser:
    return Recogniser()


@pytest.fixture
def images(tmp_path: Path) -> LocalImageStore:
    return LocalImageStore(tmp_path / "images")


@pytest.fixture
def configured(db: Database, images: LocalImageStore, recogniser: Recogniser) -> Iterator[runtime.Runtime]:
    rt = runtime.Runtime(db, images)
    rt.__dict__["recogniser"] = recogniser  # the models loaded once for the module
    runtime.configure(rt)
    actors.enable(db)
    yield rt
    actors.disable(db)
    runtime.configure(None)


async def _rows(db: Database) -> list[tuple[object, ...]]:
    async with db.session(Scope.internal()) as s:
        rows = (await s.scalars(select(PlateRecognition).order_by(PlateRecognition.id))).all()
        return [(r.id, r.lane_event_id, r.status, r.plate, r.crop_ref, r.updated_at) for r in rows]


def _drain(broker: dramatiq.Broker) -> None:
    worker = dramatiq.Worker(broker, queues={actors.QUEUE}, worker_timeout=100, worker_threads=1)
    worker.start()
    try:
        if isinstance(broker, StubBroker):
            broker.join(actors.QUEUE, fail_fast=True)  # an actor's exception fails the test
        else:
            broker.join(actors.QUEUE, timeout=120_000)
        worker.join()
    finally:
        worker.stop()


async def _event(site: Site, images: LocalImageStore, seed: int, camera_wrong: bool) -> tuple[int, str]:
    shot = photo(seed)
    ref = await images.put(shot.jpeg)
    camera = misread(shot.plate) if camera_wrong else shot.plate
    outcome = await read_with_image(site, "in", camera, utcnow(), ref)
    return outcome.event_id, shot.plate


async def test_stub_broker_records_one_verdict_per_event(db: Database, configured: runtime.Runtime) -> None:
    site = await build_site(db)
    event_id, plate = await _event(site, configured.images, seed=11, camera_wrong=False)  # type: ignore[arg-type]
    _drain(stub_broker)  # the lane flow enqueued the job after its commit
    first = await _rows(db)
    assert len(first) == 1
    _, lane_event_id, status, chosen, crop_ref, _ = first[0]
    assert lane_event_id == event_id
    if status is RecognitionStatus.CONFIRMED:
        assert chosen == plate  # camera right and both engines agreed with it
    else:
        assert status is RecognitionStatus.OPEN
        assert crop_ref
    # Redelivered and repeated jobs change nothing.
    actors.recognise_lane_event.send(event_id)
    actors.recognise_lane_event.send(event_id)
    _drain(stub_broker)
    assert await _rows(db) == first


async def _recognition(db: Database, event_id: int) -> tuple[PlateRecognition, LaneEvent, ParkingSession | None]:
    async with db.session(Scope.internal()) as s:
        row = await s.scalar(select(PlateRecognition).where(PlateRecognition.lane_event_id == event_id))
        event = await s.get(LaneEvent, event_id)
        assert row is not None
        assert event is not None
        stay = await s.get(ParkingSession, event.session_id) if event.session_id is not None else None
        return row, event, stay


async def test_a_camera_misread_is_overruled_by_both_engines(db: Database, configured: runtime.Runtime) -> None:
    site = await build_site(db)
    event_id, plate = await _event(site, configured.images, seed=12, camera_wrong=True)  # type: ignore[arg-type]
    _drain(stub_broker)
    row, event, stay = await _recognition(db, event_id)

    # Both engines read the photo's plate: the stay takes it, the camera's reading stays on record.
    assert (row.status, row.reason, row.plate) == (RecognitionStatus.CONFIRMED, CAMERA_OVERRULED, plate)
    assert row.camera_plate == event.plate == misread(plate)
    assert f"camera read {misread(plate)}" in row.detail
    assert stay is not None
    assert stay.plate == plate
    assert await configured.images.get(row.crop_ref)
    async with db.session(Scope.internal()) as s:
        audit = (await s.scalars(select(AuditEntry).where(AuditEntry.action == "session.correct_plate"))).all()
    assert [(a.actor_name, a.entity_id) for a in audit] == [("cloud recognition", stay.id)]


async def test_an_overrule_onto_a_plate_already_inside_goes_to_a_person(
    db: Database, configured: runtime.Runtime
) -> None:
    site = await build_site(db)
    shot = photo(12)
    await site.read("in", shot.plate, utcnow())  # the engines' plate already has an open stay here
    _drain(stub_broker)
    event_id, plate = await _event(site, configured.images, seed=12, camera_wrong=True)  # type: ignore[arg-type]
    _drain(stub_broker)
    row, _, stay = await _recognition(db, event_id)

    assert (row.status, row.reason) == (RecognitionStatus.OPEN, ADOPT_CONFLICT)
    assert [c["plate"] for c in row.candidates] == [plate, misread(plate)]
    assert stay is not None
    assert stay.plate == misread(plate)
    assert await configured.images.get(row.crop_ref)


async def test_an_event_without_a_picture_is_not_queued(db: Database, configured: runtime.Runtime) -> None:
    site = await build_site(db)
    await site.read("in", "京A12345", utcnow())
    _drain(stub_broker)
    assert await _rows(db) == []


@pytest.mark.redis
async def test_real_redis_broker_is_idempotent(db: Database, configured: runtime.Runtime) -> None:
    redis_broker = RedisBroker(url=REDIS_URL)  # type: ignore[no-untyped-call]
    try:
        redis_broker.client.ping()
    except Exception as err:
        need_service("Redis", str(err))
    actor = actors.recognise_lane_event
    previous = actor.broker
    actor.broker = redis_broker
    redis_broker.declare_actor(actor)
    redis_broker.flush_all()
    try:
        site = await build_site(db)
        event_id, _ = await _event(site, configured.images, seed=13, camera_wrong=True)  # type: ignore[arg-type]
        actor.send(event_id)  # the lane flow already sent one: two more, redelivered
        actor.send(event_id)
        _drain(redis_broker)
        rows = await _rows(db)
        assert [(r[1], r[2]) for r in rows] == [(event_id, RecognitionStatus.OPEN)]
    finally:
        redis_broker.flush_all()
        redis_broker.close()
        actor.broker = previous
