"""Which subscriptions may share a feed (schema/live/sharing.py), without a server: the key decides isolation."""

from __future__ import annotations

import dataclasses
from typing import Any, cast

import pytest

from parking.common.actor import Actor
from parking.common.database import Database
from parking.common.scope import Scope, ScopeLevel
from schema.core.context import Context
from schema.live.sharing import feed_key

ALARMS = "subscription ($lots: [ID!]) { alarms(lotIds: $lots) { change alarm { id } } }"
CUSTOMER = Scope(ScopeLevel.CUSTOMER, agent_id=1, customer_id=2)


def context(scope: Scope | None = CUSTOMER, permissions: frozenset[str] = frozenset({"alarms.view"})) -> Context:
    actor = None if scope is None else Actor(name="seat", scope=scope, permissions=permissions, operator_id=7)
    # The key reads the actor only: no database behind this context.
    no_db = cast(Database, None)
    return Context(
        db=no_db, actor=actor, request_id="r", secret_key="k", token_ttl_s=1, login_max_failures=1, login_lock_s=1
    )


def test_the_same_selection_in_the_same_scope_has_one_key_whoever_asks() -> None:
    other = Actor(name="other seat", scope=CUSTOMER, permissions=frozenset({"alarms.view"}), operator_id=8)
    other_operator = dataclasses.replace(context(), actor=other)
    # Variables in another order are the same variables.
    first = feed_key(context(), ALARMS, {"lots": ["1"], "x": 1}, None)
    second = feed_key(other_operator, ALARMS, {"x": 1, "lots": ["1"]}, None)

    assert first is not None
    assert first == second


@pytest.mark.parametrize(
    "other",
    [
        context(Scope(ScopeLevel.CUSTOMER, agent_id=1, customer_id=3)),
        context(Scope(ScopeLevel.LOT, agent_id=1, customer_id=2, lot_ids=frozenset({5}))),
        context(Scope(ScopeLevel.CUSTOMER, agent_id=1, customer_id=2, merchant_id=4)),
        context(CUSTOMER, frozenset({"alarms.view", "alarms.handle"})),
    ],
    ids=["another customer", "a lot seat of the customer", "a merchant of the customer", "more permissions"],
)
def test_another_scope_or_other_permissions_never_share(other: Context) -> None:
    assert feed_key(other, ALARMS, {"lots": ["1"]}, None) != feed_key(context(), ALARMS, {"lots": ["1"]}, None)


def test_other_variables_or_selection_do_not_share() -> None:
    key = feed_key(context(), ALARMS, {"lots": ["1"]}, None)

    assert feed_key(context(), ALARMS, {"lots": ["2"]}, None) != key
    assert feed_key(context(), ALARMS.replace("id }", "id status }"), {"lots": ["1"]}, None) != key


@pytest.mark.parametrize(
    ("query", "variables", "operation_name"),
    [
        # The payer's order is sent first, as it is when each subscriber subscribes.
        ('subscription { paymentStatus(outTradeNo: "P1") { status } }', None, None),
        # The operator's own merchant is looked up from its row.
        ('subscription { couponEvents(lotId: "1") { change } }', None, None),
        ("query { me { username } }", None, None),
        ('mutation { alarmAcknowledge(id: "1") { __typename } }', None, None),
        ("subscription {", None, None),
        ("subscription A { alarms { change } } subscription B { deviceStatus { id } }", None, None),
        ("subscription { ...F } fragment F on Subscription { alarms { change } }", None, None),
        (ALARMS, ["not", "a", "dict"], None),
        (ALARMS, None, 3),
        ("subscription { alarms { change } }" + " " * 5000, None, None),
    ],
)
def test_what_runs_on_its_own(query: str, variables: Any, operation_name: Any) -> None:
    assert feed_key(context(), query, variables, operation_name) is None


def test_a_connection_without_an_operator_runs_on_its_own() -> None:
    assert feed_key(context(None), ALARMS, {"lots": ["1"]}, None) is None


def test_a_named_operation_of_a_document_is_picked_out() -> None:
    document = "subscription A { alarms { change } } query B { me { username } }"

    assert feed_key(context(), document, None, "A") is not None
    assert feed_key(context(), document, None, "B") is None
