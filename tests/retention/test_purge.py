"""The purge: pictures and records past each lot's retention go, a batch at a time; open, owing and paid-for
stays, money and audit rows stay; a second run does nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import update

from parking.common.audit import AuditEntry
from parking.common.database import Database
from parking.common.scope import Scope
from parking.images import LocalImageStore
from parking.payments.models import PaymentOrder
from parking.recognition.models import PlateRecognition
from parking.retention.purge import LotPurge, purge
from parking.sessions.models import LaneEvent, ParkingSession
from parking.tenancy.models import Lot
from tests.api.helpers import dump
from tests.factories import build_world
from tests.retention.data import NOW, Lots, count_of, ids_of, refs_of
from tests.s3 import S3Bucket


@pytest.fixture(params=["local", "s3"])
async def lots(db: Database, tmp_path: Path, request: pytest.FixtureRequest) -> Lots:
    if request.param == "s3":  # the same purge against a real S3 server (moto): tests/s3.py
        bucket: S3Bucket = request.getfixturevalue("s3_bucket")
        return Lots(db, await build_world(db), bucket.store("images"))
    return Lots(db, await build_world(db), LocalImageStore(tmp_path / "images"))


def by_lot(results: list[LotPurge], lots: Lots, name: str) -> LotPurge:
    [found] = [r for r in results if r.lot_id == lots.world.ids[f"lot:{name}"]]
    return found


async def test_pictures_older_than_30_days_go_and_younger_ones_stay(lots: Lots) -> None:
    young, old = await lots.picture(NOW), await lots.picture(NOW)
    crop_young, crop_old = await lots.picture(NOW), await lots.picture(NOW)
    kept = await lots.event("A1a", 29, image_ref=young, crop_ref=crop_young)
    gone = await lots.event("A1a", 31, image_ref=old, crop_ref=crop_old)

    results = await purge(lots.db, lots.store, NOW)

    assert by_lot(results, lots, "A1a") == LotPurge(lots.world.ids["lot:A1a"], "Lot A1a", images=3, files=2)
    assert await refs_of(lots.db, LaneEvent.image_ref) == {kept: (young,), gone: ("",)}
    assert sorted((await refs_of(lots.db, PlateRecognition.image_ref, PlateRecognition.crop_ref)).values()) == [
        ("", ""),
        (young, crop_young),
    ]
    assert [await lots.store.size(r) is not None for r in (young, crop_young, old, crop_old)] == [
        True,
        True,
        False,
        False,
    ]
    # The records themselves are younger than a year: both events and recognitions stay.
    assert await ids_of(lots.db, LaneEvent) == [kept, gone]
    assert await count_of(lots.db, PlateRecognition) == 2


async def test_a_picture_another_row_still_names_keeps_its_file(lots: Lots) -> None:
    shared = await lots.picture(NOW, tag="same bytes")
    old = await lots.event("A1a", 31, image_ref=shared)
    young = await lots.event("A1a", 2, image_ref=shared)

    [result, *_] = await purge(lots.db, lots.store, NOW)

    assert (result.images, result.files) == (1, 0)
    assert await refs_of(lots.db, LaneEvent.image_ref) == {old: ("",), young: (shared,)}
    assert await lots.store.get(shared) == b"\xff\xd8\xffsame bytes"


async def test_records_older_than_365_days_go_and_younger_ones_stay(lots: Lots) -> None:
    stay_364 = await lots.stay("A1a", exited_days=364)
    stay_366 = await lots.stay("A1a", exited_days=366)
    event_364 = await lots.event("A1a", 364, session_id=stay_364)
    event_366 = await lots.event("A1a", 366, session_id=stay_366, crop_ref="")
    orphan_366 = await lots.event("A1a", 366)

    results = await purge(lots.db, lots.store, NOW)

    assert by_lot(results, lots, "A1a") == LotPurge(
        lots.world.ids["lot:A1a"], "Lot A1a", lane_events=2, recognitions=1, sessions=1
    )
    assert await ids_of(lots.db, ParkingSession) == [stay_364]
    assert await ids_of(lots.db, LaneEvent) == [event_364]
    assert event_366 != orphan_366
    assert await count_of(lots.db, PlateRecognition) == 0


async def test_open_owing_and_paid_for_stays_keep_their_records_and_money_and_audit_stay(lots: Lots) -> None:
    picture = await lots.picture(NOW)
    open_stay = await lots.stay("A1a", exited_days=None, entered_days=400)
    arrears = await lots.stay("A1a", exited_days=400, arrears_fen=500)
    underpaid = await lots.stay("A1a", exited_days=400, fee_due_fen=800, paid_fen=300)
    paid = await lots.stay("A1a", exited_days=400, fee_due_fen=800, paid_fen=800, paid_order=True)
    events = [
        await lots.event("A1a", 400, session_id=open_stay, image_ref=picture),
        await lots.event("A1a", 400, session_id=arrears),
        await lots.event("A1a", 400, session_id=underpaid),
    ]
    paid_event = await lots.event("A1a", 400, session_id=paid)
    async with lots.db.transaction(Scope.internal()) as s:
        s.add(AuditEntry(action="lot.update", entity="lot", entity_id=1, actor_name="x", at=NOW.replace(year=2020)))
    orders_before = await refs_of(lots.db, PaymentOrder.session_id, PaymentOrder.amount_fen)

    result = by_lot(await purge(lots.db, lots.store, NOW), lots, "A1a")

    # The paid stay's event goes (a record past its year); the stay itself stays with its payment.
    assert (result.lane_events, result.sessions, result.images) == (1, 0, 0)
    assert await ids_of(lots.db, ParkingSession) == [open_stay, arrears, underpaid, paid]
    assert await ids_of(lots.db, LaneEvent) == events
    assert paid_event not in await ids_of(lots.db, LaneEvent)
    assert await refs_of(lots.db, LaneEvent.image_ref) == {events[0]: (picture,), events[1]: ("",), events[2]: ("",)}
    assert await lots.store.get(picture)
    assert await refs_of(lots.db, PaymentOrder.session_id, PaymentOrder.amount_fen) == orders_before
    assert await count_of(lots.db, AuditEntry) == 1


async def test_inner_stays_go_before_their_outer_stay_and_a_kept_inner_stay_keeps_it(lots: Lots) -> None:
    outer = await lots.stay("A1a", exited_days=400)
    await lots.stay("A1a", exited_days=400, parent_id=outer)
    owing_outer = await lots.stay("A1a", exited_days=400)
    owing_inner = await lots.stay("A1a", exited_days=400, parent_id=owing_outer, arrears_fen=100)

    result = by_lot(await purge(lots.db, lots.store, NOW), lots, "A1a")

    assert result.sessions == 2
    assert await ids_of(lots.db, ParkingSession) == [owing_outer, owing_inner]


async def test_batches_smaller_than_the_data_purge_all_of_it_and_a_second_run_does_nothing(lots: Lots) -> None:
    for _ in range(7):
        stay = await lots.stay("A1a", exited_days=370)
        await lots.event("A1a", 370, session_id=stay, image_ref=await lots.picture(NOW), crop_ref="")
    kept = await lots.event("A1a", 10, image_ref=await lots.picture(NOW))

    first = by_lot(await purge(lots.db, lots.store, NOW, batch=2), lots, "A1a")

    assert first == LotPurge(
        lots.world.ids["lot:A1a"], "Lot A1a", images=14, files=7, lane_events=7, recognitions=7, sessions=7
    )
    assert await ids_of(lots.db, LaneEvent) == [kept]
    assert await count_of(lots.db, ParkingSession) == 0
    before = await dump(lots.db)

    second = await purge(lots.db, lots.store, NOW, batch=2)

    assert all(r == LotPurge(r.lot_id, r.lot_name) for r in second)
    assert await dump(lots.db) == before


async def test_each_lot_purges_by_its_own_setting(lots: Lots) -> None:
    async with lots.db.transaction(Scope.internal()) as s:
        await s.execute(
            update(Lot)
            .where(Lot.id == lots.world.ids["lot:A1a"])
            .values(image_retention_days=60, record_retention_days=400)
        )
    pictures = {name: await lots.picture(NOW) for name in ("A1a", "A1b", "B1a")}
    events = {name: await lots.event(name, 45, image_ref=pictures[name]) for name in pictures}
    records = {name: await lots.event(name, 380) for name in pictures}

    results = await purge(lots.db, lots.store, NOW)

    assert {r.lot_name: (r.images, r.lane_events) for r in results} == {
        "Lot A1a": (0, 0),
        "Lot A1b": (1, 1),
        "Lot A2a": (0, 0),
        "Lot B1a": (1, 1),
    }
    assert await refs_of(lots.db, LaneEvent.image_ref) == {
        events["A1a"]: (pictures["A1a"],),
        events["A1b"]: ("",),
        events["B1a"]: ("",),
        records["A1a"]: ("",),
    }


async def test_a_purge_of_chosen_lots_leaves_the_others_untouched(lots: Lots) -> None:
    mine = await lots.event("A1a", 400)
    theirs = await lots.event("B1a", 400)

    results = await purge(lots.db, lots.store, NOW, lot_ids=[lots.world.ids["lot:A1a"]])

    assert [(r.lot_name, r.lane_events) for r in results] == [("Lot A1a", 1)]
    assert await ids_of(lots.db, LaneEvent) == [theirs]
    assert mine != theirs


async def test_a_dry_run_counts_and_changes_nothing(lots: Lots) -> None:
    stay = await lots.stay("A1a", exited_days=370)
    await lots.event("A1a", 370, session_id=stay, image_ref=await lots.picture(NOW), crop_ref="")
    await lots.event("A1a", 40, image_ref=await lots.picture(NOW))
    before = await dump(lots.db)

    result = by_lot(await purge(lots.db, lots.store, NOW, dry_run=True), lots, "A1a")

    assert result == LotPurge(
        lots.world.ids["lot:A1a"], "Lot A1a", images=3, files=0, lane_events=1, recognitions=1, sessions=1
    )
    assert await dump(lots.db) == before
