"""Every mutation of the schema with generated variables, valid and hostile (tests/security/fuzz.py).

Sent by a platform operator holding every permission, each must answer without a 5xx and without an
unexpected (masked) error; sent by an operator with no permissions, each must be refused and change no row.
The tally per outcome is printed in the test log.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parking.common.database import Database
from schema.root import build_schema
from tests.api.helpers import dump
from tests.factories import World, build_world
from tests.security.conftest import report
from tests.security.fuzz import document, variables

SCHEMA = build_schema()._schema
assert SCHEMA.mutation_type is not None
MUTATIONS = dict(sorted(SCHEMA.mutation_type.fields.items()))
# Mutations anyone may call: no permission to be refused for (tests/api/test_permissions.py names them).
PUBLIC = {
    "login",
    "paymentCreate",
    "codeScan",
    "merchantJoin",
    "passBuy",
    # The mini-program's: a driver token (or an operator's own token), no permission.
    "plateBind",
    "plateUnbind",
    "operatorWechatBind",
    "operatorWechatLogin",
    # A driver asks for an e-invoice of their own orders (a driver token; an operator's has no driver: UNAUTHENTICATED).
    "invoiceRequest",
}
# Row ids the generated ids draw from: the rows of build_world, whatever their table (fixed by its build order).
KNOWN_IDS = list(range(1, 16))


def requests(caller: str) -> st.SearchStrategy[tuple[str, str, dict[str, Any]]]:
    names = [n for n in MUTATIONS if caller == "platform" or n not in PUBLIC]
    return st.sampled_from(names).flatmap(
        lambda name: variables(MUTATIONS[name], KNOWN_IDS).map(lambda v: (name, document(name, MUTATIONS[name]), v))
    )


@pytest.fixture
async def world(db: Database) -> World:
    return await build_world(db)


@pytest.fixture
def tally(request: pytest.FixtureRequest) -> Iterator[Counter[str]]:
    counts: Counter[str] = Counter()
    yield counts
    # In the run's summary (tests/security/conftest.py), so the counts stand in every log, CI's included.
    report(request.config, f"{request.node.name}: " + ", ".join(f"{k}={v}" for k, v in sorted(counts.items())))


def codes(body: dict[str, Any]) -> list[str]:
    return [str((e.get("extensions") or {}).get("code")) for e in body.get("errors") or []]


FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FUZZ
@given(call=requests("platform"))
async def test_mutations_never_fail_unexpectedly(
    client: httpx.AsyncClient, world: World, tally: Counter[str], call: tuple[str, str, dict[str, Any]]
) -> None:
    name, query, variables_ = call
    response = await client.post(
        "/graphql",
        json={"query": query, "variables": variables_},
        headers={"Authorization": f"Bearer {world.tokens['platform']}"},
    )
    tally[f"http_{response.status_code}"] += 1
    assert response.status_code < 500, (name, variables_, response.text)
    body = response.json()
    found = codes(body)
    tally["refused" if found else "answered"] += 1
    assert "INTERNAL" not in found, (name, variables_, body)


@FUZZ
@given(call=requests("viewer"))
async def test_denied_mutations_change_nothing(
    db: Database, client: httpx.AsyncClient, world: World, tally: Counter[str], call: tuple[str, str, dict[str, Any]]
) -> None:
    name, query, variables_ = call
    before = await dump(db)
    response = await client.post(
        "/graphql",
        json={"query": query, "variables": variables_},
        headers={"Authorization": f"Bearer {world.tokens['viewer']}"},
    )
    tally[f"http_{response.status_code}"] += 1
    assert response.status_code < 500, (name, variables_, response.text)
    body = response.json()
    found = codes(body)
    # Refused: for the permission, or before that for variables that do not fit the schema
    assert set(found) in ({"PERMISSION_DENIED"}, {"GRAPHQL_VALIDATION_FAILED"}), (name, variables_, body)
    tally[found[0].lower()] += 1
    assert await dump(db) == before, (name, variables_)
    tally["unchanged"] += 1
