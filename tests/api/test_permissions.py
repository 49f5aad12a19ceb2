"""Every permission-protected field refuses the no-permission 'viewer' and anonymous callers, writing nothing."""

from __future__ import annotations

import pytest
from strawberry.utils.str_converters import to_camel_case

from parking.common.database import Database
from schema.accounts.mutations import AccountsMutation
from schema.accounts.queries import AccountsQuery
from schema.root import build_schema
from schema.tenancy.mutations import TenancyMutation
from schema.tenancy.queries import TenancyQuery
from tests.api.helpers import dump
from tests.conftest import GraphQL
from tests.factories import World, build_world

ERR = "... on Error { code }"

# Each protected field with arguments that would succeed for a permitted caller; {name} are world ids.
PROTECTED: dict[str, str] = {
    "operators": "query { operators { items { id } } }",
    "roles": "query { roles { items { id } } }",
    "apiKeys": "query { apiKeys { items { id } } }",
    "auditLog": "query { auditLog { items { id } } }",
    "agents": "query { agents { items { id } } }",
    "agent": 'query { agent(id: "{agent:A}") { id } }',
    "customers": "query { customers { items { id } } }",
    "customer": 'query { customer(id: "{customer:A1}") { id } }',
    "lots": "query { lots { items { id } } }",
    "lot": 'query { lot(id: "{lot:A1a}") { id } }',
    "lanes": "query { lanes { items { id } } }",
    "devices": "query { devices { items { id } } }",
    "roleCreate": 'mutation { roleCreate(input: {name: "R", permissions: []}) { __typename } }',
    "roleUpdate": 'mutation { roleUpdate(id: "{role:none}", input: {name: "R2"}) { __typename } }',
    "roleDelete": 'mutation { roleDelete(id: "{role:none}") { __typename } }',
    "operatorCreate": 'mutation { operatorCreate(input: {username: "newbie", password: "long enough 1",'
    ' roleId: "{role:none}", scope: {level: AGENT, agentId: "{agent:A}"}}) { __typename } }',
    "operatorUpdate": 'mutation { operatorUpdate(id: "{operator:agentA}", input: {isActive: false}) { __typename } }',
    "operatorDelete": 'mutation { operatorDelete(id: "{operator:custA1}") { __typename } }',
    "apiKeyCreate": 'mutation { apiKeyCreate(input: {name: "K", permissions: [],'
    ' scope: {level: AGENT, agentId: "{agent:A}"}}) { __typename } }',
    "apiKeyRevoke": 'mutation { apiKeyRevoke(id: "1") { __typename } }',
    "agentCreate": 'mutation { agentCreate(input: {name: "Agent Z"}) { __typename } }',
    "agentUpdate": 'mutation { agentUpdate(id: "{agent:A}", input: {name: "Z"}) { __typename } }',
    "customerCreate": 'mutation { customerCreate(input: {agentId: "{agent:A}", name: "Z"}) { __typename } }',
    "customerUpdate": 'mutation { customerUpdate(id: "{customer:A1}", input: {name: "Z"}) { __typename } }',
    "lotCreate": 'mutation { lotCreate(input: {customerId: "{customer:A1}", name: "Z", capacity: 1}) { __typename } }',
    "lotUpdate": 'mutation { lotUpdate(id: "{lot:A1a}", input: {capacity: 1}) { __typename } }',
    "lotDelete": 'mutation { lotDelete(id: "{lot:A1a}") { __typename } }',
    "areaCreate": 'mutation { areaCreate(input: {lotId: "{lot:A1a}", name: "Z", capacity: 1}) { __typename } }',
    "areaUpdate": 'mutation { areaUpdate(id: "1", input: {capacity: 1}) { __typename } }',
    "laneCreate": 'mutation { laneCreate(input: {lotId: "{lot:A1a}", name: "Z", direction: EXIT}) { __typename } }',
    "laneUpdate": 'mutation { laneUpdate(id: "{lane:A1a}", input: {isActive: false}) { __typename } }',
    "laneRotateQr": 'mutation { laneRotateQr(id: "{lane:A1a}") { __typename } }',
    "laneDelete": 'mutation { laneDelete(id: "{lane:A1a}") { __typename } }',
    "deviceCreate": 'mutation { deviceCreate(input: {lotId: "{lot:A1a}", kind: CAMERA, name: "Z", serial: "S1"})'
    " { __typename } }",
    "deviceUpdate": 'mutation { deviceUpdate(id: "1", input: {name: "Z"}) { __typename } }',
    "deviceDelete": 'mutation { deviceDelete(id: "1") { __typename } }',
}


def fill(doc: str, world: World) -> str:
    for key, value in world.ids.items():
        doc = doc.replace("{" + key + "}", str(value))
    return doc


# The domains whose every protected field is listed above. Vehicles, records and tariffs test their own
# refusals in their suites; adding their fields here is open work (see the foundation issue's note).
COVERED_DOMAINS = (TenancyQuery, TenancyMutation, AccountsQuery, AccountsMutation)


def test_the_list_covers_every_field_that_requires_a_permission() -> None:
    # Given the covered domains' root fields, the protected ones are exactly those tested here.
    schema = build_schema()._schema
    covered = {to_camel_case(name) for cls in COVERED_DOMAINS for name in vars(cls) if not name.startswith("_")}
    protected = {
        name
        for root in (schema.query_type, schema.mutation_type)
        if root is not None
        for name, field in root.fields.items()
        if "Requires the `" in (field.description or "") and name in covered
    }
    assert protected == set(PROTECTED)


@pytest.mark.parametrize("caller", ["viewer", "anonymous"])
async def test_protected_fields_refuse_callers_without_permission(db: Database, gql: GraphQL, caller: str) -> None:
    world = await build_world(db)
    token = world.tokens.get(caller)
    before = await dump(db)
    codes: dict[str, list[str]] = {}
    for name, doc in PROTECTED.items():
        body = await gql(fill(doc, world), token=token)
        assert body["data"] is None or body["data"].get(name) is None, (name, body)
        codes[name] = [e.get("extensions", {}).get("code") for e in body.get("errors", [])]
    assert codes == {name: ["PERMISSION_DENIED"] for name in PROTECTED}
    assert await dump(db) == before


async def test_viewer_sees_itself_through_me(db: Database, gql: GraphQL) -> None:
    # The unprotected 'me' still answers a caller without permissions, with an empty permission list.
    world = await build_world(db)
    body = await gql("{ me { name permissions scopeLevel } }", token=world.tokens["viewer"])
    assert body == {"data": {"me": {"name": "viewer", "permissions": [], "scopeLevel": "AGENT"}}}


async def test_anonymous_me_is_null(db: Database, gql: GraphQL) -> None:
    await build_world(db)
    body = await gql("{ me { name } }")
    assert body == {"data": {"me": None}}
