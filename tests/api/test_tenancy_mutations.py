"""Tenancy mutations through GraphQL: each success with its stored row, and each error code."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from parking.common.database import Database
from parking.common.scope import Scope
from parking.devices.models import Device
from parking.sessions.models import ParkingSession
from parking.tenancy.models import Agent, Area, Customer, Lane, Lot
from tests.api.helpers import dump, reread
from tests.conftest import GraphQL
from tests.factories import build_world

ERR = "... on TenancyError { code message field }"


async def call(gql: GraphQL, token: str, doc: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    body = await gql(doc, variables, token=token)
    assert body.get("errors") is None, body
    result: dict[str, Any] = body["data"]["x"]
    return result


async def test_agent_create_stores_the_agent(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    result = await call(
        gql,
        world.tokens["platform"],
        'mutation { x: agentCreate(input: {name: " Agent C ", contactName: "Wang", phone: "+86 138"}) {'
        f" ... on AgentSuccess {{ agent {{ id name contactName phone isActive }} }} {ERR} }} }}",
    )
    agent = result["agent"]
    assert {k: agent[k] for k in ("name", "contactName", "phone", "isActive")} == {
        "name": "Agent C",
        "contactName": "Wang",
        "phone": "+86 138",
        "isActive": True,
    }
    row = await reread(db, Agent, agent["id"])
    assert row is not None
    assert (row.name, row.contact_name, row.phone) == ("Agent C", "Wang", "+86 138")


async def test_agent_create_duplicate_name_is_refused(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    before = await dump(db)
    result = await call(
        gql, world.tokens["platform"], f'mutation {{ x: agentCreate(input: {{name: "Agent A"}}) {{ {ERR} }} }}'
    )
    assert result["code"] == "DUPLICATE"
    assert await dump(db) == before


async def test_agent_create_by_agent_operator_is_refused(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    before = await dump(db)
    result = await call(
        gql, world.tokens["agentA"], f'mutation {{ x: agentCreate(input: {{name: "Agent Z"}}) {{ {ERR} }} }}'
    )
    assert result == {"code": "PERMISSION_DENIED", "message": "outside your scope", "field": None}
    assert await dump(db) == before


async def test_agent_update_changes_own_agent(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    result = await call(
        gql,
        world.tokens["agentA"],
        'mutation($id: ID!) { x: agentUpdate(id: $id, input: {phone: "010-1", isActive: false}) {'
        f" ... on AgentSuccess {{ agent {{ name phone isActive }} }} {ERR} }} }}",
        {"id": world.id("agent:A")},
    )
    assert result == {"agent": {"name": "Agent A", "phone": "010-1", "isActive": False}}
    row = await reread(db, Agent, world.ids["agent:A"])
    assert row is not None
    assert (row.phone, row.is_active) == ("010-1", False)


async def test_agent_update_of_other_agent_is_not_found(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    before = await dump(db)
    result = await call(
        gql,
        world.tokens["agentB"],
        f'mutation($id: ID!) {{ x: agentUpdate(id: $id, input: {{name: "Mine"}}) {{ {ERR} }} }}',
        {"id": world.id("agent:A")},
    )
    assert result == {"code": "NOT_FOUND", "message": "Agent not found", "field": "id"}
    assert await dump(db) == before


async def test_agent_update_to_taken_name_is_duplicate(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    before = await dump(db)
    result = await call(
        gql,
        world.tokens["platform"],
        f'mutation($id: ID!) {{ x: agentUpdate(id: $id, input: {{name: "Agent B"}}) {{ {ERR} }} }}',
        {"id": world.id("agent:A")},
    )
    assert result["code"] == "DUPLICATE"
    assert await dump(db) == before


async def test_customer_create_under_own_agent(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    result = await call(
        gql,
        world.tokens["agentA"],
        'mutation($a: ID!) { x: customerCreate(input: {agentId: $a, name: "Customer A3"}) {'
        f" ... on CustomerSuccess {{ customer {{ id name agent {{ name }} }} }} {ERR} }} }}",
        {"a": world.id("agent:A")},
    )
    assert result["customer"]["name"] == "Customer A3"
    assert result["customer"]["agent"] == {"name": "Agent A"}
    row = await reread(db, Customer, result["customer"]["id"])
    assert row is not None
    assert (row.agent_id, row.name) == (world.ids["agent:A"], "Customer A3")


async def test_customer_create_under_foreign_agent_is_not_found(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    before = await dump(db)
    result = await call(
        gql,
        world.tokens["agentB"],
        f'mutation($a: ID!) {{ x: customerCreate(input: {{agentId: $a, name: "Sneaky"}}) {{ {ERR} }} }}',
        {"a": world.id("agent:A")},
    )
    assert result == {"code": "NOT_FOUND", "message": "Agent not found", "field": "agentId"}
    assert await dump(db) == before


async def test_customer_create_duplicate_name_in_agent(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    before = await dump(db)
    result = await call(
        gql,
        world.tokens["agentA"],
        f'mutation($a: ID!) {{ x: customerCreate(input: {{agentId: $a, name: "Customer A1"}}) {{ {ERR} }} }}',
        {"a": world.id("agent:A")},
    )
    assert result["code"] == "DUPLICATE"
    assert await dump(db) == before


async def test_customer_create_by_customer_operator_is_refused(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    before = await dump(db)
    result = await call(
        gql,
        world.tokens["custA1"],
        f'mutation($a: ID!) {{ x: customerCreate(input: {{agentId: $a, name: "Nested"}}) {{ {ERR} }} }}',
        {"a": world.id("agent:A")},
    )
    assert result["code"] == "PERMISSION_DENIED"
    assert await dump(db) == before


async def test_customer_update_by_customer_operator(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    result = await call(
        gql,
        world.tokens["custA1"],
        'mutation($id: ID!) { x: customerUpdate(id: $id, input: {contactName: "Li"}) {'
        f" ... on CustomerSuccess {{ customer {{ name contactName }} }} {ERR} }} }}",
        {"id": world.id("customer:A1")},
    )
    assert result == {"customer": {"name": "Customer A1", "contactName": "Li"}}
    row = await reread(db, Customer, world.ids["customer:A1"])
    assert row is not None
    assert row.contact_name == "Li"


async def test_customer_update_of_sibling_customer_is_not_found(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    before = await dump(db)
    result = await call(
        gql,
        world.tokens["custA1"],
        f'mutation($id: ID!) {{ x: customerUpdate(id: $id, input: {{name: "Taken"}}) {{ {ERR} }} }}',
        {"id": world.id("customer:A2")},
    )
    assert result == {"code": "NOT_FOUND", "message": "Customer not found", "field": "id"}
    assert await dump(db) == before


LOT_FIELDS = "id name capacity occupied freeSpaces timezone prepayGraceMinutes duplicateEntryPolicy isActive"


async def test_lot_create_fills_defaults(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    result = await call(
        gql,
        world.tokens["custA1"],
        'mutation($c: ID!) { x: lotCreate(input: {customerId: $c, name: "Lot New", capacity: 40}) {'
        f" ... on LotSuccess {{ lot {{ {LOT_FIELDS} code }} }} {ERR} }} }}",
        {"c": world.id("customer:A1")},
    )
    lot = result["lot"]
    code = lot.pop("code")
    lot_id = lot.pop("id")
    assert lot == {
        "name": "Lot New",
        "capacity": 40,
        "occupied": 0,
        "freeSpaces": 40,
        "timezone": "Asia/Shanghai",
        "prepayGraceMinutes": 15,
        "duplicateEntryPolicy": "FLAG_ABNORMAL",
        "isActive": True,
    }
    row = await reread(db, Lot, lot_id)
    assert row is not None
    assert (row.agent_id, row.customer_id, row.code, row.capacity) == (
        world.ids["agent:A"],
        world.ids["customer:A1"],
        code,
        40,
    )


async def test_lot_create_duplicate_name_for_customer(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    before = await dump(db)
    result = await call(
        gql,
        world.tokens["custA1"],
        f'mutation($c: ID!) {{ x: lotCreate(input: {{customerId: $c, name: "Lot A1a", capacity: 1}}) {{ {ERR} }} }}',
        {"c": world.id("customer:A1")},
    )
    assert result["code"] == "DUPLICATE"
    assert await dump(db) == before


async def test_lot_create_by_lot_operator_is_refused(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    before = await dump(db)
    result = await call(
        gql,
        world.tokens["lotA1a"],
        f'mutation($c: ID!) {{ x: lotCreate(input: {{customerId: $c, name: "Lot X", capacity: 1}}) {{ {ERR} }} }}',
        {"c": world.id("customer:A1")},
    )
    assert result["code"] == "PERMISSION_DENIED"
    assert await dump(db) == before


async def test_lot_update_changes_capacity(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    result = await call(
        gql,
        world.tokens["lotA1a"],
        'mutation($id: ID!) { x: lotUpdate(id: $id, input: {capacity: 250, timezone: "Asia/Urumqi"}) {'
        f" ... on LotSuccess {{ lot {{ capacity timezone }} }} {ERR} }} }}",
        {"id": world.id("lot:A1a")},
    )
    assert result == {"lot": {"capacity": 250, "timezone": "Asia/Urumqi"}}
    row = await reread(db, Lot, world.ids["lot:A1a"])
    assert row is not None
    assert (row.capacity, row.timezone) == (250, "Asia/Urumqi")


async def test_lot_update_capacity_below_areas_is_invalid(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    created = await call(
        gql,
        world.tokens["platform"],
        'mutation($l: ID!) { x: areaCreate(input: {lotId: $l, name: "North", capacity: 60}) {'
        f" ... on AreaSuccess {{ area {{ id }} }} {ERR} }} }}",
        {"l": world.id("lot:A1a")},
    )
    assert "area" in created
    before = await dump(db)
    result = await call(
        gql,
        world.tokens["platform"],
        f"mutation($id: ID!) {{ x: lotUpdate(id: $id, input: {{capacity: 59}}) {{ {ERR} }} }}",
        {"id": world.id("lot:A1a")},
    )
    assert result == {"code": "INVALID", "message": "capacity below the sum of the lot's areas", "field": "capacity"}
    assert await dump(db) == before


async def test_lot_delete_without_records(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    created = await call(
        gql,
        world.tokens["custA1"],
        'mutation($c: ID!) { x: lotCreate(input: {customerId: $c, name: "Temp", capacity: 1}) {'
        f" ... on LotSuccess {{ lot {{ id }} }} {ERR} }} }}",
        {"c": world.id("customer:A1")},
    )
    lot_id = created["lot"]["id"]
    result = await call(
        gql,
        world.tokens["custA1"],
        f"mutation($id: ID!) {{ x: lotDelete(id: $id) {{ ... on DeleteSuccess {{ id }} {ERR} }} }}",
        {"id": lot_id},
    )
    assert result == {"id": lot_id}
    assert await reread(db, Lot, lot_id) is None


async def add_parking_session(db: Database, lot_id: int, lane_id: int) -> None:
    async with db.transaction(Scope.internal()) as s:
        lot = await s.get(Lot, lot_id)
        assert lot is not None
        s.add(
            ParkingSession(
                agent_id=lot.agent_id,
                customer_id=lot.customer_id,
                lot_id=lot.id,
                plate="京A12345",
                entry_at=datetime(2026, 1, 5, 8, 0, tzinfo=UTC),
                entry_lane_id=lane_id,
            )
        )


async def test_lot_delete_with_parking_records_is_in_use(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    await add_parking_session(db, world.ids["lot:B1a"], world.ids["lane:B1a"])
    before = await dump(db)
    result = await call(
        gql,
        world.tokens["platform"],
        f"mutation($id: ID!) {{ x: lotDelete(id: $id) {{ ... on DeleteSuccess {{ id }} {ERR} }} }}",
        {"id": world.id("lot:B1a")},
    )
    assert result == {"code": "IN_USE", "message": "lot has parking records and cannot be deleted", "field": None}
    assert await dump(db) == before


async def test_lane_delete_with_parking_records_is_in_use(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    await add_parking_session(db, world.ids["lot:A1a"], world.ids["lane:A1a"])
    before = await dump(db)
    result = await call(
        gql,
        world.tokens["custA1"],
        f"mutation($id: ID!) {{ x: laneDelete(id: $id) {{ ... on DeleteSuccess {{ id }} {ERR} }} }}",
        {"id": world.id("lane:A1a")},
    )
    assert result == {"code": "IN_USE", "message": "lane is still referenced and cannot be deleted", "field": None}
    assert await dump(db) == before


async def test_lot_delete_by_lot_operator_is_refused(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    before = await dump(db)
    result = await call(
        gql,
        world.tokens["lotA1a"],
        f"mutation($id: ID!) {{ x: lotDelete(id: $id) {{ ... on DeleteSuccess {{ id }} {ERR} }} }}",
        {"id": world.id("lot:A1a")},
    )
    assert result["code"] == "PERMISSION_DENIED"
    assert await dump(db) == before


async def test_area_create_and_update(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    created = await call(
        gql,
        world.tokens["lotA1a"],
        'mutation($l: ID!) { x: areaCreate(input: {lotId: $l, name: "Inner", capacity: 30, isInner: true}) {'
        f" ... on AreaSuccess {{ area {{ id name capacity isInner freeSpaces lot {{ name }} }} }} {ERR} }} }}",
        {"l": world.id("lot:A1a")},
    )
    area = created["area"]
    area_id = area.pop("id")
    assert area == {"name": "Inner", "capacity": 30, "isInner": True, "freeSpaces": 30, "lot": {"name": "Lot A1a"}}
    updated = await call(
        gql,
        world.tokens["lotA1a"],
        "mutation($id: ID!) { x: areaUpdate(id: $id, input: {capacity: 20}) {"
        f" ... on AreaSuccess {{ area {{ capacity }} }} {ERR} }} }}",
        {"id": area_id},
    )
    assert updated == {"area": {"capacity": 20}}
    row = await reread(db, Area, area_id)
    assert row is not None
    assert (row.lot_id, row.capacity, row.is_inner) == (world.ids["lot:A1a"], 20, True)


async def test_area_create_larger_than_lot_is_invalid(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    before = await dump(db)
    result = await call(
        gql,
        world.tokens["platform"],
        f'mutation($l: ID!) {{ x: areaCreate(input: {{lotId: $l, name: "Big", capacity: 101}}) {{ {ERR} }} }}',
        {"l": world.id("lot:A1a")},
    )
    assert result == {
        "code": "INVALID",
        "message": "area capacity exceeds its lot or parent area",
        "field": "capacity",
    }
    assert await dump(db) == before


async def test_area_create_under_parent_of_other_lot_is_invalid(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    parent = await call(
        gql,
        world.tokens["platform"],
        'mutation($l: ID!) { x: areaCreate(input: {lotId: $l, name: "P", capacity: 10}) {'
        f" ... on AreaSuccess {{ area {{ id }} }} {ERR} }} }}",
        {"l": world.id("lot:A1b")},
    )
    before = await dump(db)
    result = await call(
        gql,
        world.tokens["platform"],
        'mutation($l: ID!, $p: ID!) { x: areaCreate(input: {lotId: $l, parentId: $p, name: "C", capacity: 1}) {'
        f" {ERR} }} }}",
        {"l": world.id("lot:A1a"), "p": parent["area"]["id"]},
    )
    assert result == {"code": "INVALID", "message": "parent area belongs to another lot", "field": "parentId"}
    assert await dump(db) == before


async def test_lane_create_update_rotate(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    created = await call(
        gql,
        world.tokens["custA1"],
        'mutation($l: ID!) { x: laneCreate(input: {lotId: $l, name: "Out 1", direction: EXIT,'
        " allowedCategories: [TEMPORARY, MONTHLY]}) {"
        f" ... on LaneSuccess {{ lane {{ id name direction mode allowedCategories qrToken }} }} {ERR} }} }}",
        {"l": world.id("lot:A1b")},
    )
    lane = created["lane"]
    lane_id, token = lane.pop("id"), lane.pop("qrToken")
    assert lane == {"name": "Out 1", "direction": "EXIT", "mode": "AUTO", "allowedCategories": ["TEMPORARY", "MONTHLY"]}
    updated = await call(
        gql,
        world.tokens["custA1"],
        "mutation($id: ID!) { x: laneUpdate(id: $id, input: {mode: ATTENDED, isActive: false}) {"
        f" ... on LaneSuccess {{ lane {{ mode isActive }} }} {ERR} }} }}",
        {"id": lane_id},
    )
    assert updated == {"lane": {"mode": "ATTENDED", "isActive": False}}
    rotated = await call(
        gql,
        world.tokens["custA1"],
        f"mutation($id: ID!) {{ x: laneRotateQr(id: $id) {{ ... on LaneSuccess {{ lane {{ qrToken }} }} {ERR} }} }}",
        {"id": lane_id},
    )
    row = await reread(db, Lane, lane_id)
    assert row is not None
    assert rotated["lane"]["qrToken"] == row.qr_token
    assert row.qr_token != token
    assert (row.lot_id, row.is_active) == (world.ids["lot:A1b"], False)


async def test_lane_create_duplicate_name_in_lot(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    before = await dump(db)
    result = await call(
        gql,
        world.tokens["custA1"],
        f'mutation($l: ID!) {{ x: laneCreate(input: {{lotId: $l, name: "In A1a", direction: ENTRY}}) {{ {ERR} }} }}',
        {"l": world.id("lot:A1a")},
    )
    assert result["code"] == "DUPLICATE"
    assert await dump(db) == before


async def test_lane_delete_without_records(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    result = await call(
        gql,
        world.tokens["lotA1a"],
        f"mutation($id: ID!) {{ x: laneDelete(id: $id) {{ ... on DeleteSuccess {{ id }} {ERR} }} }}",
        {"id": world.id("lane:A1a")},
    )
    assert result == {"id": world.id("lane:A1a")}
    assert await reread(db, Lane, world.ids["lane:A1a"]) is None


DEVICE_ERR = "... on DeviceError { code message field }"
DEVICE = '{lotId: $l, laneId: $lane, kind: CAMERA, name: "Cam 1", serial: "SN-001", ip: "127.0.0.1"}'


async def test_device_create_update_delete(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    created = await call(
        gql,
        world.tokens["custA1"],
        f"mutation($l: ID!, $lane: ID) {{ x: deviceCreate(input: {DEVICE}) {{"
        f" ... on DeviceSuccess {{ device {{ id kind name serial ip status lane {{ name }} }} }} {DEVICE_ERR} }} }}",
        {"l": world.id("lot:A1a"), "lane": world.id("lane:A1a")},
    )
    device = created["device"]
    device_id = device.pop("id")
    assert device == {
        "kind": "CAMERA",
        "name": "Cam 1",
        "serial": "SN-001",
        "ip": "127.0.0.1",
        "status": "UNKNOWN",
        "lane": {"name": "In A1a"},
    }
    updated = await call(
        gql,
        world.tokens["custA1"],
        'mutation($id: ID!) { x: deviceUpdate(id: $id, input: {name: "Cam 2"}) {'
        f" ... on DeviceSuccess {{ device {{ name }} }} {DEVICE_ERR} }} }}",
        {"id": device_id},
    )
    assert updated == {"device": {"name": "Cam 2"}}
    deleted = await call(
        gql,
        world.tokens["custA1"],
        f"mutation($id: ID!) {{ x: deviceDelete(id: $id) {{ ... on DeleteSuccess {{ id }} {DEVICE_ERR} }} }}",
        {"id": device_id},
    )
    assert deleted == {"id": device_id}
    assert await reread(db, Device, device_id) is None


async def test_device_duplicate_serial(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    variables = {"l": world.id("lot:A1a"), "lane": None}
    doc = (
        f"mutation($l: ID!, $lane: ID) {{ x: deviceCreate(input: {DEVICE}) {{"
        f" ... on DeviceSuccess {{ device {{ id }} }} {DEVICE_ERR} }} }}"
    )
    assert "device" in await call(gql, world.tokens["custA1"], doc, variables)
    before = await dump(db)
    result = await call(gql, world.tokens["custA1"], doc, variables)
    assert result["code"] == "DUPLICATE"
    assert await dump(db) == before


async def test_device_on_lane_of_other_lot_is_invalid(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    before = await dump(db)
    result = await call(
        gql,
        world.tokens["custA1"],
        f"mutation($l: ID!, $lane: ID) {{ x: deviceCreate(input: {DEVICE}) {{ {DEVICE_ERR} }} }}",
        {"l": world.id("lot:A1a"), "lane": world.id("lane:A1b")},
    )
    assert result == {"code": "INVALID", "message": "lane belongs to another lot", "field": "laneId"}
    assert await dump(db) == before


async def test_lot_region_and_lane_booth_are_set_and_changed(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    result = await call(
        gql,
        world.tokens["lotA1a"],
        'mutation($id: ID!) { x: lotUpdate(id: $id, input: {region: " 南山区 "}) {'
        f" ... on LotSuccess {{ lot {{ region }} }} {ERR} }} }}",
        {"id": world.id("lot:A1a")},
    )
    assert result == {"lot": {"region": "南山区"}}
    created = await call(
        gql,
        world.tokens["lotA1a"],
        'mutation($l: ID!) { x: laneCreate(input: {lotId: $l, name: "Out 2", direction: EXIT, booth: "东门岗亭"}) {'
        f" ... on LaneSuccess {{ lane {{ id booth }} }} {ERR} }} }}",
        {"l": world.id("lot:A1a")},
    )
    assert created["lane"]["booth"] == "东门岗亭"
    moved = await call(
        gql,
        world.tokens["lotA1a"],
        'mutation($id: ID!) { x: laneUpdate(id: $id, input: {booth: ""}) {'
        f" ... on LaneSuccess {{ lane {{ booth }} }} {ERR} }} }}",
        {"id": created["lane"]["id"]},
    )
    assert moved == {"lane": {"booth": ""}}
    lot = await reread(db, Lot, world.ids["lot:A1a"])
    assert lot is not None
    assert lot.region == "南山区"
    # A region longer than 50 characters is refused with its field, and nothing changes.
    before = await dump(db)
    body = await gql(
        'mutation($id: ID!) { x: lotUpdate(id: $id, input: {region: "' + "区" * 51 + '"}) {'
        f" ... on LotSuccess {{ lot {{ region }} }} {ERR} }} }}",
        {"id": world.id("lot:A1a")},
        token=world.tokens["lotA1a"],
    )
    assert body["data"]["x"] == {
        "code": "INVALID",
        "message": "region: String should have at most 50 characters",
        "field": "region",
    }
    assert await dump(db) == before
