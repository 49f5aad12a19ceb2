"""Request limits (depth, aliases, tokens) refuse oversized queries; a repeated query is validated only once."""

from __future__ import annotations

import uuid
from typing import Any, cast

from strawberry.extensions import ValidationCache

from parking.common.database import Database
from schema.core.limits import CACHE_SIZE
from tests.api.helpers import code_of
from tests.conftest import GraphQL
from tests.factories import build_world


async def test_too_deep_a_query_is_refused(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    # lots > items > (lanes > lot) x 5 > name: deeper than the limit of 10.
    deep = "{ lots { items {" + " lanes { lot {" * 5 + " name" + " } }" * 5 + " } } }"
    body = await gql(deep, token=world.tokens["platform"])
    assert code_of(body) == "GRAPHQL_VALIDATION_FAILED"
    assert "exceeds maximum operation depth of 10" in body["errors"][0]["message"]
    assert body.get("data") is None


async def test_too_many_aliases_are_refused(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    aliased = "{ " + " ".join(f"a{i}: me {{ id }}" for i in range(31)) + " }"
    body = await gql(aliased, token=world.tokens["platform"])
    assert code_of(body) == "GRAPHQL_VALIDATION_FAILED"
    assert "31 aliases found. Allowed: 30" in body["errors"][0]["message"]


async def test_too_many_tokens_are_refused(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    body = await gql("{ " + "me { id } " * 600 + "}", token=world.tokens["platform"])
    assert code_of(body) == "GRAPHQL_VALIDATION_FAILED"
    assert "Document contains more than 2000 tokens" in body["errors"][0]["message"]


async def test_a_syntax_error_has_a_code(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    body = await gql("{ me { id ", token=world.tokens["platform"])
    assert code_of(body) == "GRAPHQL_VALIDATION_FAILED"
    assert body["errors"][0]["message"] == "Syntax Error: Expected Name, found <EOF>."


async def test_a_repeated_query_is_validated_once(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    # A query text no other test sends, so the shared cache has not seen it.
    query = f"query Q{uuid.uuid4().hex} {{ lots {{ items {{ name }} }} }}"
    # The cache is an lru_cache shared by every ValidationCache of that size.
    cache = cast(Any, ValidationCache(maxsize=CACHE_SIZE).cached_validate_document)
    before = cache.cache_info()
    first = await gql(query, token=world.tokens["platform"])
    second = await gql(query, token=world.tokens["platform"])
    after = cache.cache_info()
    assert first == second
    assert first.get("errors") is None, first
    assert (after.misses - before.misses, after.hits - before.hits) == (1, 1)
