"""Read-only record lists: tenant isolation, filters and keyset pages."""

from __future__ import annotations

from typing import Any

import pytest

from parking.common.database import Database
from tests.conftest import GraphQL
from tests.factories import World, build_world
from tests.records.seed import seed_records

LISTS = [
    ("parkingSessions", "plate"),
    ("laneEvents", "plate"),
    ("gateCommands", "kind"),
    ("alarms", "kind"),
    ("paymentOrders", "outTradeNo"),
    ("refunds", "outRefundNo"),
    ("invoices", "title"),
    ("merchants", "name"),
    ("coupons", "code"),
    ("faultTickets", "title"),
]


async def _world(db: Database) -> World:
    world = await build_world(db)
    await seed_records(db, world)
    return world


async def _items(gql: GraphQL, world: World, who: str, field: str, args: str, pick: str) -> list[Any]:
    query = f"{{ {field}{args} {{ items {{ {pick} }} }} }}"
    body = await gql(query, token=world.tokens[who])
    assert body.get("errors") is None, body
    return [item[pick] for item in body["data"][field]["items"]]


@pytest.mark.parametrize(("field", "pick"), LISTS)
async def test_agent_b_sees_only_its_own_records(db: Database, gql: GraphQL, field: str, pick: str) -> None:
    world = await _world(db)
    lot_ids = await _items(gql, world, "agentB", field, "", "lotId")
    assert set(lot_ids) == {world.id("lot:B1a")}


async def test_sessions_still_inside(db: Database, gql: GraphQL) -> None:
    world = await _world(db)
    assert await _items(gql, world, "agentA", "parkingSessions", "(filter: {inside: true})", "plate") == ["京A11111"]
    assert await _items(gql, world, "agentA", "parkingSessions", "(filter: {inside: false})", "plate") == ["京A22222"]


async def test_sessions_by_plate_state_and_release_method(db: Database, gql: GraphQL) -> None:
    world = await _world(db)
    by_plate = await _items(gql, world, "agentA", "parkingSessions", '(filter: {plate: "京a11111"})', "plate")
    by_state = await _items(gql, world, "agentA", "parkingSessions", "(filter: {state: EXITED})", "plate")
    by_release = await _items(gql, world, "agentA", "parkingSessions", "(filter: {releaseMethod: SOFTWARE})", "plate")
    assert (by_plate, by_state, by_release) == (["京A11111"], ["京A22222"], ["京A22222"])


async def test_sessions_by_entry_range_is_half_open(db: Database, gql: GraphQL) -> None:
    world = await _world(db)
    args = '(filter: {entryFrom: "2030-01-01T09:00:00+08:00", entryTo: "2030-01-02T09:00:00+08:00"})'
    assert await _items(gql, world, "agentA", "parkingSessions", args, "plate") == ["京A11111"]


async def test_naive_time_filter_is_refused(db: Database, gql: GraphQL) -> None:
    world = await _world(db)
    body = await gql(
        '{ parkingSessions(filter: {entryFrom: "2030-01-01T09:00:00"}) { items { id } } }',
        token=world.tokens["agentA"],
    )
    assert body["errors"][0]["message"] == "entryFrom needs a time zone offset"


async def test_sessions_newest_first_in_keyset_pages(db: Database, gql: GraphQL) -> None:
    world = await _world(db)
    first = await gql(
        "{ parkingSessions(first: 1) { items { plate } pageInfo { hasNextPage endCursor } } }",
        token=world.tokens["agentA"],
    )
    page = first["data"]["parkingSessions"]
    second = await gql(
        f'{{ parkingSessions(first: 1, after: "{page["pageInfo"]["endCursor"]}") '
        "{ items { plate } pageInfo { hasNextPage } } }",
        token=world.tokens["agentA"],
    )
    assert (page["items"], page["pageInfo"]["hasNextPage"]) == ([{"plate": "京A22222"}], True)
    assert second["data"]["parkingSessions"] == {"items": [{"plate": "京A11111"}], "pageInfo": {"hasNextPage": False}}


async def test_lane_events_by_kind_and_lane(db: Database, gql: GraphQL) -> None:
    world = await _world(db)
    exits = await _items(gql, world, "agentA", "laneEvents", "(filter: {kind: EXIT})", "plate")
    lane = await _items(
        gql, world, "platform", "laneEvents", f'(filter: {{laneId: "{world.id("lane:B1a")}"}})', "plate"
    )
    assert (exits, lane) == (["京A22222"], ["京B33333"])


async def test_alarms_by_status(db: Database, gql: GraphQL) -> None:
    world = await _world(db)
    assert await _items(gql, world, "agentA", "alarms", "(filter: {status: OPEN})", "kind") == ["LOT_FULL"]


async def test_payment_orders_by_channel_and_lot(db: Database, gql: GraphQL) -> None:
    world = await _world(db)
    alipay = await _items(gql, world, "agentA", "paymentOrders", "(filter: {channel: ALIPAY_QR})", "outTradeNo")
    lot = await _items(
        gql, world, "platform", "paymentOrders", f'(filter: {{lotId: "{world.id("lot:B1a")}"}})', "outTradeNo"
    )
    assert (alipay, lot) == (["A-2"], ["B-1"])


async def test_records_need_their_permission(db: Database, gql: GraphQL) -> None:
    world = await _world(db)
    body = await gql("{ paymentOrders { items { id } } }", token=world.tokens["viewer"])
    assert body["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"


async def test_coupons_name_their_merchant(db: Database, gql: GraphQL) -> None:
    world = await _world(db)
    body = await gql("{ coupons { items { lotId merchantName } } }", token=world.tokens["agentA"])
    assert body.get("errors") is None, body
    items = body["data"]["coupons"]["items"]
    assert [(c["lotId"], c["merchantName"]) for c in items] == [(world.id("lot:A1a"), "Shop A1a")]
