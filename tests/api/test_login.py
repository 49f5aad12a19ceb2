"""Login: tokens that work, refused credentials, throttling after repeated failures, and voided tokens.

Throttling per address and the cap per address: tests/security/test_login_throttle.py.
"""

from __future__ import annotations

from typing import Any

from parking.accounts.models import LoginFailure, Operator
from parking.common.database import Database
from tests.api.helpers import reread, rows
from tests.conftest import GraphQL
from tests.factories import PASSWORD, build_world

LOGIN = (
    "mutation($u: String!, $p: String!) { login(username: $u, password: $p) {"
    " ... on LoginSuccess { token expiresIn operator { username } } ... on AccountError { code message field } } }"
)


async def login(gql: GraphQL, username: str, password: str) -> dict[str, Any]:
    body = await gql(LOGIN, {"u": username, "p": password})
    assert body.get("errors") is None, body
    result: dict[str, Any] = body["data"]["login"]
    return result


async def test_login_returns_a_token_that_works_for_me(db: Database, gql: GraphQL) -> None:
    await build_world(db)
    result = await login(gql, "custA1", PASSWORD)
    assert (result["expiresIn"], result["operator"]) == (43200, {"username": "custA1"})
    me = await gql("{ me { name scopeLevel } }", token=result["token"])
    assert me == {"data": {"me": {"name": "custA1", "scopeLevel": "CUSTOMER"}}}


async def test_wrong_password_or_unknown_user_is_invalid_credentials(db: Database, gql: GraphQL) -> None:
    await build_world(db)
    result = await login(gql, "agentA", "wrong password")
    assert result == {"code": "INVALID_CREDENTIALS", "message": "用户名或密码错误", "field": None}
    unknown = await login(gql, "nobody", PASSWORD)
    assert unknown == result
    # Both count as one failure of that username from this address.
    failures = await rows(db, LoginFailure)
    counted = [(f.username, f.ip, f.failures) for f in failures]
    assert counted == [("agenta", "203.0.113.7", 1), ("nobody", "203.0.113.7", 1)]


async def test_five_failures_lock_even_the_right_password_from_that_address(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    codes = [(await login(gql, "agentA", f"wrong {i}"))["code"] for i in range(5)]
    assert codes == ["INVALID_CREDENTIALS"] * 5
    result = await login(gql, "agentA", PASSWORD)
    assert result == {"code": "LOCKED", "message": "登录失败次数过多，请稍后再试", "field": None}
    row = await reread(db, Operator, world.ids["operator:agentA"])
    assert row is not None
    assert row.last_login_at is None


async def test_deactivated_operator_cannot_log_in_and_loses_its_tokens(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    body = await gql(
        "mutation($id: ID!) { operatorUpdate(id: $id, input: {isActive: false}) { __typename } }",
        {"id": world.id("operator:custA1")},
        token=world.tokens["platform"],
    )
    assert body == {"data": {"operatorUpdate": {"__typename": "OperatorSuccess"}}}
    result = await login(gql, "custA1", PASSWORD)
    assert result == {"code": "INACTIVE", "message": "该账号已停用，请联系管理员", "field": None}
    me = await gql("{ me { name } }", token=world.tokens["custA1"])
    assert me == {"data": {"me": None}}


async def test_password_change_voids_old_tokens(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    body = await gql(
        'mutation($id: ID!) { operatorUpdate(id: $id, input: {password: "a new secret 99"}) { __typename } }',
        {"id": world.id("operator:agentA")},
        token=world.tokens["platform"],
    )
    assert body == {"data": {"operatorUpdate": {"__typename": "OperatorSuccess"}}}
    old = await gql("{ me { name } }", token=world.tokens["agentA"])
    assert old == {"data": {"me": None}}
    assert (await login(gql, "agentA", PASSWORD))["code"] == "INVALID_CREDENTIALS"
    fresh = await login(gql, "agentA", "a new secret 99")
    me = await gql("{ me { name } }", token=fresh["token"])
    assert me == {"data": {"me": {"name": "agentA"}}}
