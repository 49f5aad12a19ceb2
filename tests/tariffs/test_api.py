"""GraphQL tariffs: numbered versions, refused documents, permissions, tenancy, quotes and the simulator."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from parking.common.audit import AuditEntry
from parking.common.database import Database
from parking.common.scope import Scope
from parking.plates import PlateColor
from parking.tariffs import Stay, VehicleClass, quote, samples, simulate
from parking.tariffs.simulate import standard_durations, stays_for
from parking.tenancy.models import Area
from tests.conftest import GraphQL
from tests.factories import World, build_world

CREATE = """
mutation($input: TariffVersionCreateInput!) {
  tariffVersionCreate(input: $input) {
    __typename
    ... on TariffSuccess { tariffVersion { id version name vehicleClass effectiveFrom document } }
    ... on TariffError { code field message problems { path reason } }
  }
}
"""
VERSIONS = "query($lot: ID!) { tariffVersions(lotId: $lot, vehicleClass: SMALL) { version name } }"
QUOTE = """
query($lot: ID!, $entry: DateTime!, $exit: DateTime!) {
  quoteFee(lotId: $lot, vehicleClass: SMALL, entryAt: $entry, exitAt: $exit, plateColor: BLUE) {
    tariffName tariffVersion amountFen dueFen lines { kind label amountFen units }
  }
}
"""
SIMULATE = """
query($lot: ID!, $entry: DateTime!, $durations: [Int!]) {
  simulateFees(lotId: $lot, vehicleClass: SMALL, entryAt: $entry, durations: $durations) { minutes feeFen capped }
}
"""
ENTRY = datetime(2026, 3, 10, 9, 0, tzinfo=samples.CST)


def _doc(**changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = samples.railway_station().model_dump(mode="json")
    doc.update(changes)
    return doc


async def _create(gql: GraphQL, world: World, doc: dict[str, Any], who: str = "agentA") -> dict[str, Any]:
    variables = {"input": {"lotId": world.id("lot:A1a"), "vehicleClass": "SMALL", "document": doc}}
    body = await gql(CREATE, variables, token=world.tokens[who])
    assert body.get("errors") is None, body
    result: dict[str, Any] = body["data"]["tariffVersionCreate"]
    return result


async def _versions(gql: GraphQL, world: World) -> list[dict[str, Any]]:
    body = await gql(VERSIONS, {"lot": world.id("lot:A1a")}, token=world.tokens["platform"])
    assert body.get("errors") is None, body
    rows: list[dict[str, Any]] = body["data"]["tariffVersions"]
    return rows


async def test_create_numbers_versions_per_lot_and_class(db: Database, gql: GraphQL) -> None:
    # Given a lot without tariffs
    world = await build_world(db)
    # When two versions are created (an update is a new version)
    first = await _create(gql, world, _doc())
    second = await _create(gql, world, _doc(name="railway-2027", effective_from="2027-01-01T00:00:00+08:00"))
    # Then they are numbered 1 and 2, and the stored document carries its number
    assert first["__typename"] == "TariffSuccess"
    assert first["tariffVersion"]["version"] == 1
    assert first["tariffVersion"]["effectiveFrom"] == "2025-12-31T16:00:00+00:00"
    assert second["tariffVersion"]["version"] == 2
    assert second["tariffVersion"]["document"]["version"] == 2
    assert await _versions(gql, world) == [
        {"version": 1, "name": "railway-station"},
        {"version": 2, "name": "railway-2027"},
    ]


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        ({"name": ""}, "name", "String should have at least 1 character"),
        ({"effective_from": "2026-01-01T00:00:00"}, "effective_from", "Input should have timezone info"),
        ({"timezone": "Mars/Olympus"}, "timezone", "unknown time zone 'Mars/Olympus'"),
        ({"classes": {}}, "classes", "at least one vehicle class is required"),
        ({"exempt": {"military": " "}}, "exempt.military", "an exemption needs a reason"),
    ],
)
async def test_invalid_document_refused_with_field_and_nothing_stored(
    db: Database, gql: GraphQL, changes: dict[str, Any], field: str, reason: str
) -> None:
    # Given a lot and a document with one problem
    world = await build_world(db)
    # When it is submitted
    result = await _create(gql, world, _doc(**changes))
    # Then it is refused with the problem's path and reason, and no version exists
    assert result["__typename"] == "TariffError"
    assert result["code"] == "INVALID"
    assert result["field"] == field
    assert result["problems"] == [{"path": field, "reason": reason}]
    assert await _versions(gql, world) == []


async def test_overlapping_periods_reported_at_their_path(db: Database, gql: GraphQL) -> None:
    # Given a document whose small-car periods overlap
    world = await build_world(db)
    doc = _doc()
    period = doc["classes"]["small"]["rule"]["periods"][0]
    doc["classes"]["small"]["rule"]["periods"] = [period, {**period, "name": "again"}]
    # When it is submitted
    result = await _create(gql, world, doc)
    # Then the periods path is named
    assert result["problems"] == [{"path": "classes.small.rule.periods", "reason": "periods overlap at 00:00"}]
    assert await _versions(gql, world) == []


async def test_viewer_without_permission_is_denied_and_nothing_stored(db: Database, gql: GraphQL) -> None:
    # Given an operator of agent A without tariffs.manage
    world = await build_world(db)
    variables = {"input": {"lotId": world.id("lot:A1a"), "vehicleClass": "SMALL", "document": _doc()}}
    # When they create a version
    body = await gql(CREATE, variables, token=world.tokens["viewer"])
    # Then the field is refused and nothing is stored
    assert body["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    assert await _versions(gql, world) == []


async def test_other_agent_cannot_create_for_or_quote_a_lot(db: Database, gql: GraphQL) -> None:
    # Given lot A1a with a tariff
    world = await build_world(db)
    await _create(gql, world, _doc())
    # When agent B creates a version for it and asks for a quote
    created = await _create(gql, world, _doc(), who="agentB")
    variables = {
        "lot": world.id("lot:A1a"),
        "entry": ENTRY.isoformat(),
        "exit": (ENTRY + timedelta(hours=3)).isoformat(),
    }
    quoted = await gql(QUOTE, variables, token=world.tokens["agentB"])
    # Then the lot does not exist for B, and A's lot still has one version
    assert (created["code"], created["field"]) == ("NOT_FOUND", "lotId")
    assert quoted["data"] is None
    assert quoted["errors"][0]["message"] == "Lot not found"
    assert await _versions(gql, world) == [{"version": 1, "name": "railway-station"}]


async def test_quote_fee_equals_the_pure_engine(db: Database, gql: GraphQL) -> None:
    # Given the railway-station tariff stored for lot A1a
    world = await build_world(db)
    await _create(gql, world, _doc())
    exit_at = ENTRY + timedelta(hours=5, minutes=10)
    # When a 5 h 10 min stay is quoted
    body = await gql(
        QUOTE,
        {"lot": world.id("lot:A1a"), "entry": ENTRY.isoformat(), "exit": exit_at.isoformat()},
        token=world.tokens["lotA1a"],
    )
    # Then the amount and lines are the engine's
    assert body.get("errors") is None, body
    expected = quote(Stay(ENTRY, exit_at, VehicleClass.SMALL, PlateColor.BLUE), samples.railway_station())
    got = body["data"]["quoteFee"]
    assert got["amountFen"] == expected.fee_fen == 1300
    assert got["dueFen"] == expected.due_fen
    assert (got["tariffName"], got["tariffVersion"]) == ("railway-station", 1)
    assert got["lines"] == [
        {"kind": line.kind.name, "label": line.label, "amountFen": line.amount_fen, "units": line.units}
        for line in expected.lines
    ]


async def test_simulate_fees_rows_match_the_engine(db: Database, gql: GraphQL) -> None:
    # Given the railway-station tariff stored for lot A1a
    world = await build_world(db)
    await _create(gql, world, _doc())
    # When the simulator runs with the standard durations and with a custom list
    standard = await gql(
        SIMULATE, {"lot": world.id("lot:A1a"), "entry": ENTRY.isoformat()}, token=world.tokens["custA1"]
    )
    custom = await gql(
        SIMULATE,
        {"lot": world.id("lot:A1a"), "entry": ENTRY.isoformat(), "durations": [15, 16, 1440]},
        token=world.tokens["custA1"],
    )
    # Then each row is the engine's
    assert standard.get("errors") is None, standard
    rows = simulate(samples.railway_station(), stays_for(ENTRY, standard_durations()))
    assert standard["data"]["simulateFees"] == [
        {"minutes": r.minutes, "feeFen": r.fee_fen, "capped": r.capped} for r in rows
    ]
    assert custom["data"]["simulateFees"] == [
        {"minutes": 15, "feeFen": 0, "capped": False},
        {"minutes": 16, "feeFen": 500, "capped": False},
        {"minutes": 1440, "feeFen": 2400, "capped": True},
    ]


async def test_classes_numbered_apart_and_each_create_audited(db: Database, gql: GraphQL) -> None:
    # Given a small-car version for lot A1a
    world = await build_world(db)
    await _create(gql, world, _doc())
    # When a large-vehicle version is created
    variables = {"input": {"lotId": world.id("lot:A1a"), "vehicleClass": "LARGE", "document": _doc()}}
    body = await gql(CREATE, variables, token=world.tokens["agentA"])
    # Then it is version 1 of its own class, and both creates are in the audit log
    assert body["data"]["tariffVersionCreate"]["tariffVersion"]["version"] == 1
    async with db.transaction(Scope.internal()) as s:
        entries = (await s.scalars(select(AuditEntry).where(AuditEntry.entity == "tariffversion"))).all()
    assert [(e.action, e.lot_id, e.operator_id) for e in entries] == [
        ("tariffversion.create", world.ids["lot:A1a"], world.ids["operator:agentA"]),
        ("tariffversion.create", world.ids["lot:A1a"], world.ids["operator:agentA"]),
    ]


async def test_area_of_another_lot_refused(db: Database, gql: GraphQL) -> None:
    # Given an area of lot A1b
    world = await build_world(db)
    async with db.transaction(Scope.internal()) as s:
        area = Area(
            agent_id=world.ids["agent:A"],
            customer_id=world.ids["customer:A1"],
            lot_id=world.ids["lot:A1b"],
            name="B1 floor",
            capacity=10,
        )
        s.add(area)
        await s.flush()
        area_id = str(area.id)
    # When a version for lot A1a names that area
    variables = {
        "input": {"lotId": world.id("lot:A1a"), "areaId": area_id, "vehicleClass": "SMALL", "document": _doc()}
    }
    body = await gql(CREATE, variables, token=world.tokens["agentA"])
    # Then it is refused on areaId and nothing is stored
    result = body["data"]["tariffVersionCreate"]
    assert (result["code"], result["field"], result["message"]) == ("INVALID", "areaId", "area belongs to another lot")
    assert await _versions(gql, world) == []


def _rule_doc(**rule: Any) -> dict[str, Any]:
    """The day/night sample's document with the small-car rule changed."""
    doc: dict[str, Any] = samples.day_night().model_dump(mode="json")
    doc["classes"]["small"]["rule"].update(rule)
    return doc


def _periods(day_start: str = "08:00", night_start: str = "20:00", price: int = 200) -> list[dict[str, Any]]:
    return [
        {"name": "白天", "start": day_start, "end": "20:00", "unit_minutes": 30, "unit_price_fen": price},
        {"name": "夜间", "start": night_start, "end": "08:00", "unit_minutes": 120, "unit_price_fen": 100},
    ]


@pytest.mark.parametrize(
    ("doc", "problems"),
    [
        (
            _rule_doc(periods=_periods(night_start="19:00")),
            [("classes.small.rule.periods", "periods overlap at 19:00")],
        ),
        (
            _rule_doc(periods=_periods(day_start="09:00")),
            [("classes.small.rule.periods", "periods leave a gap at 08:00")],
        ),
        (
            _rule_doc(periods=_periods(price=-200)),
            [("classes.small.rule.periods[0].unit_price_fen", "Input should be greater than or equal to 0")],
        ),
        (_rule_doc(periods=[]), [("classes.small.rule.periods", "at least one period is required")]),
        (
            _rule_doc(second_caps={"basis": "calendar_day", "daily_fen": [5000]}),
            [("classes.small.rule.second_caps.basis", "must differ from caps.basis (calendar_day)")],
        ),
        (
            _rule_doc(caps=None, second_caps={"basis": "rolling_24h", "daily_fen": [5000]}),
            [("classes.small.rule.second_caps", "second_caps needs caps")],
        ),
    ],
    ids=["overlap", "gap", "negative-price", "empty-periods", "second-cap-same-basis", "second-cap-alone"],
)
async def test_each_listed_validation_refused_with_field_and_reason(
    db: Database, gql: GraphQL, doc: dict[str, Any], problems: list[tuple[str, str]]
) -> None:
    # Given a lot with one valid version
    world = await build_world(db)
    await _create(gql, world, _doc())
    # When a new version with the problem is submitted (an update is a new version)
    result = await _create(gql, world, doc)
    # Then it is refused with each problem's path and reason, and the lot still has only version 1
    assert result["__typename"] == "TariffError"
    assert (result["code"], result["field"]) == ("INVALID", problems[0][0])
    assert [(p["path"], p["reason"]) for p in result["problems"]] == problems
    assert await _versions(gql, world) == [{"version": 1, "name": "railway-station"}]
