"""A token that does not verify (signed with another process's key, forged, expired) is no sign-in at all: GraphQL
refuses with UNAUTHENTICATED (clients answer it with a new sign-in), the HTTP endpoints with 401, and nothing
changes. A signed-in caller who lacks a permission still reads PERMISSION_DENIED. (The websocket's refusal of such
a token, closed with 4403, is in tests/realtime/test_alarm_subscription.py.)"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx

from parking.accounts.auth import issue_token
from parking.accounts.models import Operator
from parking.common.database import Database
from parking.common.db import utcnow
from parking.drivers import issue_driver_token
from tests.api.helpers import dump, reread
from tests.api.test_permissions import signed_with_another_key
from tests.conftest import GraphQL
from tests.factories import SECRET, build_world

ROLE_CREATE = """
mutation ($i: RoleCreateInput!) { roleCreate(input: $i) { __typename ... on AccountError { code } } }
"""
LOTS = "{ lots { items { name } } }"


def code_of(body: dict[str, Any]) -> str:
    [error] = body["errors"]
    return str(error["extensions"]["code"])


async def test_a_token_signed_with_another_key_is_unauthenticated_and_changes_nothing(
    db: Database, gql: GraphQL
) -> None:
    # Given a platform operator's token, signed by another process with another key
    world = await build_world(db)
    forged = signed_with_another_key(world.tokens["platform"])
    before = await dump(db)
    # When it reads and writes
    read = await gql(LOTS, token=forged)
    written = await gql(ROLE_CREATE, {"i": {"name": "Forged", "permissions": []}}, token=forged)
    # Then both are refused as unauthenticated, not as a missing permission, and nothing changed
    assert (code_of(read), read["data"]) == ("UNAUTHENTICATED", None)
    assert (code_of(written), written["data"]) == ("UNAUTHENTICATED", None)
    assert await dump(db) == before
    # While the very same operator with the right key passes
    assert "errors" not in await gql(LOTS, token=world.tokens["platform"])


async def test_an_expired_or_garbled_token_is_unauthenticated(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    operator = await reread(db, Operator, world.ids["operator:platform"])
    assert operator is not None
    expired = issue_token(SECRET, operator, utcnow() - timedelta(hours=2), 3600)
    before = await dump(db)
    bodies = [
        await gql(ROLE_CREATE, {"i": {"name": "Late", "permissions": []}}, token=expired),
        await gql(ROLE_CREATE, {"i": {"name": "Garbled", "permissions": []}}, token="not-a-token"),
    ]
    assert [code_of(b) for b in bodies] == ["UNAUTHENTICATED", "UNAUTHENTICATED"]
    assert await dump(db) == before


async def test_signed_in_callers_without_the_permission_are_still_denied(db: Database, gql: GraphQL) -> None:
    # An operator without the permission, and a driver of the mini-program (signed in, but no operator)
    world = await build_world(db)
    driver = issue_driver_token(SECRET, "openid-driver", utcnow(), 3600)
    before = await dump(db)
    bodies = [
        await gql(ROLE_CREATE, {"i": {"name": "Viewer's", "permissions": []}}, token=world.tokens["viewer"]),
        await gql(ROLE_CREATE, {"i": {"name": "Driver's", "permissions": []}}, token=driver),
    ]
    assert [code_of(b) for b in bodies] == ["PERMISSION_DENIED", "PERMISSION_DENIED"]
    assert await dump(db) == before


async def test_http_endpoints_answer_401_to_a_token_signed_with_another_key(
    db: Database, client: httpx.AsyncClient
) -> None:
    world = await build_world(db)
    forged = {"Authorization": f"Bearer {signed_with_another_key(world.tokens['platform'])}"}
    driver = issue_driver_token("another-process-key", "openid-driver", utcnow(), 3600)
    before = await dump(db)
    answers = [
        await client.get("/api/images/lane/x.jpg", headers=forged),
        await client.get("/api/codes/1.svg", headers=forged),
        await client.get("/api/codes/sheet.pdf?ids=1", headers=forged),
        await client.post("/api/faults/1/photos", files={"file": ("a.jpg", b"\xff\xd8\xff")}, headers=forged),
        await client.post("/api/driver/codes/scan", json={"code": "x"}, headers={"Authorization": f"Bearer {driver}"}),
    ]
    assert [a.status_code for a in answers] == [401] * 5
    assert await dump(db) == before
