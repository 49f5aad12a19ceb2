"""The cloud seat's correction queue over GraphQL: scoped lists, resolving fixes the stay, bad input changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.scope import Scope
from parking.recognition import service
from parking.recognition.models import PlateRecognition, RecognitionStatus
from parking.sessions.enums import SessionState
from parking.sessions.models import LaneEvent, ParkingSession
from tests.conftest import GraphQL
from tests.lanes.site import build_site, seat_tokens
from tests.recognition.queue_site import open_task, read_with_image

pytestmark = pytest.mark.anyio

TASKS = """
query($status: RecognitionStatus) {
  correctionTasks(filter: {status: $status}) {
    items { id status cameraPlate plate laneEventId sessionId reason candidates { plate sources confidence }
            readings { source text confidence } }
  }
}"""
RESOLVE = """
mutation($id: ID!, $plate: String!) {
  correctionTaskResolve(id: $id, plate: $plate) {
    __typename
    ... on CorrectionTaskSuccess { task { id status plate resolvedById resolvedAt } }
    ... on RecognitionError { code field message }
  }
}"""
IMAGE = "2026/11/21/" + "a" * 64 + ".jpg"


async def _rows(db: Database) -> list[tuple[object, ...]]:
    async with db.session(Scope.internal()) as s:
        tasks = (await s.scalars(select(PlateRecognition).order_by(PlateRecognition.id))).all()
        stays = (await s.scalars(select(ParkingSession).order_by(ParkingSession.id))).all()
        return [(t.id, t.status, t.plate, t.resolved_at) for t in tasks] + [(p.id, p.plate, p.note) for p in stays]


async def test_open_tasks_are_listed_for_the_seat_and_hidden_from_other_tenants(db: Database, gql: GraphQL) -> None:
    site = await build_site(db)
    tokens = await seat_tokens(site)
    entry = await read_with_image(site, "in", "京A12345", utcnow(), IMAGE)
    task = await open_task(site, entry.event_id, ["京A12345", "京A12346"])

    mine = await gql(TASKS, token=tokens["seat"])
    (item,) = mine["data"]["correctionTasks"]["items"]
    assert item["id"] == str(task.id)
    assert item["status"] == "OPEN"
    assert item["cameraPlate"] == "京A12345"
    assert item["sessionId"] == str(entry.session_id)
    assert [c["plate"] for c in item["candidates"]] == ["京A12345", "京A12346"]
    assert item["readings"][0]["source"] == "camera"

    theirs = await gql(TASKS, token=tokens["other"])
    assert theirs["data"]["correctionTasks"]["items"] == []
    # Confirmed verdicts are not in the default (open) queue.
    assert (await gql(TASKS, {"status": "CONFIRMED"}, token=tokens["seat"]))["data"]["correctionTasks"]["items"] == []


async def test_resolving_fixes_the_open_stay_and_keeps_the_label(db: Database, gql: GraphQL) -> None:
    site = await build_site(db)
    tokens = await seat_tokens(site)
    entry = await read_with_image(site, "in", "京A12345", utcnow(), IMAGE)
    task = await open_task(site, entry.event_id, ["京A12345", "京A12845"])

    result = await gql(RESOLVE, {"id": str(task.id), "plate": "京a12845"}, token=tokens["seat"])
    payload = result["data"]["correctionTaskResolve"]
    assert payload["__typename"] == "CorrectionTaskSuccess", payload
    assert payload["task"]["status"] == "CORRECTED"
    assert payload["task"]["plate"] == "京A12845"
    assert payload["task"]["resolvedById"] == str(site.ids["operator:seat"])
    assert entry.session_id is not None
    assert (await site.session(entry.session_id)).plate == "京A12845"
    async with db.session(Scope.internal()) as s:
        (label,) = await service.labelled(s)
        assert (label.plate, label.image_ref) == ("京A12845", IMAGE)
    assert (await gql(TASKS, token=tokens["seat"]))["data"]["correctionTasks"]["items"] == []


async def test_resolving_after_exit_fixes_the_record(db: Database, gql: GraphQL) -> None:
    site = await build_site(db)
    tokens = await seat_tokens(site)
    now = utcnow()
    entry = await read_with_image(site, "in", "京A12345", now - timedelta(minutes=5), IMAGE)
    await site.read("out", "京A12345", now)  # within the free time: the car leaves
    assert entry.session_id is not None
    assert (await site.session(entry.session_id)).state is SessionState.EXITED
    task = await open_task(site, entry.event_id, ["京A12345", "京B12345"])

    result = await gql(RESOLVE, {"id": str(task.id), "plate": "京B12345"}, token=tokens["seat"])
    assert result["data"]["correctionTaskResolve"]["__typename"] == "CorrectionTaskSuccess"
    stay = await site.session(entry.session_id)
    assert (stay.plate, stay.state) == ("京B12345", SessionState.EXITED)


async def test_a_held_entry_without_a_stay_gets_its_reading_fixed(db: Database, gql: GraphQL) -> None:
    site = await build_site(db)
    tokens = await seat_tokens(site)
    entry = await read_with_image(site, "in", "京A12345", utcnow(), IMAGE)
    async with db.transaction(Scope.internal()) as tx:
        event = await tx.get(LaneEvent, entry.event_id)
        assert event is not None
        event.session_id, event.opened = None, False
    task = await open_task(site, entry.event_id, ["京A12345", "京A12346"])
    result = await gql(RESOLVE, {"id": str(task.id), "plate": "京A12346"}, token=tokens["seat"])
    assert result["data"]["correctionTaskResolve"]["__typename"] == "CorrectionTaskSuccess"
    async with db.session(Scope.internal()) as s:
        event = await s.get(LaneEvent, entry.event_id)
        assert event is not None
        assert event.plate == "京A12346"


@pytest.mark.parametrize(
    ("plate", "code", "field"),
    [("not a plate", "INVALID", "plate"), ("", "INVALID", "plate"), ("京I12345X9", "INVALID", "plate")],
)
async def test_bad_plates_are_refused_and_change_nothing(
    db: Database, gql: GraphQL, plate: str, code: str, field: str
) -> None:
    site = await build_site(db)
    tokens = await seat_tokens(site)
    entry = await read_with_image(site, "in", "京A12345", utcnow(), IMAGE)
    task = await open_task(site, entry.event_id, ["京A12345", "京A12346"])
    before = await _rows(db)
    result = await gql(RESOLVE, {"id": str(task.id), "plate": plate}, token=tokens["seat"])
    payload = result["data"]["correctionTaskResolve"]
    assert (payload["__typename"], payload["code"], payload["field"]) == ("RecognitionError", code, field)
    assert await _rows(db) == before


async def test_resolving_twice_conflicts_and_other_tenants_cannot_resolve(db: Database, gql: GraphQL) -> None:
    site = await build_site(db)
    tokens = await seat_tokens(site)
    entry = await read_with_image(site, "in", "京A12345", utcnow(), IMAGE)
    task = await open_task(site, entry.event_id, ["京A12345", "京A12346"])

    foreign = await gql(RESOLVE, {"id": str(task.id), "plate": "京A12346"}, token=tokens["other"])
    assert foreign["data"]["correctionTaskResolve"]["code"] == "NOT_FOUND"
    first = await gql(RESOLVE, {"id": str(task.id), "plate": "京A12346"}, token=tokens["seat"])
    assert first["data"]["correctionTaskResolve"]["__typename"] == "CorrectionTaskSuccess"
    before = await _rows(db)
    again = await gql(RESOLVE, {"id": str(task.id), "plate": "京A12345"}, token=tokens["seat"])
    assert again["data"]["correctionTaskResolve"]["code"] == "CONFLICT"
    assert await _rows(db) == before


async def test_the_queue_needs_the_correction_permission(db: Database, gql: GraphQL) -> None:
    from tests.factories import build_world

    world = await build_world(db)
    result = await gql(TASKS, token=world.tokens["viewer"])
    assert result["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    denied = await gql(RESOLVE, {"id": "1", "plate": "京A12345"}, token=world.tokens["viewer"])
    assert denied["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"


async def test_recording_twice_keeps_the_first_verdict(db: Database) -> None:
    site = await build_site(db)
    entry = await read_with_image(site, "in", "京A12345", utcnow(), IMAGE)
    first = await open_task(site, entry.event_id, ["京A12345", "京A12346"])
    second = await open_task(site, entry.event_id, ["京B99999"])
    assert second.id == first.id
    async with db.session(Scope.internal()) as s:
        rows = (await s.scalars(select(PlateRecognition))).all()
        assert [(r.id, r.status, r.candidates[0]["plate"]) for r in rows] == [
            (first.id, RecognitionStatus.OPEN, "京A12345")
        ]


LANES = """
query { correctionTasks { items { id laneEvent { id kind plate } lane { name direction } } } }
"""


async def test_tasks_name_their_reading_and_lane_in_one_load_each(db: Database, gql: GraphQL) -> None:
    from tests.overview.test_overview_queries import statements

    site = await build_site(db)
    tokens = await seat_tokens(site)
    now = utcnow()
    entry = await read_with_image(site, "in", "京A12345", now - timedelta(minutes=1), IMAGE)
    other = await read_with_image(site, "in2", "京B54321", now, IMAGE)
    first = await open_task(site, entry.event_id, ["京A12345", "京A12346"])
    second = await open_task(site, other.event_id, ["京B54321", "京B54327"])

    with statements(db, "lane_events") as events, statements(db, "lanes") as lanes:
        body = await gql(LANES, token=tokens["seat"])

    assert body["data"]["correctionTasks"]["items"] == [
        {
            "id": str(first.id),
            "laneEvent": {"id": str(entry.event_id), "kind": "ENTRY", "plate": "京A12345"},
            "lane": {"name": "in", "direction": "ENTRY"},
        },
        {
            "id": str(second.id),
            "laneEvent": {"id": str(other.event_id), "kind": "ENTRY", "plate": "京B54321"},
            "lane": {"name": "in2", "direction": "ENTRY"},
        },
    ]
    # One batched load of the two readings, one of their lanes: no query per task.
    assert (len(events), len(lanes)) == (1, 1)
