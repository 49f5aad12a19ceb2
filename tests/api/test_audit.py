"""Every mutation leaves exactly one audit record naming the action, entity, actor, origin and the change."""

from __future__ import annotations

from parking.common.database import Database
from tests.api.helpers import audits
from tests.conftest import GraphQL
from tests.factories import build_world


async def test_lot_update_records_before_and_after(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    body = await gql(
        "mutation($id: ID!) { lotUpdate(id: $id, input: {capacity: 7}) { __typename } }",
        {"id": world.id("lot:A1a")},
        token=world.tokens["agentA"],
    )
    assert body == {"data": {"lotUpdate": {"__typename": "LotSuccess"}}}
    [entry] = await audits(db)
    assert entry.before is not None
    assert entry.after is not None
    assert (entry.before["capacity"], entry.after["capacity"]) == (100, 7)
    assert {k: v for k, v in entry.after.items() if entry.before[k] != v and k != "updated_at"} == {"capacity": 7}
    assert (
        entry.action,
        entry.entity,
        entry.entity_id,
        entry.actor_name,
        entry.operator_id,
        entry.ip,
        entry.agent_id,
        entry.customer_id,
        entry.lot_id,
    ) == (
        "lot.update",
        "lot",
        world.ids["lot:A1a"],
        "agentA",
        world.ids["operator:agentA"],
        "203.0.113.7",
        world.ids["agent:A"],
        world.ids["customer:A1"],
        world.ids["lot:A1a"],
    )


async def test_each_mutation_adds_exactly_one_entry(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    token = world.tokens["platform"]
    steps = [
        ("agentCreate", 'agentCreate(input: {name: "Agent C"})', "agent.create", "agent"),
        ("agentUpdate", 'agentUpdate(id: "{agent:A}", input: {phone: "1"})', "agent.update", "agent"),
        ("customerCreate", 'customerCreate(input: {agentId: "{agent:A}", name: "C3"})', "customer.create", "customer"),
        ("customerUpdate", 'customerUpdate(id: "{customer:A1}", input: {phone: "2"})', "customer.update", "customer"),
        ("lotCreate", 'lotCreate(input: {customerId: "{customer:A1}", name: "L", capacity: 5})', "lot.create", "lot"),
        ("areaCreate", 'areaCreate(input: {lotId: "{lot:A1a}", name: "Z", capacity: 5})', "area.create", "area"),
        ("laneCreate", 'laneCreate(input: {lotId: "{lot:A1a}", name: "Out", direction: EXIT})', "lane.create", "lane"),
        ("laneUpdate", 'laneUpdate(id: "{lane:A1a}", input: {isActive: false})', "lane.update", "lane"),
        ("laneRotateQr", 'laneRotateQr(id: "{lane:A1a}")', "lane.update", "lane"),
        (
            "deviceCreate",
            'deviceCreate(input: {lotId: "{lot:A1a}", kind: CAMERA, name: "Cam", serial: "S9"})',
            "device.create",
            "device",
        ),
        ("roleCreate", 'roleCreate(input: {name: "R", permissions: ["lots.view"]})', "role.create", "role"),
        (
            "operatorCreate",
            'operatorCreate(input: {username: "clerk", password: "long enough 1", roleId: "{role:none}",'
            ' scope: {level: AGENT, agentId: "{agent:A}"}})',
            "operator.create",
            "operator",
        ),
        (
            "operatorUpdate",
            'operatorUpdate(id: "{operator:viewer}", input: {phone: "3"})',
            "operator.update",
            "operator",
        ),
        (
            "apiKeyCreate",
            'apiKeyCreate(input: {name: "K", permissions: [], scope: {level: AGENT, agentId: "{agent:A}"}})',
            "apikey.create",
            "apikey",
        ),
        ("laneDelete", 'laneDelete(id: "{lane:B1a}")', "lane.delete", "lane"),
        ("operatorDelete", 'operatorDelete(id: "{operator:lotA1a}")', "operator.delete", "operator"),
    ]
    seen: list[tuple[str, str, str, str]] = []
    for field, call, _action, _entity in steps:
        for key, value in world.ids.items():
            call = call.replace("{" + key + "}", str(value))
        body = await gql(f"mutation {{ {field}: {call} {{ __typename }} }}", token=token)
        assert "Error" not in body["data"][field]["__typename"], body
        entries = await audits(db)
        assert len(entries) == len(seen) + 1, field
        last = entries[-1]
        seen.append((field, last.action, last.entity, last.ip))
    assert seen == [(field, action, entity, "203.0.113.7") for field, _, action, entity in steps]


async def test_refused_mutation_leaves_no_entry(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    body = await gql(
        'mutation { agentCreate(input: {name: "Agent A"}) { ... on TenancyError { code } } }',
        token=world.tokens["platform"],
    )
    assert body == {"data": {"agentCreate": {"code": "DUPLICATE"}}}
    assert await audits(db) == []
