"""Wallets, pass products, passes and renewals through GraphQL."""

from __future__ import annotations

from typing import Any

from parking.common.database import Database
from tests.conftest import GraphQL
from tests.factories import World, build_world
from tests.vehicles.helpers import create_owner, create_vehicle, mutate

WALLET = "... on WalletSuccess { wallet { balanceFen entries { amountFen reason } } }"
PASS = (
    "... on PassSuccess { pass { id startsAt endsAt renewals { periods amountFen method previousEndsAt newEndsAt } } }"
)


async def _move(gql: GraphQL, world: World, name: str, owner_id: str, amount: int) -> dict[str, Any]:
    args = f'input: {{ownerId: "{owner_id}", amountFen: {amount}, reason: "counter"}}'
    return await mutate(gql, world, "agentA", name, args, WALLET)


async def test_top_up_then_debit_writes_entries(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    owner_id = await create_owner(gql, world)
    await _move(gql, world, "walletTopUp", owner_id, 10_000)
    result = await _move(gql, world, "walletDebit", owner_id, 3_000)
    assert result["wallet"] == {
        "balanceFen": 7_000,
        "entries": [{"amountFen": 10_000, "reason": "counter"}, {"amountFen": -3_000, "reason": "counter"}],
    }


async def test_debit_beyond_balance_is_invalid_and_changes_nothing(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    owner_id = await create_owner(gql, world)
    await _move(gql, world, "walletTopUp", owner_id, 500)
    refused = await _move(gql, world, "walletDebit", owner_id, 501)
    body = await gql(
        f'{{ owner(id: "{owner_id}") {{ wallet {{ balanceFen entries {{ amountFen }} }} }} }}',
        token=world.tokens["agentA"],
    )
    assert (refused["code"], refused["field"]) == ("INVALID", "amountFen")
    assert body["data"]["owner"]["wallet"] == {"balanceFen": 500, "entries": [{"amountFen": 500}]}


async def test_zero_top_up_is_invalid(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    owner_id = await create_owner(gql, world)
    result = await _move(gql, world, "walletTopUp", owner_id, 0)
    assert (result["code"], result["field"]) == ("INVALID", "amountFen")


async def _product(gql: GraphQL, world: World, price: int, lot: str = "A1a") -> dict[str, Any]:
    return await mutate(
        gql,
        world,
        "agentA",
        "passProductCreate",
        f'input: {{lotId: "{world.id("lot:" + lot)}", name: "月卡", period: MONTH, priceFen: {price}}}',
        "... on PassProductSuccess { product { id priceFen period category } }",
    )


async def test_negative_price_is_invalid(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    result = await _product(gql, world, -1)
    assert (result["code"], result["field"]) == ("INVALID", "priceFen")


async def test_duplicate_product_name_in_lot(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    await _product(gql, world, 30_000)
    result = await _product(gql, world, 20_000)
    assert result["code"] == "DUPLICATE"


async def _pass(gql: GraphQL, world: World, holder: str, product_id: str, starts: str) -> dict[str, Any]:
    args = f'input: {{productId: "{product_id}", {holder} startsAt: "{starts}"}}'
    return await mutate(gql, world, "agentA", "passCreate", args, PASS)


async def test_pass_needs_exactly_one_holder(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    product_id = (await _product(gql, world, 30_000))["product"]["id"]
    vehicle_id = (await create_vehicle(gql, world, "京A12345"))["vehicle"]["id"]
    group = await mutate(
        gql,
        world,
        "agentA",
        "vehicleGroupCreate",
        f'input: {{lotId: "{world.id("lot:A1a")}", name: "g", spaces: 1}}',
        "... on VehicleGroupSuccess { group { id } }",
    )
    both = await _pass(
        gql,
        world,
        f'vehicleId: "{vehicle_id}", groupId: "{group["group"]["id"]}",',
        product_id,
        "2030-01-01T00:00:00+08:00",
    )
    neither = await _pass(gql, world, "", product_id, "2030-01-01T00:00:00+08:00")
    assert (both["code"], both["field"]) == ("INVALID", "vehicleId")
    assert (neither["code"], neither["field"]) == ("INVALID", "vehicleId")


async def test_pass_for_vehicle_of_another_lot_is_invalid(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    product_id = (await _product(gql, world, 30_000))["product"]["id"]
    vehicle_id = (await create_vehicle(gql, world, "京A12345", lot="A1b"))["vehicle"]["id"]
    result = await _pass(gql, world, f'vehicleId: "{vehicle_id}",', product_id, "2030-01-01T00:00:00+08:00")
    assert (result["code"], result["field"]) == ("INVALID", "vehicleId")


async def test_pass_without_end_runs_one_period_on_the_lot_calendar(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    product_id = (await _product(gql, world, 30_000))["product"]["id"]
    vehicle_id = (await create_vehicle(gql, world, "京A12345"))["vehicle"]["id"]
    result = await _pass(gql, world, f'vehicleId: "{vehicle_id}",', product_id, "2030-01-31T00:00:00+08:00")
    # Midnight Jan 31 in Shanghai + 1 month = midnight Feb 28 in Shanghai (16:00 UTC the day before).
    assert (result["pass"]["startsAt"], result["pass"]["endsAt"]) == (
        "2030-01-30T16:00:00+00:00",
        "2030-02-27T16:00:00+00:00",
    )


async def test_renewal_extends_by_periods_and_records_it(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    product_id = (await _product(gql, world, 30_000))["product"]["id"]
    vehicle_id = (await create_vehicle(gql, world, "京A12345"))["vehicle"]["id"]
    created = await _pass(gql, world, f'vehicleId: "{vehicle_id}",', product_id, "2030-03-31T00:00:00+08:00")
    pass_id = created["pass"]["id"]
    # The pass ends Apr 30 (local); two months later is Jun 30, local midnight.
    result = await mutate(gql, world, "agentA", "passRenew", f'id: "{pass_id}", periods: 2, method: "cash"', PASS)
    assert result["pass"]["endsAt"] == "2030-06-29T16:00:00+00:00"
    assert result["pass"]["renewals"] == [
        {
            "periods": 2,
            "amountFen": 60_000,
            "method": "cash",
            "previousEndsAt": "2030-04-29T16:00:00+00:00",
            "newEndsAt": "2030-06-29T16:00:00+00:00",
        }
    ]


async def test_renewal_with_zero_periods_is_invalid(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    product_id = (await _product(gql, world, 30_000))["product"]["id"]
    vehicle_id = (await create_vehicle(gql, world, "京A12345"))["vehicle"]["id"]
    pass_id = (await _pass(gql, world, f'vehicleId: "{vehicle_id}",', product_id, "2030-01-01T00:00:00+08:00"))["pass"][
        "id"
    ]
    result = await mutate(gql, world, "agentA", "passRenew", f'id: "{pass_id}", periods: 0, method: "cash"', "")
    assert (result["code"], result["field"]) == ("INVALID", "periods")


async def test_renewal_of_other_agents_pass_is_not_found(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    product_id = (await _product(gql, world, 30_000))["product"]["id"]
    vehicle_id = (await create_vehicle(gql, world, "京A12345"))["vehicle"]["id"]
    pass_id = (await _pass(gql, world, f'vehicleId: "{vehicle_id}",', product_id, "2030-01-01T00:00:00+08:00"))["pass"][
        "id"
    ]
    result = await mutate(gql, world, "agentB", "passRenew", f'id: "{pass_id}", periods: 1, method: "cash"', "")
    body = await gql("{ passes { items { id } } }", token=world.tokens["agentB"])
    assert result["code"] == "NOT_FOUND"
    assert body["data"]["passes"]["items"] == []
