"""GraphQL snippets shared by the vehicles tests."""

from __future__ import annotations

from typing import Any

from tests.conftest import GraphQL
from tests.factories import World

ERR = "... on VehicleError { code field message }"


async def mutate(gql: GraphQL, world: World, who: str, name: str, args: str, fields: str) -> dict[str, Any]:
    body = await gql(f"mutation {{ {name}({args}) {{ __typename {fields} {ERR} }} }}", token=world.tokens[who])
    assert body.get("errors") is None, body
    result: dict[str, Any] = body["data"][name]
    return result


async def create_owner(gql: GraphQL, world: World, lot: str = "A1a", who: str = "agentA") -> str:
    result = await mutate(
        gql,
        world,
        who,
        "ownerCreate",
        f'input: {{lotId: "{world.id("lot:" + lot)}", name: "张三"}}',
        "... on OwnerSuccess { owner { id } }",
    )
    return str(result["owner"]["id"])


async def create_vehicle(gql: GraphQL, world: World, plate: str, lot: str = "A1a") -> dict[str, Any]:
    return await mutate(
        gql,
        world,
        "agentA",
        "vehicleCreate",
        f'input: {{lotId: "{world.id("lot:" + lot)}", plate: "{plate}"}}',
        "... on VehicleSuccess { vehicle { id plate } }",
    )
