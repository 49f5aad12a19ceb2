"""Cloud-seat alarm mutations: acknowledge and resolve, every error code, audit, and nothing changed on refusal."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from parking.alarms.models import Alarm, AlarmStatus
from parking.common.database import Database
from tests.api.helpers import audits, dump, reread
from tests.conftest import GraphQL
from tests.factories import World
from tests.realtime.helpers import raise_in

RESULT = """
  __typename
  ... on AlarmSuccess { alarm { id status resolution acknowledgedAt resolvedAt } }
  ... on AlarmError { code field message }
"""
ACKNOWLEDGE = f"mutation ($id: ID!) {{ alarmAcknowledge(id: $id) {{ {RESULT} }} }}"
RESOLVE = f"mutation ($id: ID!, $text: String!) {{ alarmResolve(id: $id, resolution: $text) {{ {RESULT} }} }}"


async def acknowledge(gql: GraphQL, token: str, alarm_id: int | str) -> dict[str, Any]:
    body = await gql(ACKNOWLEDGE, {"id": str(alarm_id)}, token=token)
    assert body.get("errors") is None, body
    result: dict[str, Any] = body["data"]["alarmAcknowledge"]
    return result


async def resolve(gql: GraphQL, token: str, alarm_id: int | str, text: str) -> dict[str, Any]:
    body = await gql(RESOLVE, {"id": str(alarm_id), "text": text}, token=token)
    assert body.get("errors") is None, body
    result: dict[str, Any] = body["data"]["alarmResolve"]
    return result


def error(code: str, field: str | None) -> tuple[str, str, str | None]:
    return ("AlarmError", code, field)


def code_of(result: dict[str, Any]) -> tuple[str, str, str | None]:
    return (result["__typename"], result.get("code", ""), result.get("field"))


@pytest.fixture
async def alarm_id(db: Database, world: World) -> int:
    return await raise_in(db, world, "A1a", "barrier did not open")


async def test_acknowledge_marks_the_alarm_and_leaves_an_audit_record(
    db: Database, gql: GraphQL, world: World, alarm_id: int
) -> None:
    result = await acknowledge(gql, world.tokens["custA1"], alarm_id)

    row = await reread(db, Alarm, alarm_id)
    assert row is not None
    assert result["alarm"]["status"] == "ACKNOWLEDGED"
    assert (row.status, row.acknowledged_by_id, row.resolved_at) == (
        AlarmStatus.ACKNOWLEDGED,
        world.ids["operator:custA1"],
        None,
    )
    [entry] = [e for e in await audits(db) if e.entity == "alarm"]
    assert (entry.action, entry.entity_id, entry.operator_id, entry.lot_id) == (
        "alarm.acknowledge",
        alarm_id,
        world.ids["operator:custA1"],
        world.ids["lot:A1a"],
    )
    assert entry.before is not None
    assert entry.after is not None
    assert (entry.before["status"], entry.after["status"]) == ("open", "acknowledged")


async def test_acknowledging_twice_changes_nothing_the_second_time(
    db: Database, gql: GraphQL, world: World, alarm_id: int
) -> None:
    first = await acknowledge(gql, world.tokens["custA1"], alarm_id)
    before = await dump(db)

    second = await acknowledge(gql, world.tokens["agentA"], alarm_id)

    assert second == first
    assert await dump(db) == before


async def test_resolve_closes_the_alarm_with_its_resolution(
    db: Database, gql: GraphQL, world: World, alarm_id: int
) -> None:
    result = await resolve(gql, world.tokens["lotA1a"], alarm_id, "  reset the controller  ")

    row = await reread(db, Alarm, alarm_id)
    assert row is not None
    assert (result["alarm"]["status"], result["alarm"]["resolution"]) == ("RESOLVED", "reset the controller")
    assert (row.status, row.resolution, row.resolved_by_id, row.acknowledged_by_id) == (
        AlarmStatus.RESOLVED,
        "reset the controller",
        world.ids["operator:lotA1a"],
        world.ids["operator:lotA1a"],
    )
    assert row.resolved_at is not None
    assert row.acknowledged_at == row.resolved_at
    [entry] = [e for e in await audits(db) if e.entity == "alarm"]
    assert (entry.action, entry.entity_id, entry.operator_id) == (
        "alarm.resolve",
        alarm_id,
        world.ids["operator:lotA1a"],
    )
    assert entry.after is not None
    assert entry.after["resolution"] == "reset the controller"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", error("INVALID", "resolution")),
        ("   ", error("INVALID", "resolution")),
        ("x" * 201, error("INVALID", "resolution")),
    ],
)
async def test_a_bad_resolution_is_invalid_and_changes_nothing(
    db: Database, gql: GraphQL, world: World, alarm_id: int, text: str, expected: tuple[str, str, str | None]
) -> None:
    before = await dump(db)

    result = await resolve(gql, world.tokens["agentA"], alarm_id, text)

    assert code_of(result) == expected
    assert await dump(db) == before


async def test_a_resolved_alarm_conflicts_and_changes_nothing(
    db: Database, gql: GraphQL, world: World, alarm_id: int
) -> None:
    await resolve(gql, world.tokens["agentA"], alarm_id, "replaced the loop detector")
    before = await dump(db)

    again = await resolve(gql, world.tokens["custA1"], alarm_id, "something else")
    acknowledged = await acknowledge(gql, world.tokens["custA1"], alarm_id)

    assert code_of(again) == error("CONFLICT", "id")
    assert code_of(acknowledged) == error("CONFLICT", "id")
    assert await dump(db) == before


@pytest.mark.parametrize(
    ("operator", "raw_id", "expected"),
    [
        ("agentB", None, error("NOT_FOUND", "id")),
        ("lotA1a", "other lot", error("NOT_FOUND", "id")),
        ("agentA", "999999", error("NOT_FOUND", "id")),
        ("agentA", "abc", error("INVALID", "id")),
    ],
)
async def test_an_alarm_out_of_reach_is_refused_and_nothing_changes(
    db: Database, gql: GraphQL, world: World, alarm_id: int, operator: str, raw_id: str | None, expected: Any
) -> None:
    target: int | str = alarm_id if raw_id is None else raw_id
    if raw_id == "other lot":
        target = await raise_in(db, world, "A1b", "in the other lot of the same customer")
    before = await dump(db)

    acknowledged = await acknowledge(gql, world.tokens[operator], target)
    resolved = await resolve(gql, world.tokens[operator], target, "not mine to resolve")

    assert code_of(acknowledged) == expected
    assert code_of(resolved) == expected
    assert await dump(db) == before


async def test_without_the_permission_both_mutations_are_denied_and_nothing_changes(
    db: Database, gql: GraphQL, world: World, alarm_id: int
) -> None:
    before = await dump(db)

    bodies = [
        await gql(ACKNOWLEDGE, {"id": str(alarm_id)}, token=world.tokens["viewer"]),
        await gql(RESOLVE, {"id": str(alarm_id), "text": "x"}, token=world.tokens["viewer"]),
        await gql(ACKNOWLEDGE, {"id": str(alarm_id)}),
    ]

    # Nobody signed in reads as unauthenticated (sign in again), not as a missing permission.
    assert [b["errors"][0]["extensions"]["code"] for b in bodies] == ["PERMISSION_DENIED"] * 2 + ["UNAUTHENTICATED"]
    assert [b["data"] for b in bodies] == [None] * 3
    assert await dump(db) == before


async def test_an_api_key_cannot_handle_alarms(db: Database, gql: GraphQL, world: World, alarm_id: int) -> None:
    created = await gql(
        "mutation ($i: ApiKeyCreateInput!) { apiKeyCreate(input: $i) { ... on ApiKeyCreateSuccess { key } } }",
        {
            "i": {
                "name": "Partner",
                "permissions": ["alarms.handle"],
                "scope": {"level": "AGENT", "agentId": world.id("agent:A")},
            }
        },
        token=world.tokens["agentA"],
    )
    key = created["data"]["apiKeyCreate"]["key"]
    before = await dump(db)

    body = await gql(ACKNOWLEDGE, {"id": str(alarm_id)}, api_key=key)

    assert code_of(body["data"]["alarmAcknowledge"]) == error("PERMISSION_DENIED", None)
    after = await dump(db)
    # Using a key stamps its last use; nothing else may change.
    assert {k: v for k, v in after.items() if k != "api_keys"} == {k: v for k, v in before.items() if k != "api_keys"}


async def test_two_seats_resolving_at_once_one_wins_the_other_conflicts(
    backend: str, db: Database, gql: GraphQL, world: World, alarm_id: int
) -> None:
    if backend == "sqlite":
        pytest.skip("SQLite runs one writer at a time; the row lock under test is PostgreSQL's")

    results = await asyncio.gather(
        resolve(gql, world.tokens["agentA"], alarm_id, "first seat"),
        resolve(gql, world.tokens["custA1"], alarm_id, "second seat"),
    )

    assert sorted(r["__typename"] for r in results) == ["AlarmError", "AlarmSuccess"]
    [failed] = [r for r in results if r["__typename"] == "AlarmError"]
    assert (failed["code"], failed["field"]) == ("CONFLICT", "id")
    assert len([e for e in await audits(db) if e.action == "alarm.resolve"]) == 1
