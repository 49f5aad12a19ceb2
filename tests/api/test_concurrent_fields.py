from parking.common.database import Database
from tests.conftest import GraphQL
from tests.factories import build_world


async def test_sibling_list_fields_share_one_request_session(db: Database, gql: GraphQL) -> None:
    # Strawberry resolves sibling fields concurrently; they must not trip over the shared read session.
    world = await build_world(db)
    body = await gql(
        "{ lots { items { name lanes { name } customer { name } } } agents { items { name customers { name } } }"
        " customers { items { name lots { name } } } }",
        token=world.tokens["agentA"],
    )
    assert body.get("errors") is None, body
    assert [lot["name"] for lot in body["data"]["lots"]["items"]] == ["Lot A1a", "Lot A1b", "Lot A2a"]
    assert [a["name"] for a in body["data"]["agents"]["items"]] == ["Agent A"]
    assert [c["name"] for c in body["data"]["customers"]["items"]] == ["Customer A1", "Customer A2"]
