"""Sign-in throttling stops guessing but cannot lock an account out from elsewhere.

Callers come from distinct client addresses (the ASGI transport's client), as they would through the proxy.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import timedelta
from typing import Any

import httpx

from api.app import create_app
from config.settings import Settings
from parking.accounts.auth import login
from parking.accounts.throttle import LoginPolicy
from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.errors import DomainError
from parking.common.scope import Scope
from tests.factories import PASSWORD, build_world

LOGIN = (
    "mutation($u: String!, $p: String!) { login(username: $u, password: $p) {"
    " __typename ... on AccountError { code message field } } }"
)
Login = Callable[[str, str], Any]


def clients(db: Database, settings: Settings) -> Callable[[str], AbstractAsyncContextManager[Login]]:
    app = create_app(settings, db)

    @asynccontextmanager
    async def from_address(ip: str) -> AsyncIterator[Login]:
        transport = httpx.ASGITransport(app=app, client=(ip, 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:

            async def attempt(username: str, password: str) -> Any:
                response = await http.post(
                    "/graphql", json={"query": LOGIN, "variables": {"u": username, "p": password}}
                )
                assert response.status_code == 200, response.text
                result = response.json()["data"]["login"]
                return result["__typename"] if result["__typename"] == "LoginSuccess" else result["code"]

            yield attempt

    return from_address


async def test_a_locked_pair_does_not_lock_the_account_elsewhere(db: Database, settings: Settings) -> None:
    # Given somebody guessing agentA's password from one address until it locks
    await build_world(db)
    from_address = clients(db, settings)
    async with from_address("198.51.100.1") as attacker, from_address("203.0.113.9") as owner:
        guesses = [await attacker("agentA", f"guess {i}") for i in range(6)]
        # When the owner signs in from another address, and the guesser tries the right password
        mine = await owner("agentA", PASSWORD)
        theirs = await attacker("agentA", PASSWORD)
        # Case and padding do not reset the count
        variant = await attacker(" AGENTA ", PASSWORD)
    # Then the guesser is stopped after five, and the owner is not
    assert guesses == ["INVALID_CREDENTIALS"] * 5 + ["LOCKED"]
    assert (mine, theirs, variant) == ("LoginSuccess", "LOCKED", "LOCKED")


async def test_an_unknown_user_and_a_wrong_password_answer_alike(db: Database, settings: Settings) -> None:
    await build_world(db)
    from_address = clients(db, settings)
    async with from_address("198.51.100.2") as caller:
        known = [await caller("agentA", f"guess {i}") for i in range(7)]
        unknown = [await caller("nobody", f"guess {i}") for i in range(7)]
    assert known == unknown == ["INVALID_CREDENTIALS"] * 5 + ["LOCKED"] * 2


async def test_one_address_guessing_many_usernames_is_capped(db: Database, settings: Settings) -> None:
    # Given a cap of 8 failures per address (any usernames), under the 5 per username
    await build_world(db)
    settings = dataclasses.replace(settings, login_max_address_failures=8)
    from_address = clients(db, settings)
    async with from_address("198.51.100.3") as sprayer, from_address("203.0.113.10") as other:
        spray = [await sprayer(name, "123456") for name in ("agentA", "agentB", "custA1", "lotA1a") for _ in range(2)]
        # When the sprayer then tries a correct password, and another address signs in
        blocked = await sprayer("platform", PASSWORD)
        elsewhere = await other("platform", PASSWORD)
    assert spray == ["INVALID_CREDENTIALS"] * 8
    assert (blocked, elsewhere) == ("LOCKED", "LoginSuccess")


async def test_a_lock_ends_after_its_time(db: Database) -> None:
    await build_world(db)
    policy = LoginPolicy(max_failures=2, lock_for=timedelta(minutes=15))
    now = utcnow()
    codes = []
    for password, at in (
        ("x1", now),
        ("x2", now),
        (PASSWORD, now + timedelta(minutes=14)),
        (PASSWORD, now + timedelta(minutes=16)),
    ):
        async with db.transaction(Scope.internal()) as session:
            try:
                operator = await login(session, "agentA", password, at, policy, ip="192.0.2.1")
                codes.append(operator.username)
            except DomainError as err:
                codes.append(err.code.name)
    assert codes == ["INVALID_CREDENTIALS", "INVALID_CREDENTIALS", "LOCKED", "agentA"]
