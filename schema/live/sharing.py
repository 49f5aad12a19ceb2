"""Which subscriptions may be resolved once for many subscribers, and under what key.

Consoles open the same subscriptions (the same document and variables) by the hundred. A subscription whose
events are a function of the selection, the variables and the caller's scope and permissions only gives every
such subscriber the same payload, so api/live_feeds.py resolves and serialises each event once per key and
writes the same payload to each subscriber. The scope is part of the key: two tenants never share a feed.
"""

from __future__ import annotations

import json
from collections.abc import Hashable
from dataclasses import dataclass
from functools import lru_cache

from graphql import FieldNode, GraphQLError, OperationType, get_operation_ast, parse

from schema.core.context import Context

# Root fields whose stream depends on the selection, the variables, the scope and the permissions alone: no
# per-subscriber first message (paymentStatus sends the order as it is when subscribing) and nothing read from
# the operator's own row (couponEvents looks up the operator's merchant).
SHAREABLE_FIELDS = frozenset({"laneEvents", "alarms", "deviceStatus"})

# Longer documents are left to strawberry alone (which applies its token limit before parsing them).
MAX_SHARED_QUERY_CHARS = 4000
MAX_SHARED_TOKENS = 2000


@dataclass(frozen=True, slots=True)
class FeedKey:
    """What two subscribers must have in common to receive the very same payloads."""

    query: str
    operation_name: str | None
    variables: str
    scope: Hashable


@lru_cache(maxsize=512)
def _shareable_operation(query: str, operation_name: str | None) -> bool:
    try:
        document = parse(query, no_location=True, max_tokens=MAX_SHARED_TOKENS)
    except GraphQLError:
        return False  # strawberry reports it, with its code
    operation = get_operation_ast(document, operation_name)
    if operation is None or operation.operation is not OperationType.SUBSCRIPTION:
        return False
    selections = operation.selection_set.selections
    # One plain root field (a fragment spread or several fields is a validation error for strawberry to report).
    return (
        len(selections) == 1
        and isinstance(field := selections[0], FieldNode)
        and field.name.value in (SHAREABLE_FIELDS)
    )


def scope_key(ctx: Context) -> Hashable | None:
    """Everything of the caller that a shareable subscription's payloads depend on; None: not shareable."""
    actor = ctx.actor
    if actor is None:
        return None
    # Scope is frozen (level, tenant ids, lot set, merchant, system): equal scopes see exactly the same rows.
    return (actor.scope, actor.permissions)


def feed_key(ctx: Context, query: object, variables: object, operation_name: object) -> FeedKey | None:
    """The key of the shared feed this subscription may join, or None when it must run on its own."""
    if not isinstance(query, str) or len(query) > MAX_SHARED_QUERY_CHARS:
        return None
    if operation_name is not None and not isinstance(operation_name, str):
        return None
    if variables is not None and not isinstance(variables, dict):
        return None
    scope = scope_key(ctx)
    if scope is None or not _shareable_operation(query, operation_name):
        return None
    try:
        canonical = json.dumps(variables or {}, sort_keys=True, separators=(",", ":"))
    except (TypeError, ValueError):
        return None
    return FeedKey(query=query, operation_name=operation_name, variables=canonical, scope=scope)
