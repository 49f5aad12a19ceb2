"""Every permission-protected field of the schema, in every domain, refuses a caller without its permission and
writes nothing.

The protected fields are read from the schema the app serves and each is called with a document built from its
own arguments (tests/api/calls.py), so a field added later is covered without a case written for it. Four
callers are refused: anonymous and one whose token is signed with another key (both UNAUTHENTICATED), the
agent-scoped 'viewer' with no permissions, and, field by field, a
platform operator holding every permission but the one the field requires, which shows the refusal comes from
that permission and not from the caller's scope or from some other check.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from pathlib import Path
from typing import Any

import pytest
from graphql import GraphQLInterfaceType, GraphQLObjectType
from strawberry.permission import PermissionExtension

from parking.common.database import Database
from schema.core.permissions import HasAnyPermission, HasPermission
from schema.root import build_schema
from tests.api.calls import call
from tests.api.helpers import dump, operators_lacking
from tests.conftest import GraphQL
from tests.factories import build_world

# Root fields anyone may call: who am I, what permissions exist, logging in, a driver paying for a stay (the
# driver has no operator login; the order number is the key), a driver scanning a parking code, a merchant's
# operator joining with the lot's invite code, and off-peak passes listed and bought online.
PUBLIC = {
    "me",
    "permissionCatalogue",
    "login",
    "paymentCreate",
    "paymentStatus",
    "codeScan",
    "merchantJoin",
    "offPeakProducts",
    "passBuy",
    # The mini-program (docs/miniprogram-api.md): a driver's token or none; an operator's own WeChat binding.
    "myPlates",
    "plateBind",
    "plateUnbind",
    "plateStays",
    "plateHistory",
    "lotsNearby",
    "subscribeTemplates",
    "operatorWechatBind",
    "operatorWechatLogin",
    # E-invoices (docs/invoices.md): the driver's own, by driver token.
    "invoiceRequest",
    "myInvoices",
    "invoiceablePayments",
}
REQUIRES = re.compile(r"Requires the `([^`]+)` permission")
# A field open to holders of any of several permissions (schema.core.permissions.describe_any).
REQUIRES_ANY = re.compile(r"Requires one of the permissions ((?:`[^`]+`(?:, )?)+)\.")


def _described(description: str | None) -> set[str]:
    """The permissions a field's description names: one, or any of several (a caller lacking all is refused)."""
    text = description or ""
    named = set(REQUIRES.findall(text))
    for group in REQUIRES_ANY.findall(text):
        named |= set(re.findall(r"`([^`]+)`", group))
    return named


# Subscriptions run over a websocket, not this suite's HTTP client: each protected one names the test module
# that refuses a caller without the permission (checked below to exist and to assert PERMISSION_DENIED).
SUBSCRIPTIONS_REFUSED_IN = {
    "laneEvents": "tests/realtime/test_lane_and_device_subscriptions.py",
    "deviceStatus": "tests/realtime/test_lane_and_device_subscriptions.py",
    "alarms": "tests/realtime/test_alarm_subscription.py",
    "paymentStatus": "tests/payments/test_payment_subscription.py",
    "couponEvents": "tests/realtime/test_coupon_subscription.py",
}
# Nested fields with a permission of their own, and the test module that refuses a caller without it.
NESTED_REFUSED_IN = {
    "LotOccupancy.tariffs": "tests/overview/test_overview_queries.py",
}
ROOT = Path(__file__).resolve().parents[2]


def _root_fields() -> dict[str, Any]:
    """Every query and mutation field of the schema the app serves, by name."""
    schema = build_schema()._schema
    roots = (schema.query_type, schema.mutation_type)
    return {name: field for root in roots if root is not None for name, field in root.fields.items()}


def test_every_protected_subscription_has_a_refusal_test() -> None:
    schema = build_schema()._schema
    fields = schema.subscription_type.fields if schema.subscription_type is not None else {}
    protected = {name for name, f in fields.items() if _described(f.description)}
    assert sorted(set(fields) - protected) == [], "subscriptions with no permission"
    assert sorted(protected) == sorted(SUBSCRIPTIONS_REFUSED_IN)
    for name, module in SUBSCRIPTIONS_REFUSED_IN.items():
        text = (ROOT / module).read_text()
        assert name in text, (name, module)
        assert "PERMISSION_DENIED" in text, module


def _enforced(field: Any) -> set[str]:
    """The permissions a field's permission extension checks before its resolver runs."""
    definition = (field.extensions or {}).get("strawberry-definition")
    return {
        permission.permission
        for extension in getattr(definition, "extensions", [])
        if isinstance(extension, PermissionExtension)
        for permission in extension.permissions
        if isinstance(permission, HasPermission)
    } | {
        name
        for extension in getattr(definition, "extensions", [])
        if isinstance(extension, PermissionExtension)
        for permission in extension.permissions
        if isinstance(permission, HasAnyPermission)
        for name in permission.permissions
    }


def _required(field: Any) -> frozenset[str]:
    """The permissions a field requires: those its description names and those its extension checks."""
    return frozenset(_described(field.description)) | _enforced(field)


def protected_fields() -> dict[str, frozenset[str]]:
    """Every protected query and mutation field, with the permissions it requires."""
    return {name: needs for name, field in _root_fields().items() if (needs := _required(field))}


def test_every_root_field_is_protected_or_public_by_name() -> None:
    # Given the whole schema, including fields other domains add later: a root field without a permission
    # is one somebody decided is public, not one somebody forgot.
    fields = _root_fields()
    assert sorted(set(fields) - set(protected_fields()) - PUBLIC) == [], "root fields with no permission"
    assert sorted(PUBLIC - set(fields)) == [], "public fields that are gone"
    assert sorted(PUBLIC & set(protected_fields())) == [], "public fields that now require a permission"


def test_permissions_sit_on_root_fields_only() -> None:
    # The refusal test calls root fields. A permission on a nested field would need a path to reach it: this
    # fails first, so whoever adds one extends the refusal test instead of leaving the field unchecked.
    schema = build_schema()._schema
    roots = {t.name for t in (schema.query_type, schema.mutation_type, schema.subscription_type) if t is not None}
    nested = sorted(
        f"{type_name}.{name}"
        for type_name, type_ in schema.type_map.items()
        if type_name not in roots and isinstance(type_, GraphQLObjectType | GraphQLInterfaceType)
        for name, field in type_.fields.items()
        if _required(field)
    )
    assert nested == sorted(NESTED_REFUSED_IN)
    for name, module in NESTED_REFUSED_IN.items():
        text = (ROOT / module).read_text()
        assert name.split(".")[1] in text, (name, module)
        assert "PERMISSION_DENIED" in text, module


def test_the_described_permission_is_the_enforced_one() -> None:
    # What clients read in the schema is what the server checks, for every field with a permission extension.
    fields = _root_fields()
    mismatched = {
        name: (sorted(_described(f.description)), sorted(_enforced(f)))
        for name, f in fields.items()
        if _enforced(f) and _described(f.description) != _enforced(f)
    }
    assert mismatched == {}


def signed_with_another_key(token: str) -> str:
    """The same claims signed with another process's key (a forged token, or one from another deployment)."""
    body = token.partition(".")[0]
    signature = hmac.new(b"another-process-key", body.encode(), hashlib.sha256).digest()
    return f"{body}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"


@pytest.mark.parametrize("caller", ["lacking", "viewer", "anonymous", "forged"])
async def test_protected_fields_refuse_callers_without_permission(db: Database, gql: GraphQL, caller: str) -> None:
    # Given the world and, for every protected field, a caller without the permission it requires
    schema = build_schema()._schema
    fields = protected_fields()
    assert set(fields) == set(_root_fields()) - PUBLIC  # every root field a caller might be refused
    world = await build_world(db)
    lacking = await operators_lacking(db, set(fields.values()))
    before = await dump(db)
    # When each field is called
    codes: dict[str, list[str]] = {}
    for name, needs in fields.items():
        token = (
            lacking[needs]
            if caller == "lacking"
            else signed_with_another_key(world.tokens["platform"])
            if caller == "forged"
            else world.tokens.get(caller)
        )
        body = await gql(call(schema, name, world), token=token)
        assert body["data"] is None or body["data"].get(name) is None, (name, body)
        codes[name] = [e.get("extensions", {}).get("code") for e in body.get("errors", [])]
    # Then every one is refused for its permission (nobody signed in, or a token that does not verify: as
    # unauthenticated, which clients answer with a new sign-in), and not a row of any table changed
    refusal = "UNAUTHENTICATED" if caller in {"anonymous", "forged"} else "PERMISSION_DENIED"
    assert codes == {name: [refusal] for name in fields}
    assert await dump(db) == before


async def test_an_operator_holding_the_permission_is_not_refused(db: Database, gql: GraphQL) -> None:
    # The same generated calls pass the permission check for an operator that has every permission, so the
    # refusals above come from the missing permission, not from a call the server would refuse anyway.
    schema = build_schema()._schema
    world = await build_world(db)
    refused = []
    for name in protected_fields():
        body = await gql(call(schema, name, world), token=world.tokens["platform"])
        if any(e.get("extensions", {}).get("code") == "PERMISSION_DENIED" for e in body.get("errors", [])):
            refused.append(name)
    assert refused == []


async def test_viewer_sees_itself_through_me(db: Database, gql: GraphQL) -> None:
    # The unprotected 'me' still answers a caller without permissions, with an empty permission list.
    world = await build_world(db)
    body = await gql("{ me { name permissions scopeLevel } }", token=world.tokens["viewer"])
    assert body == {"data": {"me": {"name": "viewer", "permissions": [], "scopeLevel": "AGENT"}}}


async def test_anonymous_me_is_null(db: Database, gql: GraphQL) -> None:
    await build_world(db)
    body = await gql("{ me { name } }")
    assert body == {"data": {"me": None}}
