"""Every permission-protected root field, in every domain, refuses the no-permission 'viewer' and anonymous callers
and writes nothing; a guard over the whole schema fails on a protected field that has no case here."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from strawberry.permission import PermissionExtension

from parking.common.database import Database
from schema.core.permissions import HasPermission
from schema.root import build_schema
from tests.api.helpers import dump
from tests.conftest import GraphQL
from tests.factories import World, build_world

ERR = "... on Error { code }"

# Each protected root field, with arguments the schema accepts ({name} are world ids). The permission check runs
# before any id is looked up, so the refusal is the same whether the row exists or not.
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
    "deviceRefusals": "query { deviceRefusals { items { id } } }",
    # Devices: registration, secrets, commands.
    "deviceCommands": "query { deviceCommands { items { id } } }",
    "deviceConfigSchema": "query { deviceConfigSchema }",
    "deviceRegister": 'mutation { deviceRegister(input: {lotId: "{lot:A1a}", kind: CAMERA, name: "Z", serial: "S9",'
    " config: {}}) { __typename } }",
    "deviceRotateSecret": 'mutation { deviceRotateSecret(id: "1") { __typename } }',
    "deviceCommandSend": 'mutation { deviceCommandSend(deviceId: "1", kind: REBOOT, reason: "Z") { __typename } }',
    "alarmOpenFaultTicket": 'mutation { alarmOpenFaultTicket(alarmId: "1") { __typename } }',
    # Vehicles and owners.
    "owners": "query { owners { items { id } } }",
    "owner": 'query { owner(id: "1") { id } }',
    "vehicles": "query { vehicles { items { id } } }",
    "vehicle": 'query { vehicle(id: "1") { id } }',
    "vehicleGroups": "query { vehicleGroups { items { id } } }",
    "listEntries": "query { listEntries { items { id } } }",
    "passProducts": "query { passProducts { items { id } } }",
    "passes": "query { passes { items { id } } }",
    "pass": 'query { pass(id: "1") { id } }',
    "ownerCreate": 'mutation { ownerCreate(input: {lotId: "{lot:A1a}", name: "Z", phone: "13800000000"})'
    " { __typename } }",
    "ownerUpdate": 'mutation { ownerUpdate(id: "1", input: {name: "Z"}) { __typename } }',
    "ownerDelete": 'mutation { ownerDelete(id: "1") { __typename } }',
    "vehicleCreate": 'mutation { vehicleCreate(input: {lotId: "{lot:A1a}", plate: "京A12345", plateColor: BLUE,'
    " vehicleClass: SMALL}) { __typename } }",
    "vehicleUpdate": 'mutation { vehicleUpdate(id: "1", input: {note: "Z"}) { __typename } }',
    "vehicleDelete": 'mutation { vehicleDelete(id: "1") { __typename } }',
    "vehicleGroupCreate": 'mutation { vehicleGroupCreate(input: {lotId: "{lot:A1a}", name: "Z", spaces: 1})'
    " { __typename } }",
    "vehicleGroupUpdate": 'mutation { vehicleGroupUpdate(id: "1", input: {spaces: 2}) { __typename } }',
    "walletTopUp": 'mutation { walletTopUp(input: {ownerId: "1", amountFen: 100, reason: "Z", reference: "R1"})'
    " { __typename } }",
    "walletDebit": 'mutation { walletDebit(input: {ownerId: "1", amountFen: 100, reason: "Z", reference: "R2"})'
    " { __typename } }",
    "listEntryCreate": 'mutation { listEntryCreate(input: {lotId: "{lot:A1a}", plate: "京A12345", category: VIP,'
    ' validFrom: "2026-11-01T00:00:00Z", reason: "Z"}) { __typename } }',
    "listEntryUpdate": 'mutation { listEntryUpdate(id: "1", input: {reason: "Z"}) { __typename } }',
    "listEntryDelete": 'mutation { listEntryDelete(id: "1") { __typename } }',
    "passProductCreate": 'mutation { passProductCreate(input: {lotId: "{lot:A1a}", name: "Z", category: MONTHLY,'
    " period: MONTH, priceFen: 30000, vehicleClass: SMALL, isActive: true}) { __typename } }",
    "passProductUpdate": 'mutation { passProductUpdate(id: "1", input: {priceFen: 1}) { __typename } }',
    "passCreate": 'mutation { passCreate(input: {productId: "1", startsAt: "2026-11-01T00:00:00Z"}) { __typename } }',
    "passUpdate": 'mutation { passUpdate(id: "1", input: {}) { __typename } }',
    "passRenew": 'mutation { passRenew(id: "1", periods: 1, method: "cash") { __typename } }',
    # Records, payments, merchants, alarms and faults.
    "parkingSessions": "query { parkingSessions { items { id } } }",
    "laneEvents": "query { laneEvents { items { id } } }",
    "gateCommands": "query { gateCommands { items { id } } }",
    "alarms": "query { alarms { items { id } } }",
    "paymentOrders": "query { paymentOrders { items { id } } }",
    "refunds": "query { refunds { items { id } } }",
    "invoices": "query { invoices { items { id } } }",
    "merchants": "query { merchants { items { id } } }",
    "coupons": "query { coupons { items { id } } }",
    "faultTickets": "query { faultTickets { items { id } } }",
    "merchantCreate": 'mutation { merchantCreate(input: {lotId: "{lot:A1a}", name: "Z", phone: "13800000000"})'
    " { __typename } }",
    "merchantUpdate": 'mutation { merchantUpdate(id: "1", input: {name: "Z"}) { __typename } }',
    "faultTicketCreate": 'mutation { faultTicketCreate(input: {lotId: "{lot:A1a}", title: "Z", description: "D"})'
    " { __typename } }",
    "faultTicketUpdate": 'mutation { faultTicketUpdate(id: "1", input: {title: "Z"}) { __typename } }',
    "alarmAcknowledge": 'mutation { alarmAcknowledge(id: "1") { __typename } }',
    "alarmResolve": 'mutation { alarmResolve(id: "1", resolution: "Z") { __typename } }',
    # Payments and refunds.
    "paymentRecordCash": 'mutation { paymentRecordCash(sessionId: "1", amountFen: 100) { __typename } }',
    "refundRequest": 'mutation { refundRequest(orderId: "1", amountFen: 100, reason: "Z") { __typename } }',
    "refundApprove": 'mutation { refundApprove(id: "1") { __typename } }',
    "refundReject": 'mutation { refundReject(id: "1") { __typename } }',
    # Cloud seat (云座席): remote opening and corrections at a lane.
    "laneRemoteOpen": 'mutation { laneRemoteOpen(laneId: "{lane:A1a}", reason: "Z") { __typename } }',
    "sessionCorrectPlate": 'mutation { sessionCorrectPlate(sessionId: "1", plate: "京A12345", reason: "Z")'
    " { __typename } }",
    "exitMatchSession": 'mutation { exitMatchSession(eventId: "1", sessionId: "1") { __typename } }',
    "sessionWaiveFee": 'mutation { sessionWaiveFee(sessionId: "1", reason: "Z") { __typename } }',
    # Cloud recognition: the correction queue.
    "correctionTasks": "query { correctionTasks { items { id } } }",
    "correctionTaskResolve": 'mutation { correctionTaskResolve(id: "1", plate: "京A12345") { __typename } }',
    # Settlement and reconciliation.
    "settlementStatements": 'query { settlementStatements(dayFrom: "2026-11-01", dayTo: "2026-11-02")'
    " { items { id } } }",
    "customerSettlement": 'query { customerSettlement(customerId: "{customer:A1}", day: "2026-11-01")'
    " { lotsSettled } }",
    "reconciliation": 'query { reconciliation(channel: "wechatpay", day: "2026-11-01") { matched } }',
    "reconciliationLines": 'query { reconciliationLines(channel: "wechatpay", day: "2026-11-01") { items { id } } }',
    # Tariffs.
    "tariffVersions": 'query { tariffVersions(lotId: "{lot:A1a}") { id } }',
    "quoteFee": 'query { quoteFee(lotId: "{lot:A1a}", vehicleClass: SMALL, entryAt: "2026-11-01T08:00:00Z",'
    ' exitAt: "2026-11-01T10:00:00Z", plateColor: BLUE, category: TEMPORARY) { __typename } }',
    "simulateFees": 'query { simulateFees(lotId: "{lot:A1a}", vehicleClass: SMALL, durations: [60]) { __typename } }',
    "tariffVersionCreate": 'mutation { tariffVersionCreate(input: {lotId: "{lot:A1a}", vehicleClass: SMALL,'
    " document: {}}) { __typename } }",
}


def fill(doc: str, world: World) -> str:
    for key, value in world.ids.items():
        doc = doc.replace("{" + key + "}", str(value))
    return doc


# Root fields anyone may call: who am I, what permissions exist, logging in, and a driver paying for a stay
# (the driver has no operator login; the order number is the key).
PUBLIC = {"me", "permissionCatalogue", "login", "paymentCreate", "paymentStatus"}
REQUIRES = re.compile(r"Requires the `([^`]+)` permission")


# Subscriptions run over a websocket, not this suite's HTTP client: each protected one names the test module
# that refuses a caller without the permission (checked below to exist and to assert PERMISSION_DENIED).
SUBSCRIPTIONS_REFUSED_IN = {
    "laneEvents": "tests/realtime/test_lane_and_device_subscriptions.py",
    "deviceStatus": "tests/realtime/test_lane_and_device_subscriptions.py",
    "alarms": "tests/realtime/test_alarm_subscription.py",
    "paymentStatus": "tests/payments/test_payment_subscription.py",
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
    protected = {name for name, f in fields.items() if REQUIRES.findall(f.description or "")}
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
    }


def test_every_protected_field_has_a_refusal_case() -> None:
    # Given the whole schema, including fields other domains add later: each root field is public by name or
    # requires a permission, and each one that requires a permission is exercised by the refusal tests below.
    fields = _root_fields()
    described = {name: set(REQUIRES.findall(f.description or "")) for name, f in fields.items()}
    protected = {name for name, f in fields.items() if described[name] or _enforced(f)}
    assert sorted(set(fields) - protected - PUBLIC) == [], "root fields with neither a permission nor a place in PUBLIC"
    assert sorted(protected - set(PROTECTED)) == [], "protected fields with no case in PROTECTED"
    assert sorted(set(PROTECTED) - protected) == [], "cases for fields that are gone or no longer protected"


def test_the_described_permission_is_the_enforced_one() -> None:
    # What clients read in the schema is what the server checks, for every field with a permission extension.
    fields = _root_fields()
    mismatched = {
        name: (sorted(REQUIRES.findall(f.description or "")), sorted(_enforced(f)))
        for name, f in fields.items()
        if _enforced(f) and set(REQUIRES.findall(f.description or "")) != _enforced(f)
    }
    assert mismatched == {}


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
