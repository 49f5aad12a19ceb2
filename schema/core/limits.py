"""Request limits (depth, aliases, tokens) and the parser and validation caches, set up once per schema.

strawberry's depth and alias limiters create a new validation rule class each time they are instantiated, and
extensions are instantiated per request; the validation cache keys on the rule classes, so with per-request
limiters every request missed the cache and was validated again. Here the rule classes are made once and
every request adds the same ones, so a repeated query is validated once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)

CACHE_SIZE = 512


class CachedParse(ParserCache):
    """strawberry's parser cache, except that a query that does not parse is left to strawberry to parse again.

    The cache parses in the parsing hook, outside strawberry's own error handling, so a syntax error (or a
    query over the token limit) skipped the error extensions and reached the client without a code. Leaving
    the document unset makes strawberry parse it where it reports the error like any validation error.
    """

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        try:
            context.graphql_document = self.cached_parse_document(context.query, **context.parse_options)
        except GraphQLError:
            context.graphql_document = None
        yield


def limit_extensions(*, max_depth: int, max_aliases: int, max_tokens: int) -> list[Callable[[], SchemaExtension]]:
    rules = [
        *QueryDepthLimiter(max_depth=max_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=max_aliases).validation_rules,
    ]
    return [
        lambda: CachedParse(maxsize=CACHE_SIZE),
        lambda: MaxTokensLimiter(max_token_count=max_tokens),
        lambda: AddValidationRules(rules),
        lambda: ValidationCache(maxsize=CACHE_SIZE),
    ]
