from parking.common.database import Database
from tests.conftest import GraphQL
from tests.factories import build_world


async def test_lots_visible_to_platform_operator(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    body = await gql(
        "{ lots { items { name lanes { name } customer { name } } pageInfo { hasNextPage } } }",
        token=world.tokens["platform"],
    )
    assert body.get("errors") is None, body
    names = [lot["name"] for lot in body["data"]["lots"]["items"]]
    assert names == ["Lot A1a", "Lot A1b", "Lot A2a", "Lot B1a"]
