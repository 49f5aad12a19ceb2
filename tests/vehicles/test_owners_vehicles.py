"""Owners, vehicles, groups and list entries through GraphQL."""

from __future__ import annotations

from parking.common.database import Database
from tests.conftest import GraphQL
from tests.factories import build_world
from tests.vehicles.helpers import create_owner, create_vehicle, mutate


async def test_vehicle_plate_is_normalised(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    result = await create_vehicle(gql, world, " 京a·12345 ")
    assert result["__typename"] == "VehicleSuccess"
    assert result["vehicle"]["plate"] == "京A12345"


async def test_same_plate_twice_in_a_lot_is_duplicate(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    await create_vehicle(gql, world, "京A12345")
    result = await create_vehicle(gql, world, "京a12345")
    assert (result["__typename"], result["code"]) == ("VehicleError", "DUPLICATE")


async def test_same_plate_in_another_lot_is_allowed(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    await create_vehicle(gql, world, "京A12345")
    result = await create_vehicle(gql, world, "京A12345", lot="A1b")
    assert result["__typename"] == "VehicleSuccess"


async def test_invalid_plate_is_refused_on_its_field(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    result = await create_vehicle(gql, world, "hello")
    assert (result["code"], result["field"]) == ("INVALID", "plate")


async def test_owner_of_another_lot_is_refused(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    owner_id = await create_owner(gql, world, lot="A1b")
    result = await mutate(
        gql,
        world,
        "agentA",
        "vehicleCreate",
        f'input: {{lotId: "{world.id("lot:A1a")}", plate: "京A12345", ownerId: "{owner_id}"}}',
        "",
    )
    assert (result["code"], result["field"]) == ("INVALID", "ownerId")


async def test_other_agents_lot_is_not_found(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    result = await create_vehicle(gql, world, "京A12345", lot="B1a")
    assert (result["code"], result["field"]) == ("NOT_FOUND", "lotId")


async def test_owner_update_and_vehicle_list_filtered_by_owner(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    owner_id = await create_owner(gql, world)
    await mutate(
        gql,
        world,
        "agentA",
        "vehicleCreate",
        f'input: {{lotId: "{world.id("lot:A1a")}", plate: "京B22222", ownerId: "{owner_id}"}}',
        "",
    )
    await create_vehicle(gql, world, "京C33333")
    updated = await mutate(
        gql,
        world,
        "agentA",
        "ownerUpdate",
        f'id: "{owner_id}", input: {{phone: "13800000000"}}',
        "... on OwnerSuccess { owner { name phone } }",
    )
    body = await gql(
        f'{{ vehicles(filter: {{ownerId: "{owner_id}"}}) {{ items {{ plate owner {{ name }} }} }} }}',
        token=world.tokens["agentA"],
    )
    assert updated["owner"] == {"name": "张三", "phone": "13800000000"}
    assert body["data"]["vehicles"]["items"] == [{"plate": "京B22222", "owner": {"name": "张三"}}]


async def test_agent_b_sees_none_of_agent_a_vehicles_or_owners(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    await create_owner(gql, world)
    await create_vehicle(gql, world, "京A12345")
    # One list per request: sibling root fields would share the request's read session concurrently.
    vehicles = await gql("{ vehicles { items { plate } } }", token=world.tokens["agentB"])
    owners = await gql("{ owners { items { name } } }", token=world.tokens["agentB"])
    mine = await gql("{ vehicles { items { plate } } }", token=world.tokens["agentA"])
    assert vehicles["data"] == {"vehicles": {"items": []}}
    assert owners["data"] == {"owners": {"items": []}}
    assert mine["data"] == {"vehicles": {"items": [{"plate": "京A12345"}]}}


async def test_vehicle_plate_filter_matches_fragment(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    await create_vehicle(gql, world, "京A12345")
    await create_vehicle(gql, world, "沪B99999")
    body = await gql('{ vehicles(filter: {plate: "a123"}) { items { plate } } }', token=world.tokens["agentA"])
    assert body["data"]["vehicles"]["items"] == [{"plate": "京A12345"}]


async def test_group_with_vehicles(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    group = await mutate(
        gql,
        world,
        "agentA",
        "vehicleGroupCreate",
        f'input: {{lotId: "{world.id("lot:A1a")}", name: "一位两车", spaces: 1}}',
        "... on VehicleGroupSuccess { group { id } }",
    )
    group_id = group["group"]["id"]
    await mutate(
        gql,
        world,
        "agentA",
        "vehicleCreate",
        f'input: {{lotId: "{world.id("lot:A1a")}", plate: "京A11111", groupId: "{group_id}"}}',
        "",
    )
    body = await gql("{ vehicleGroups { items { name spaces vehicles { plate } } } }", token=world.tokens["agentA"])
    assert body["data"]["vehicleGroups"]["items"] == [
        {"name": "一位两车", "spaces": 1, "vehicles": [{"plate": "京A11111"}]}
    ]


async def test_group_with_no_spaces_is_invalid(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    result = await mutate(
        gql,
        world,
        "agentA",
        "vehicleGroupCreate",
        f'input: {{lotId: "{world.id("lot:A1a")}", name: "g", spaces: 0}}',
        "",
    )
    assert (result["code"], result["field"]) == ("INVALID", "spaces")


async def test_list_entry_window_must_end_after_it_starts(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    result = await mutate(
        gql,
        world,
        "agentA",
        "listEntryCreate",
        f'input: {{lotId: "{world.id("lot:A1a")}", plate: "京A12345", category: BLACKLIST, '
        'validFrom: "2030-01-02T00:00:00+08:00", validUntil: "2030-01-01T00:00:00+08:00"}',
        "",
    )
    assert (result["code"], result["field"]) == ("INVALID", "validUntil")


async def test_list_entry_created_and_found_by_validity(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    created = await mutate(
        gql,
        world,
        "agentA",
        "listEntryCreate",
        f'input: {{lotId: "{world.id("lot:A1a")}", plate: "京a12345", category: VISITOR, '
        'validFrom: "2030-01-01T00:00:00+08:00", validUntil: "2030-01-02T00:00:00+08:00"}',
        "... on ListEntrySuccess { entry { plate category validUntil } }",
    )
    inside = await gql(
        '{ listEntries(filter: {validAt: "2030-01-01T12:00:00+08:00"}) { items { plate } } }',
        token=world.tokens["agentA"],
    )
    after = await gql(
        '{ listEntries(filter: {validAt: "2030-01-02T00:00:00+08:00"}) { items { plate } } }',
        token=world.tokens["agentA"],
    )
    assert created["entry"] == {"plate": "京A12345", "category": "VISITOR", "validUntil": "2030-01-01T16:00:00+00:00"}
    assert inside["data"]["listEntries"]["items"] == [{"plate": "京A12345"}]
    assert after["data"]["listEntries"]["items"] == []


async def test_naive_list_entry_time_is_invalid(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    result = await mutate(
        gql,
        world,
        "agentA",
        "listEntryCreate",
        f'input: {{lotId: "{world.id("lot:A1a")}", plate: "京A12345", category: VIP, '
        'validFrom: "2030-01-01T00:00:00"}',
        "",
    )
    assert (result["code"], result["field"]) == ("INVALID", "validFrom")


async def test_viewer_without_permission_cannot_create_owner(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    body = await gql(
        f'mutation {{ ownerCreate(input: {{lotId: "{world.id("lot:A1a")}", name: "x"}}) {{ __typename }} }}',
        token=world.tokens["viewer"],
    )
    assert body["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
