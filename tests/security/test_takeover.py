"""The reported takeover: a key limited to one lot reset the password of a customer-wide operator and signed
in as it. Now refused, the password unchanged, and the operator's tokens still valid."""

from __future__ import annotations

from parking.accounts.models import Operator
from parking.common.database import Database
from tests.api.helpers import reread
from tests.conftest import GraphQL
from tests.factories import PASSWORD
from tests.security.world import build_security_world

RESET = (
    'mutation($id: ID!) { operatorUpdate(id: $id, input: {password: "taken over 12345"}) {'
    " __typename ... on AccountError { code field } } }"
)
LOGIN = 'mutation($p: String!) { login(username: "custA1", password: $p) { __typename } }'


async def test_a_lot_key_cannot_take_over_a_customer_operator(db: Database, gql: GraphQL) -> None:
    world = await build_security_world(db)
    before = await reread(db, Operator, world.id("operator:custA1"))
    assert before is not None
    body = await gql(RESET, {"id": world.id("operator:custA1")}, api_key=world.keys["lotA1a"])
    assert body == {
        "data": {"operatorUpdate": {"__typename": "AccountError", "code": "PERMISSION_DENIED", "field": "id"}}
    }
    after = await reread(db, Operator, world.id("operator:custA1"))
    assert after is not None
    assert (after.password_hash, after.token_version) == (before.password_hash, before.token_version)
    taken = await gql(LOGIN, {"p": "taken over 12345"})
    assert taken == {"data": {"login": {"__typename": "AccountError"}}}
    own = await gql(LOGIN, {"p": PASSWORD})
    assert own == {"data": {"login": {"__typename": "LoginSuccess"}}}
