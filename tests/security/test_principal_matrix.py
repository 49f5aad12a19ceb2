"""Scope containment over HTTP: every cell of tests/security/matrix.py against a real server.

One server per caller; a refused cell must leave every table as it was, a cell that succeeds rebuilds the
world so the next one starts from the same state.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from api.app import create_app
from config.settings import Settings
from parking.accounts.models import ApiKey
from parking.common.database import Database
from tests.api.helpers import dump
from tests.live import serve
from tests.security.matrix import CALLERS, Cell, cells
from tests.security.world import ALL, NARROW, SecurityWorld, build_security_world, reset

RESULT = "{ __typename ... on AccountError { code message } }"
OPERATOR_UPDATE = f"mutation($id: ID!, $i: OperatorUpdateInput!) {{ r: operatorUpdate(id: $id, input: $i) {RESULT} }}"
ROLE_UPDATE = f"mutation($id: ID!, $i: RoleUpdateInput!) {{ r: roleUpdate(id: $id, input: $i) {RESULT} }}"
OPERATOR_CREATE = f"mutation($i: OperatorCreateInput!) {{ r: operatorCreate(input: $i) {RESULT} }}"
KEY_CREATE = f"mutation($i: ApiKeyCreateInput!) {{ r: apiKeyCreate(input: $i) {RESULT} }}"
CODES = {"PERMISSION_DENIED": "no", "NOT_FOUND": "nf", "INVALID": "self", "IN_USE": "inuse"}


def _scope(w: SecurityWorld, name: str) -> dict[str, Any]:
    """agentA, custA1, lotA1a ... as a ScopeInput."""
    if name.startswith("agent"):
        return {"level": "AGENT", "agentId": w.id(f"agent:{name[5:]}")}
    if name.startswith("cust"):
        return {"level": "CUSTOMER", "customerId": w.id(f"customer:{name[4:]}")}
    lot = name[3:]
    return {"level": "LOT", "customerId": w.id(f"customer:{lot[:2]}"), "lotIds": [w.id(f"lot:{lot}")]}


def request(cell: Cell, w: SecurityWorld, n: int) -> tuple[str, dict[str, Any]]:
    """The document and variables of one cell."""
    target = cell.target
    match cell.mutation:
        case "rename":
            return OPERATOR_UPDATE, {"id": w.id(target), "i": {"displayName": "renamed"}}
        case "reset":
            return OPERATOR_UPDATE, {"id": w.id(target), "i": {"password": "taken over 12345"}}
        case "deactivate":
            return OPERATOR_UPDATE, {"id": w.id(target), "i": {"isActive": False}}
        case "rerole":
            return OPERATOR_UPDATE, {"id": w.id(target), "i": {"roleId": w.id("role:clerk")}}
        case "delete":
            return f"mutation($id: ID!) {{ r: operatorDelete(id: $id) {RESULT} }}", {"id": w.id(target)}
        case "roleRename":
            return ROLE_UPDATE, {"id": w.id(target), "i": {"name": "renamed"}}
        case "rolePerms":
            return ROLE_UPDATE, {"id": w.id(target), "i": {"permissions": ["records.view", "lots.view"]}}
        case "roleDelete":
            return f"mutation($id: ID!) {{ r: roleDelete(id: $id) {RESULT} }}", {"id": w.id(target)}
        case "revoke":
            return f"mutation($id: ID!) {{ r: apiKeyRevoke(id: $id) {RESULT} }}", {"id": w.id(target)}
        case "roleCreate":
            granted = ALL if target == "all" else NARROW
            doc = f"mutation($i: RoleCreateInput!) {{ r: roleCreate(input: $i) {RESULT} }}"
            return doc, {"i": {"name": f"new role {n}", "permissions": granted}}
        case "opCreate":
            scope, role = target.split("/")
            data = {"username": f"new{n}", "password": "a password 123", "roleId": w.id(f"role:{role}")}
            return OPERATOR_CREATE, {"i": {**data, "scope": _scope(w, scope)}}
        case "keyCreate":
            scope, which = target.split("/")
            key = {"name": f"key {n}", "permissions": ALL if which == "all" else NARROW, "scope": _scope(w, scope)}
            return KEY_CREATE, {"i": key}
    raise AssertionError(cell.mutation)


async def state(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, less what any call with a key writes: the key's last use (and so updated_at)."""
    rows = await dump(db)
    names = [c.name for c in ApiKey.__table__.columns]
    kept = [i for i, name in enumerate(names) if name not in {"last_used_at", "updated_at"}]
    rows["api_keys"] = [tuple(row[i] for i in kept) for row in rows["api_keys"]]
    return rows


def outcome(body: dict[str, Any]) -> str:
    assert body.get("errors") is None, body
    result = body["data"]["r"]
    if result["__typename"] != "AccountError":
        return "ok"
    return CODES[result["code"]]


@pytest.mark.parametrize("caller", CALLERS)
async def test_principal_matrix(db: Database, settings: Settings, caller: str) -> None:
    # Given the world with principals at every level, served over HTTP
    mine = [cell for cell in cells() if cell.caller == caller]
    world = await build_security_world(db)
    before = await state(db)
    got: dict[tuple[str, str], str] = {}
    async with serve(create_app(settings, db)) as url, httpx.AsyncClient(base_url=url, timeout=30) as http:
        for n, cell in enumerate(mine):
            # When the caller runs the cell's mutation
            query, variables = request(cell, world, n)
            response = await http.post(
                "/graphql", json={"query": query, "variables": variables}, headers=world.credentials(caller)
            )
            assert response.status_code == 200, response.text
            got[(cell.mutation, cell.target)] = result = outcome(response.json())
            if result == "ok":
                await reset(db)
                world = await build_security_world(db)
                before = await state(db)
            else:
                # Then a refusal changed no row of any table
                assert await state(db) == before, cell
    # Then every cell has the outcome the table gives it
    assert got == {(cell.mutation, cell.target): cell.expected for cell in mine}
