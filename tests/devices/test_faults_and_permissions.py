"""A device alarm opens a fault ticket; every device field refuses callers without its permission."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hardware.simulators.snmp_agent import SnmpAgentSimulator
from parking.alarms.models import Alarm
from parking.common.database import Database
from parking.common.scope import Scope
from parking.devices.poller import poll_lot
from parking.faults.models import FaultTicket
from tests.api.helpers import code_of, dump
from tests.conftest import GraphQL
from tests.devices.conftest import REGISTER, call, snmp_config
from tests.factories import build_world

OPEN_TICKET = (
    "mutation($a: ID!, $t: String) { x: alarmOpenFaultTicket(alarmId: $a, title: $t) {"
    " ... on FaultTicketSuccess { ticket { id title status } } ... on FaultError { code message field } } }"
)


async def test_a_device_offline_alarm_opens_one_fault_ticket(
    db: Database, gql: GraphQL, snmp_agent: SnmpAgentSimulator
) -> None:
    # given an SNMP device that went offline
    world = await build_world(db)
    variables = {
        "input": {
            "lotId": world.id("lot:A1a"),
            "kind": "CAMERA",
            "name": "Cam 3",
            "config": snmp_config(snmp_agent.port),
        }
    }
    device_id = int((await call(gql, world.tokens["custA1"], REGISTER, variables))["device"]["id"])
    snmp_agent.silent = True
    await poll_lot(db, world.ids["lot:A1a"])
    async with db.session(Scope.internal()) as s:
        alarm = (await s.scalars(select(Alarm))).one()
    # when a technician's ticket is opened from the alarm, twice
    first = await call(gql, world.tokens["custA1"], OPEN_TICKET, {"a": str(alarm.id), "t": None})
    before = await dump(db)
    second = await call(gql, world.tokens["custA1"], OPEN_TICKET, {"a": str(alarm.id), "t": "again"})
    # then one ticket carries the alarm's lot, device and message; the second is refused
    assert first["ticket"]["status"] == "OPEN"
    assert first["ticket"]["title"] == alarm.message[:100]
    async with db.session(Scope.internal()) as s:
        ticket = await s.get(FaultTicket, int(first["ticket"]["id"]))
    assert ticket is not None
    assert (ticket.lot_id, ticket.device_id, ticket.alarm_id, ticket.reported_by_id) == (
        world.ids["lot:A1a"],
        device_id,
        alarm.id,
        world.ids["operator:custA1"],
    )
    assert ticket.description.startswith("device_offline: 设备 Cam 3（02:00:00:00:00:01）离线：已")
    assert (second["code"], second["field"]) == ("DUPLICATE", "alarmId")
    assert await dump(db) == before
    # and an alarm of another tenant is not found
    other = await call(gql, world.tokens["agentB"], OPEN_TICKET, {"a": str(alarm.id), "t": None})
    assert (other["code"], other["field"]) == ("NOT_FOUND", "alarmId")


PROTECTED = {
    "deviceRegister": 'mutation { deviceRegister(input: {lotId: "{lot}", kind: CAMERA, name: "Z", config: {}})'
    " { __typename } }",
    "deviceRotateSecret": 'mutation { deviceRotateSecret(id: "1") { __typename } }',
    "deviceCommandSend": 'mutation { deviceCommandSend(deviceId: "1", kind: OPEN_GATE) { __typename } }',
    "alarmOpenFaultTicket": 'mutation { alarmOpenFaultTicket(alarmId: "1") { __typename } }',
    "deviceCommands": "query { deviceCommands { items { id } } }",
    "deviceConfigSchema": "query { deviceConfigSchema }",
}


@pytest.mark.parametrize("field", sorted(PROTECTED))
async def test_device_fields_refuse_an_operator_without_permission(db: Database, gql: GraphQL, field: str) -> None:
    world = await build_world(db)
    before = await dump(db)
    body = await gql(PROTECTED[field].replace("{lot}", world.id("lot:A1a")), token=world.tokens["viewer"])
    assert code_of(body) == "PERMISSION_DENIED"
    assert await dump(db) == before


async def test_the_config_schema_lists_every_adapter_type(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    body = await gql("query { deviceConfigSchema }", token=world.tokens["custA1"])
    schema = body["data"]["deviceConfigSchema"]
    assert sorted(schema["discriminator"]["mapping"]) == [
        "camera_display",
        "camera_io",
        "generic_push",
        "hikvision_isapi",
        "hikvision_push",
        "http_heartbeat",
        "modbus_relay",
        "snmp",
        "vzenith",
    ]
