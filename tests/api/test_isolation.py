"""Tenant isolation: another agent's rows are invisible and unchangeable by id, by filter and through nesting."""

from __future__ import annotations

from parking.common.database import Database
from parking.tenancy.models import Lot
from tests.api.helpers import dump, reread
from tests.conftest import GraphQL
from tests.factories import build_world


async def test_lot_of_other_agent_by_id_is_null(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    body = await gql(
        "query($id: ID!) { lot(id: $id) { name } }", {"id": world.id("lot:A1a")}, token=world.tokens["agentB"]
    )
    assert body == {"data": {"lot": None}}


async def test_lot_update_of_other_agent_is_not_found_and_unchanged(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    before = await dump(db)
    body = await gql(
        'mutation($id: ID!) { lotUpdate(id: $id, input: {capacity: 1, name: "Mine"}) {'
        " ... on TenancyError { code message field } } }",
        {"id": world.id("lot:A1a")},
        token=world.tokens["agentB"],
    )
    assert body == {"data": {"lotUpdate": {"code": "NOT_FOUND", "message": "Lot not found", "field": "id"}}}
    assert await dump(db) == before
    row = await reread(db, Lot, world.ids["lot:A1a"])
    assert row is not None
    assert (row.name, row.capacity) == ("Lot A1a", 100)


async def test_lot_delete_of_other_agent_is_not_found(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    before = await dump(db)
    body = await gql(
        "mutation($id: ID!) { lotDelete(id: $id) { ... on TenancyError { code } } }",
        {"id": world.id("lot:A1a")},
        token=world.tokens["agentB"],
    )
    assert body == {"data": {"lotDelete": {"code": "NOT_FOUND"}}}
    assert await dump(db) == before


async def test_lots_filtered_by_other_agents_customer_is_empty(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    body = await gql(
        "query($c: ID!, $a: ID!) { byCustomer: lots(filter: {customerId: $c}) { items { name } }"
        " byAgent: lots(filter: {agentId: $a}) { items { name } }"
        " byIds: lots(filter: {ids: [$c]}) { items { name } } }",
        {"c": world.id("customer:A1"), "a": world.id("agent:A")},
        token=world.tokens["agentB"],
    )
    assert body == {"data": {"byCustomer": {"items": []}, "byAgent": {"items": []}, "byIds": {"items": []}}}


async def test_nested_fields_stay_inside_the_agent(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    body = await gql(
        "{ agents { items { name customers { name lots { name lanes { name } } } } } }", token=world.tokens["agentB"]
    )
    assert body == {
        "data": {
            "agents": {
                "items": [
                    {
                        "name": "Agent B",
                        "customers": [
                            {"name": "Customer B1", "lots": [{"name": "Lot B1a", "lanes": [{"name": "In B1a"}]}]}
                        ],
                    }
                ]
            }
        }
    }


async def test_lane_lot_and_customer_agent_of_other_tenant_are_null(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    body = await gql(
        "query($l: ID!, $c: ID!) { lanes(filter: {lotId: $l}) { items { name lot { name } } }"
        " customer(id: $c) { name agent { name } } }",
        {"l": world.id("lot:A1a"), "c": world.id("customer:A1")},
        token=world.tokens["agentB"],
    )
    assert body == {"data": {"lanes": {"items": []}, "customer": None}}


async def test_lot_operator_sees_only_its_lot(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    body = await gql(
        "query($other: ID!) { lots { items { name lanes { name } customer { name } } }"
        " lanes { items { name lot { name } } } other: lot(id: $other) { name }"
        " customers { items { name lots { name } } } }",
        {"other": world.id("lot:A1b")},
        token=world.tokens["lotA1a"],
    )
    assert body == {
        "data": {
            "lots": {
                "items": [{"name": "Lot A1a", "lanes": [{"name": "In A1a"}], "customer": {"name": "Customer A1"}}]
            },
            "lanes": {"items": [{"name": "In A1a", "lot": {"name": "Lot A1a"}}]},
            "other": None,
            "customers": {"items": [{"name": "Customer A1", "lots": [{"name": "Lot A1a"}]}]},
        }
    }


async def test_lot_operator_cannot_change_sibling_lot(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    before = await dump(db)
    body = await gql(
        "mutation($id: ID!) { lotUpdate(id: $id, input: {capacity: 5}) { ... on TenancyError { code } } }",
        {"id": world.id("lot:A1b")},
        token=world.tokens["lotA1a"],
    )
    assert body == {"data": {"lotUpdate": {"code": "NOT_FOUND"}}}
    assert await dump(db) == before


async def test_agent_sees_only_own_operators_and_audit(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    await gql(
        "mutation($id: ID!) { lotUpdate(id: $id, input: {capacity: 7}) { __typename } }",
        {"id": world.id("lot:A1a")},
        token=world.tokens["agentA"],
    )
    body = await gql("{ operators { items { username } } auditLog { items { action } } }", token=world.tokens["agentB"])
    assert body == {"data": {"operators": {"items": [{"username": "agentB"}]}, "auditLog": {"items": []}}}
