"""Cloud-seat mutations over GraphQL: remote open (30 s, void for the next car), waive, correct, match."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import ColumnElement, func, select

from parking.alarms.models import Alarm, AlarmKind
from parking.common.audit import AuditEntry
from parking.common.database import Database
from parking.common.db import Base, utcnow
from parking.common.scope import Scope
from parking.devices import gates
from parking.devices.models import GateCommand, GateCommandStatus
from parking.sessions.enums import ReleaseMethod, SessionState
from parking.sessions.models import ParkingSession
from tests.conftest import GraphQL
from tests.lanes.site import Site, build_site, seat_tokens

pytestmark = pytest.mark.anyio

REMOTE_OPEN = """
mutation($lane: ID!, $reason: String!) {
  laneRemoteOpen(laneId: $lane, reason: $reason) {
    __typename
    ... on GateCommandSuccess { command { id status expiresAt issuedAt sessionId reason } }
    ... on LaneError { code field message }
  }
}"""
WAIVE = """
mutation($id: ID!, $reason: String!) {
  sessionWaiveFee(sessionId: $id, reason: $reason) {
    __typename
    ... on SessionSuccess { session { id state discountFen releaseMethod } }
    ... on LaneError { code field }
  }
}"""
CORRECT = """
mutation($id: ID!, $plate: String!) {
  sessionCorrectPlate(sessionId: $id, plate: $plate, reason: "misread") {
    __typename
    ... on SessionSuccess { session { plate } }
    ... on LaneError { code field }
  }
}"""
MATCH = """
mutation($event: ID!, $id: ID!) {
  exitMatchSession(eventId: $event, sessionId: $id) {
    __typename
    ... on SessionSuccess { session { id feeDueFen state } }
    ... on LaneError { code field }
  }
}"""


async def _count(site: Site, model: type[Base], *where: ColumnElement[bool]) -> int:
    async with site.db.session(Scope.internal()) as s:
        count: int | None = await s.scalar(select(func.count()).select_from(model).where(*where))
        return int(count or 0)


async def _held_exit(site: Site) -> int:
    now = utcnow()
    await site.read("in", "京A12345", now - timedelta(hours=1))
    held = await site.read("out", "京A12345", now)
    assert not held.decision.opens
    assert held.session_id is not None
    return held.session_id


async def test_remote_open_lets_a_held_exit_out_and_keeps_the_debt(db: Database, gql: GraphQL) -> None:
    site = await build_site(db)
    tokens = await seat_tokens(site)
    stay_id = await _held_exit(site)
    result = await gql(REMOTE_OPEN, {"lane": str(site.ids["out"]), "reason": "driver paid cash"}, token=tokens["seat"])
    payload = result["data"]["laneRemoteOpen"]
    assert payload["__typename"] == "GateCommandSuccess"
    assert payload["command"]["status"] == "PENDING"
    assert payload["command"]["sessionId"] == str(stay_id)
    stay = await site.session(stay_id)
    assert stay.state is SessionState.EXITED
    assert stay.release_method is ReleaseMethod.SOFTWARE
    assert stay.release_reason == "driver paid cash"
    assert stay.arrears_fen == stay.fee_due_fen > 0
    assert await site.occupied() == (0, 0)
    assert await _count(site, Alarm, Alarm.kind == AlarmKind.MANUAL_OPEN) == 1
    assert await _count(site, AuditEntry, AuditEntry.action == "lane.remote_open") == 1
    # The camera's next poll takes it once.
    async with db.transaction(Scope.internal()) as s:
        taken = await gates.take_pending(s, site.ids["out"], utcnow())
    async with db.transaction(Scope.internal()) as s:
        again = await gates.take_pending(s, site.ids["out"], utcnow())
    assert taken is not None
    assert taken.id == int(payload["command"]["id"])
    assert again is None


async def test_remote_open_is_void_for_the_next_car_and_after_30_seconds(db: Database, gql: GraphQL) -> None:
    site = await build_site(db)
    tokens = await seat_tokens(site)
    result = await gql(REMOTE_OPEN, {"lane": str(site.ids["in"]), "reason": "visitor"}, token=tokens["seat"])
    command_id = int(result["data"]["laneRemoteOpen"]["command"]["id"])
    await site.read("in", "京B99999", utcnow())  # another car reaches the barrier before the camera polled
    async with db.transaction(Scope.internal()) as s:
        assert await gates.take_pending(s, site.ids["in"], utcnow()) is None
        command = await s.get(GateCommand, command_id)
        assert command is not None
        assert command.status is GateCommandStatus.EXPIRED

    result = await gql(REMOTE_OPEN, {"lane": str(site.ids["in2"]), "reason": "visitor"}, token=tokens["seat"])
    late = utcnow() + timedelta(seconds=31)
    async with db.transaction(Scope.internal()) as s:
        assert await gates.take_pending(s, site.ids["in2"], late) is None


@pytest.mark.parametrize("reason", ["", "   ", "x" * 201])
async def test_remote_open_needs_a_reason_and_changes_nothing(db: Database, gql: GraphQL, reason: str) -> None:
    site = await build_site(db)
    tokens = await seat_tokens(site)
    stay_id = await _held_exit(site)
    result = await gql(REMOTE_OPEN, {"lane": str(site.ids["out"]), "reason": reason}, token=tokens["seat"])
    assert result["data"]["laneRemoteOpen"] == {
        "__typename": "LaneError",
        "code": "INVALID",
        "field": "reason",
        "message": result["data"]["laneRemoteOpen"]["message"],
    }
    assert await _count(site, GateCommand, GateCommand.operator_id.is_not(None)) == 0
    assert (await site.session(stay_id)).state is SessionState.IN_LOT


async def test_another_tenant_cannot_open_or_waive(db: Database, gql: GraphQL) -> None:
    site = await build_site(db)
    tokens = await seat_tokens(site)
    stay_id = await _held_exit(site)
    opened = await gql(REMOTE_OPEN, {"lane": str(site.ids["out"]), "reason": "x"}, token=tokens["other"])
    waived = await gql(WAIVE, {"id": str(stay_id), "reason": "x"}, token=tokens["other"])
    assert opened["data"]["laneRemoteOpen"]["code"] == "NOT_FOUND"
    assert waived["data"]["sessionWaiveFee"]["code"] == "NOT_FOUND"
    stay = await site.session(stay_id)
    assert stay.state is SessionState.IN_LOT
    assert stay.discount_fen == 0
    assert await _count(site, GateCommand, GateCommand.operator_id.is_not(None)) == 0


async def test_waiving_lets_the_waiting_car_out_once(db: Database, gql: GraphQL) -> None:
    site = await build_site(db)
    tokens = await seat_tokens(site)
    stay_id = await _held_exit(site)
    result = await gql(WAIVE, {"id": str(stay_id), "reason": "barrier fault"}, token=tokens["seat"])
    session = result["data"]["sessionWaiveFee"]["session"]
    assert session["state"] == "EXITED"
    assert session["releaseMethod"] == "SOFTWARE"
    assert session["discountFen"] > 0
    again = await gql(WAIVE, {"id": str(stay_id), "reason": "barrier fault"}, token=tokens["seat"])
    assert again["data"]["sessionWaiveFee"]["code"] == "CONFLICT"
    assert await _count(site, GateCommand, GateCommand.status == GateCommandStatus.PENDING) == 1
    assert await site.occupied() == (0, 0)


async def test_correcting_a_plate(db: Database, gql: GraphQL) -> None:
    site = await build_site(db)
    tokens = await seat_tokens(site)
    now = utcnow()
    first = await site.read("in", "京A12345", now)
    await site.read("in", "京A88888", now)
    bad = await gql(CORRECT, {"id": str(first.session_id), "plate": "not a plate"}, token=tokens["seat"])
    taken = await gql(CORRECT, {"id": str(first.session_id), "plate": "京A88888"}, token=tokens["seat"])
    good = await gql(CORRECT, {"id": str(first.session_id), "plate": "京a 12346"}, token=tokens["seat"])
    assert bad["data"]["sessionCorrectPlate"] == {"__typename": "LaneError", "code": "INVALID", "field": "plate"}
    assert taken["data"]["sessionCorrectPlate"] == {"__typename": "LaneError", "code": "CONFLICT", "field": "plate"}
    assert good["data"]["sessionCorrectPlate"]["session"]["plate"] == "京A12346"


async def test_matching_an_exit_without_entry(db: Database, gql: GraphQL) -> None:
    site = await build_site(db)
    tokens = await seat_tokens(site)
    now = utcnow()
    entry = await site.read("in", "京A12345", now - timedelta(hours=1))
    misread = await site.read("out", "京A1234S", now)
    assert misread.decision.reason.value == "exit_without_entry"
    assert misread.decision.candidates == ("京A12345",)
    result = await gql(MATCH, {"event": str(misread.event_id), "id": str(entry.session_id)}, token=tokens["seat"])
    session = result["data"]["exitMatchSession"]["session"]
    assert session["state"] == "IN_LOT"
    assert session["feeDueFen"] > 0
    again = await gql(MATCH, {"event": str(misread.event_id), "id": str(entry.session_id)}, token=tokens["seat"])
    assert again["data"]["exitMatchSession"]["code"] == "CONFLICT"
    async with db.session(Scope.internal()) as s:
        stay = await s.get(ParkingSession, entry.session_id)
        assert stay is not None
        assert stay.note == "exit read as 京A1234S"


RECORDS = """
query($filter: ParkingSessionFilter) {
  parkingSessions(filter: $filter) { items { plate parentId state } }
}"""


async def test_records_filter_by_lane_inner_lot_and_exit_time(db: Database, gql: GraphQL) -> None:
    site = await build_site(db)
    tokens = await seat_tokens(site)
    now = utcnow()
    await site.read("in", "京A11111", now - timedelta(hours=2))
    await site.read("in2", "京A22222", now - timedelta(hours=2))
    await site.read("inner_in", "京A22222", now - timedelta(hours=1))
    await site.read("out", "京A11111", now - timedelta(minutes=110))  # within the free 15 minutes

    async def plates(**filter: object) -> list[tuple[str, bool]]:
        result = await gql(RECORDS, {"filter": filter}, token=tokens["seat"])
        items = result["data"]["parkingSessions"]["items"]
        return sorted((n["plate"], n["parentId"] is not None) for n in items)

    assert await plates(laneId=str(site.ids["in2"])) == [("京A22222", False)]
    assert await plates(inner=True) == [("京A22222", True)]
    assert await plates(inner=False) == [("京A11111", False), ("京A22222", False)]
    assert await plates(exitFrom=(now - timedelta(hours=3)).isoformat()) == [("京A11111", False)]
    assert await plates(areaId=str(site.ids["inner"])) == [("京A22222", True)]


REFUSALS = "{ deviceRefusals { items { serial reason ip } } }"


async def test_refused_pushes_are_seen_by_platform_operators_only(db: Database, gql: GraphQL) -> None:
    from hardware.cameras import vzenith
    from hardware.cameras.types import CameraProtocol, CameraReading, PlateColorName
    from tests.factories import build_world

    site = await build_site(db)
    world = await build_world(db)
    tokens = await seat_tokens(site)
    reading = CameraReading(
        protocol=CameraProtocol.VZENITH,
        serial="NOT-REGISTERED",
        plate_text="京A12345",
        color=PlateColorName.BLUE,
        confidence=0.9,
        taken_at=utcnow(),
        camera_plate_id=1,
    )
    response = await gql.http.post(
        "/devices/vzenith/push", content=vzenith.encode_push(reading), headers={"Content-Type": vzenith.CONTENT_TYPE}
    )
    assert response.status_code == 403
    assert vzenith.decode_reply(response.content).open is False
    platform = await gql(REFUSALS, token=world.tokens["platform"])
    assert platform["data"]["deviceRefusals"]["items"] == [
        {"serial": "NOT-REGISTERED", "reason": "unknown_device", "ip": "203.0.113.7"}
    ]
    customer = await gql(REFUSALS, token=tokens["seat"])
    assert customer["data"]["deviceRefusals"]["items"] == []
