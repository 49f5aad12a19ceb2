"""Bad input gets a coded error and writes nothing: ranges, ids, lengths, enums, time zones, pagination."""

from __future__ import annotations

from typing import Any

from parking.common.database import Database
from tests.api.helpers import dump
from tests.conftest import GraphQL
from tests.factories import World, build_world

E = "... on TenancyError { code message field }"
DEVICE_E = "... on DeviceError { code message field }"

MUTATIONS: dict[str, tuple[str, dict[str, Any]]] = {
    "negative capacity": (
        f'lotCreate(input: {{customerId: "{{customer:A1}}", name: "N", capacity: -1}}) {{ {E} }}',
        {"code": "INVALID", "message": "capacity: Input should be greater than or equal to 0", "field": "capacity"},
    ),
    "negative capacity on update": (
        f'lotUpdate(id: "{{lot:A1a}}", input: {{capacity: -5}}) {{ {E} }}',
        {"code": "INVALID", "message": "capacity: Input should be greater than or equal to 0", "field": "capacity"},
    ),
    "non-numeric id": (
        f'lotUpdate(id: "abc", input: {{capacity: 1}}) {{ {E} }}',
        {"code": "INVALID", "message": "id is not a valid id", "field": "id"},
    ),
    "zero id": (f'lotDelete(id: "0") {{ {E} }}', {"code": "INVALID", "message": "id is not a valid id", "field": "id"}),
    "unknown id": (
        f'lotUpdate(id: "999999", input: {{capacity: 1}}) {{ {E} }}',
        {"code": "NOT_FOUND", "message": "Lot not found", "field": "id"},
    ),
    "unknown parent id": (
        f'customerCreate(input: {{agentId: "999999", name: "N"}}) {{ {E} }}',
        {"code": "NOT_FOUND", "message": "Agent not found", "field": "agentId"},
    ),
    "negative parent id": (
        f'customerCreate(input: {{agentId: "-1", name: "N"}}) {{ {E} }}',
        {
            "code": "INVALID",
            "message": "agentId: String should match pattern '^[1-9][0-9]{0,18}$'",
            "field": "agentId",
        },
    ),
    "over-long name": (
        f'agentCreate(input: {{name: "{"x" * 101}"}}) {{ {E} }}',
        {"code": "INVALID", "message": "name: String should have at most 100 characters", "field": "name"},
    ),
    "blank name": (
        f'agentCreate(input: {{name: "   "}}) {{ {E} }}',
        {"code": "INVALID", "message": "name: String should have at least 1 character", "field": "name"},
    ),
    "bad phone": (
        f'agentCreate(input: {{name: "N", phone: "call me"}}) {{ {E} }}',
        {"code": "INVALID", "message": "phone: String should match pattern '^[0-9+\\-() ]*$'", "field": "phone"},
    ),
    "unknown time zone": (
        f'lotCreate(input: {{customerId: "{{customer:A1}}", name: "N", capacity: 1, timezone: "Mars/Base"}}) {{ {E} }}',
        {"code": "INVALID", "message": "timezone: Value error, unknown time zone", "field": "timezone"},
    ),
    "latitude out of range": (
        f'lotUpdate(id: "{{lot:A1a}}", input: {{latitude: 91}}) {{ {E} }}',
        {"code": "INVALID", "message": "latitude: Input should be less than or equal to 90", "field": "latitude"},
    ),
    "bad device serial": (
        f'deviceCreate(input: {{lotId: "{{lot:A1a}}", kind: CAMERA, name: "N", serial: "a b"}}) {{ {DEVICE_E} }}',
        {
            "code": "INVALID",
            "message": "serial: String should match pattern '^[A-Za-z0-9_\\-:.]+$'",
            "field": "serial",
        },
    ),
}

# Each bad query, the input field the error names, and the data left (null lists bubble up to data: null).
QUERIES: dict[str, tuple[str, str, Any]] = {
    "first=0": ("lots(first: 0) { items { id } }", "first", None),
    "first=101": ("lots(first: 101) { items { id } }", "first", None),
    "bad cursor": ('lots(after: "not-a-cursor") { items { id } }', "after", None),
    "non-numeric filter id": ('lots(filter: {customerId: "x1"}) { items { id } }', "customerId", None),
    "non-numeric lookup id": ('lot(id: "abc") { id }', "id", {"x": None}),
}


def fill(doc: str, world: World) -> str:
    for key, value in world.ids.items():
        doc = doc.replace("{" + key + "}", str(value))
    return doc


async def test_bad_mutation_input_is_refused_with_a_code(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    before = await dump(db)
    results = {}
    for name, (call, _) in MUTATIONS.items():
        body = await gql(f"mutation {{ x: {fill(call, world)} }}", token=world.tokens["platform"])
        results[name] = body["data"]["x"] if body.get("data") else body
    assert results == {name: expected for name, (_, expected) in MUTATIONS.items()}
    assert await dump(db) == before


async def test_bad_query_arguments_are_coded_errors(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    results = {}
    for name, (call, _, _) in QUERIES.items():
        body = await gql(f"{{ x: {call} }}", token=world.tokens["platform"])
        results[name] = (body["data"], [(e["extensions"]["code"], e["extensions"]["field"]) for e in body["errors"]])
    assert results == {name: (data, [("INVALID", field)]) for name, (_, field, data) in QUERIES.items()}


async def test_wrong_enum_value_is_a_validation_error(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    before = await dump(db)
    body = await gql(
        'mutation($l: ID!) { laneCreate(input: {lotId: $l, name: "N", direction: SIDEWAYS}) { __typename } }',
        {"l": world.id("lot:A1a")},
        token=world.tokens["platform"],
    )
    assert body["data"] is None
    assert [(e["message"], e["extensions"]["code"]) for e in body["errors"]] == [
        ("Value 'SIDEWAYS' does not exist in 'LaneDirection' enum.", "GRAPHQL_VALIDATION_FAILED")
    ]
    assert await dump(db) == before


async def test_wrong_enum_value_in_a_variable_is_a_validation_error(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    before = await dump(db)
    body = await gql(
        "mutation($i: LaneCreateInput!) { laneCreate(input: $i) { __typename } }",
        {"i": {"lotId": world.id("lot:A1a"), "name": "N", "direction": "UP"}},
        token=world.tokens["platform"],
    )
    assert body["data"] is None
    assert [(e["message"], e["extensions"]["code"]) for e in body["errors"]] == [
        (
            "Variable '$i' has invalid value at .direction: Value 'UP' does not exist in 'LaneDirection' enum.",
            "GRAPHQL_VALIDATION_FAILED",
        )
    ]
    assert await dump(db) == before
