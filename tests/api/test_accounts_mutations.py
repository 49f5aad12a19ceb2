"""Accounts mutations through GraphQL: roles, operators, API keys; each success and each error code."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from parking.accounts.auth import issue_token
from parking.accounts.models import ApiKey, Operator, Role, operator_lots
from parking.common.database import Database
from parking.common.scope import Scope, ScopeLevel
from tests.api.helpers import count, dump, reread
from tests.conftest import GraphQL
from tests.factories import PASSWORD_HASH, SECRET, World, build_world

ERR = "... on AccountError { code message field }"


async def call(gql: GraphQL, token: str, doc: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    body = await gql(doc, variables, token=token)
    assert body.get("errors") is None, body
    result: dict[str, Any] = body["data"]["x"]
    return result


ROLE_CREATE = (
    "mutation($i: RoleCreateInput!) { x: roleCreate(input: $i) {"
    f" ... on RoleSuccess {{ role {{ id name permissions scopeLevel }} }} {ERR} }} }}"
)


async def create_role(gql: GraphQL, world: World, who: str, permissions: list[str]) -> dict[str, Any]:
    return await call(gql, world.tokens[who], ROLE_CREATE, {"i": {"name": "Clerk", "permissions": permissions}})


async def operator_with(db: Database, world: World, permissions: list[str]) -> str:
    """An agent-A operator holding only ``permissions``; its token is stored in the world under its name."""
    async with db.transaction(Scope.internal()) as s:
        role = Role(
            name="limited", permissions=permissions, scope_level=ScopeLevel.AGENT, agent_id=world.ids["agent:A"]
        )
        s.add(role)
        await s.flush()
        op = Operator(
            username="limited",
            password_hash=PASSWORD_HASH,
            role_id=role.id,
            scope_level=ScopeLevel.AGENT,
            agent_id=world.ids["agent:A"],
        )
        s.add(op)
        await s.flush()
        world.tokens["limited"] = issue_token(SECRET, op, datetime.now(UTC), 3600)
    return "limited"


async def test_role_create_belongs_to_the_creators_tenant(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    result = await create_role(gql, world, "agentA", ["lots.view", "agents.view", "lots.view"])
    role = result["role"]
    role_id = role.pop("id")
    assert role == {"name": "Clerk", "permissions": ["agents.view", "lots.view"], "scopeLevel": "AGENT"}
    row = await reread(db, Role, role_id)
    assert row is not None
    assert (row.agent_id, row.customer_id) == (world.ids["agent:A"], None)


async def test_role_create_refuses_unknown_and_ungranted_permissions(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    limited = await operator_with(db, world, ["roles.manage"])
    before = await dump(db)
    unknown = await create_role(gql, world, "agentA", ["lots.fly"])
    assert unknown == {
        "code": "INVALID",
        "message": "permissions: Value error, unknown permissions: lots.fly",
        "field": "permissions",
    }
    beyond = await create_role(gql, world, limited, ["roles.manage", "lots.view"])
    assert beyond == {
        "code": "PERMISSION_DENIED",
        "message": "cannot grant what you do not hold: lots.view",
        "field": "permissions",
    }
    assert await dump(db) == before


async def test_role_update_delete_and_in_use(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    role_id = (await create_role(gql, world, "platform", ["lots.view"]))["role"]["id"]
    updated = await call(
        gql,
        world.tokens["platform"],
        'mutation($id: ID!) { x: roleUpdate(id: $id, input: {permissions: ["lots.manage"]}) {'
        f" ... on RoleSuccess {{ role {{ permissions }} }} {ERR} }} }}",
        {"id": role_id},
    )
    assert updated == {"role": {"permissions": ["lots.manage"]}}
    before = await dump(db)
    in_use = await call(
        gql,
        world.tokens["platform"],
        f"mutation($id: ID!) {{ x: roleDelete(id: $id) {{ ... on DeleteSuccess {{ id }} {ERR} }} }}",
        {"id": world.id("role:all")},
    )
    assert in_use == {"code": "IN_USE", "message": "role is still referenced and cannot be deleted", "field": None}
    assert await dump(db) == before
    deleted = await call(
        gql,
        world.tokens["platform"],
        f"mutation($id: ID!) {{ x: roleDelete(id: $id) {{ ... on DeleteSuccess {{ id }} {ERR} }} }}",
        {"id": role_id},
    )
    assert deleted == {"id": role_id}
    assert await reread(db, Role, role_id) is None


async def test_role_of_other_tenant_is_not_found(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    role_id = (await create_role(gql, world, "agentA", ["lots.view"]))["role"]["id"]
    before = await dump(db)
    result = await call(
        gql,
        world.tokens["agentB"],
        f'mutation($id: ID!) {{ x: roleUpdate(id: $id, input: {{name: "Mine"}}) {{ {ERR} }} }}',
        {"id": role_id},
    )
    assert result == {"code": "NOT_FOUND", "message": "Role not found", "field": "id"}
    assert await dump(db) == before


OPERATOR_CREATE = (
    "mutation($i: OperatorCreateInput!) { x: operatorCreate(input: $i) {"
    " ... on OperatorSuccess { operator { id username displayName scopeLevel customerId"
    f" lots {{ name }} role {{ name }} }} }} {ERR} }} }}"
)


def operator_input(world: World, role_id: str, scope: dict[str, Any], username: str = "clerk1") -> dict[str, Any]:
    return {"i": {"username": username, "password": "long enough 1", "roleId": role_id, "scope": scope}}


async def test_operator_create_with_lot_scope(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    role_id = (await create_role(gql, world, "custA1", ["lots.view"]))["role"]["id"]
    scope = {"level": "LOT", "customerId": world.id("customer:A1"), "lotIds": [world.id("lot:A1b")]}
    result = await call(gql, world.tokens["custA1"], OPERATOR_CREATE, operator_input(world, role_id, scope))
    op = result["operator"]
    op_id = op.pop("id")
    assert op == {
        "username": "clerk1",
        "displayName": "clerk1",
        "scopeLevel": "LOT",
        "customerId": world.id("customer:A1"),
        "lots": [{"name": "Lot A1b"}],
        "role": {"name": "Clerk"},
    }
    row = await reread(db, Operator, op_id)
    assert row is not None
    assert (row.agent_id, row.customer_id, row.role_id) == (
        world.ids["agent:A"],
        world.ids["customer:A1"],
        int(role_id),
    )


async def test_operator_create_errors(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    role_id = (await create_role(gql, world, "agentA", ["lots.view"]))["role"]["id"]
    before = await dump(db)
    token = world.tokens["agentA"]
    agent_a = {"level": "AGENT", "agentId": world.id("agent:A")}
    cases = {
        "duplicate": operator_input(world, role_id, agent_a, username="custA1"),
        "wider": operator_input(world, role_id, {"level": "PLATFORM"}),
        "no agent": operator_input(world, role_id, {"level": "AGENT"}),
        "foreign agent": operator_input(world, role_id, {"level": "AGENT", "agentId": world.id("agent:B")}),
        "foreign lot": operator_input(
            world, role_id, {"level": "LOT", "customerId": world.id("customer:A1"), "lotIds": [world.id("lot:A2a")]}
        ),
        "role of platform": operator_input(world, world.id("role:all"), agent_a),
    }
    results = {name: await call(gql, token, OPERATOR_CREATE, v) for name, v in cases.items()}
    assert results == {
        "duplicate": {"code": "DUPLICATE", "message": "such a operator already exists", "field": None},
        "wider": {"code": "PERMISSION_DENIED", "message": "cannot grant a scope wider than yours", "field": "scope"},
        "no agent": {"code": "INVALID", "message": "an agent scope needs agentId", "field": "scope.agentId"},
        "foreign agent": {"code": "NOT_FOUND", "message": "Agent not found", "field": "scope.agentId"},
        "foreign lot": {"code": "NOT_FOUND", "message": "lot not found", "field": "scope.lotIds"},
        "role of platform": {"code": "NOT_FOUND", "message": "Role not found", "field": "roleId"},
    }
    assert await dump(db) == before


async def test_operator_update_and_delete(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    updated = await call(
        gql,
        world.tokens["agentA"],
        'mutation($id: ID!) { x: operatorUpdate(id: $id, input: {displayName: "Lot Boss", phone: "139"}) {'
        f" ... on OperatorSuccess {{ operator {{ displayName phone }} }} {ERR} }} }}",
        {"id": world.id("operator:lotA1a")},
    )
    assert updated == {"operator": {"displayName": "Lot Boss", "phone": "139"}}
    deleted = await call(
        gql,
        world.tokens["agentA"],
        f"mutation($id: ID!) {{ x: operatorDelete(id: $id) {{ ... on DeleteSuccess {{ id }} {ERR} }} }}",
        {"id": world.id("operator:lotA1a")},
    )
    assert deleted == {"id": world.id("operator:lotA1a")}
    assert await reread(db, Operator, world.ids["operator:lotA1a"]) is None
    assert await count(db, operator_lots) == 0


async def test_operator_cannot_delete_itself_nor_foreign_operators(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    before = await dump(db)
    doc = f"mutation($id: ID!) {{ x: operatorDelete(id: $id) {{ ... on DeleteSuccess {{ id }} {ERR} }} }}"
    itself = await call(gql, world.tokens["agentA"], doc, {"id": world.id("operator:agentA")})
    foreign = await call(gql, world.tokens["agentA"], doc, {"id": world.id("operator:agentB")})
    assert itself == {"code": "INVALID", "message": "you cannot delete yourself", "field": "id"}
    assert foreign == {"code": "NOT_FOUND", "message": "Operator not found", "field": "id"}
    assert await dump(db) == before


async def test_operator_update_with_ungranted_role_is_refused(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    role_id = (await create_role(gql, world, "agentA", ["lots.view", "lots.manage"]))["role"]["id"]
    body = await gql(
        "mutation($id: ID!, $i: RoleUpdateInput!) { roleUpdate(id: $id, input: $i) { __typename } }",
        {"id": role_id, "i": {"permissions": ["lots.view"]}},
        token=world.tokens["agentA"],
    )
    assert body == {"data": {"roleUpdate": {"__typename": "RoleSuccess"}}}
    before = await dump(db)
    # custA1 holds every permission, but the role of platform is outside its scope.
    result = await call(
        gql,
        world.tokens["custA1"],
        f"mutation($id: ID!, $r: ID!) {{ x: operatorUpdate(id: $id, input: {{roleId: $r}}) {{ {ERR} }} }}",
        {"id": world.id("operator:lotA1a"), "r": world.id("role:all")},
    )
    assert result == {"code": "NOT_FOUND", "message": "Role not found", "field": "roleId"}
    assert await dump(db) == before


API_KEY_CREATE = (
    "mutation($i: ApiKeyCreateInput!) { x: apiKeyCreate(input: $i) {"
    f" ... on ApiKeyCreateSuccess {{ key apiKey {{ id name prefix permissions scopeLevel revokedAt }} }} {ERR} }} }}"
)


async def test_api_key_create_works_then_revoke_voids_it(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    scope = {"level": "CUSTOMER", "customerId": world.id("customer:A1")}
    created = await call(
        gql,
        world.tokens["agentA"],
        API_KEY_CREATE,
        {"i": {"name": "Partner", "permissions": ["lots.view"], "scope": scope}},
    )
    key, api_key = created["key"], created["apiKey"]
    assert key.startswith(api_key["prefix"] + ".")
    assert {k: api_key[k] for k in ("name", "permissions", "scopeLevel", "revokedAt")} == {
        "name": "Partner",
        "permissions": ["lots.view"],
        "scopeLevel": "CUSTOMER",
        "revokedAt": None,
    }
    lots = await gql("{ lots { items { name } } }", api_key=key)
    assert lots == {"data": {"lots": {"items": [{"name": "Lot A1a"}, {"name": "Lot A1b"}]}}}
    revoke = f"mutation($id: ID!) {{ x: apiKeyRevoke(id: $id) {{ ... on ApiKeySuccess {{ apiKey {{ id }} }} {ERR} }} }}"
    assert await call(gql, world.tokens["agentA"], revoke, {"id": api_key["id"]}) == {"apiKey": {"id": api_key["id"]}}
    row = await reread(db, ApiKey, api_key["id"])
    assert row is not None
    assert row.revoked_at is not None
    assert await gql("{ me { name } }", api_key=key) == {"data": {"me": None}}
    again = await call(gql, world.tokens["agentA"], revoke, {"id": api_key["id"]})
    assert again == {"code": "CONFLICT", "message": "key already revoked", "field": "id"}


async def test_api_key_create_beyond_own_permissions_is_refused(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    before = await dump(db)
    scope = {"level": "AGENT", "agentId": world.id("agent:A")}
    result = await call(
        gql, world.tokens["agentA"], API_KEY_CREATE, {"i": {"name": "P", "permissions": ["lots.fly"], "scope": scope}}
    )
    assert result["code"] == "INVALID"
    assert await dump(db) == before
