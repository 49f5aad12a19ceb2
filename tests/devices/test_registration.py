"""Registering a device through GraphQL probes it first: identity stored, unreachable kept as retrying."""

from __future__ import annotations

import asyncio
import socket
from typing import Any, cast

from sqlalchemy import select

from hardware.base import ManualClock
from hardware.simulators.modbus_barrier import ModbusBarrierSimulator
from hardware.simulators.snmp_agent import SnmpAgentSimulator
from parking.common.database import Database
from parking.common.events import EventBus, LocalBus, devices_topic
from parking.common.scope import Scope
from parking.devices.auth import hash_secret
from parking.devices.models import Device
from parking.devices.poller import poll_lot
from tests.api.helpers import dump
from tests.conftest import GraphQL
from tests.devices.conftest import REGISTER, call, free_port, modbus_config, snmp_config
from tests.factories import build_world


def _input(lot: str, config: dict[str, Any], **extra: object) -> dict[str, object]:
    return {"input": {"lotId": lot, "kind": "CONTROLLER", "name": "Gate 1", "config": config, **extra}}


async def test_a_reachable_modbus_barrier_is_registered_online_with_its_firmware(
    db: Database, gql: GraphQL, barrier_sim: ModbusBarrierSimulator
) -> None:
    # given a barrier answering on 127.0.0.1 and a listener on the lot's device topic
    world = await build_world(db)
    bus = LocalBus()
    db.bus = cast(EventBus, bus)  # LocalBus.listen is an asynccontextmanager; the Protocol spells it loosely
    lot = world.id("lot:A1a")
    async with bus.listen([devices_topic(int(lot))]) as events:
        # when it is registered (a relay board reports no serial, so one is given)
        result = await call(
            gql,
            world.tokens["custA1"],
            REGISTER,
            _input(lot, modbus_config(barrier_sim.port), serial="relay-1", laneId=world.id("lane:A1a")),
        )
        event = await asyncio.wait_for(anext(events), 5)
    # then it is online with what the device said about itself, and the secret is shown once
    device = result["device"]
    device_id = device.pop("id")
    assert device.pop("lastSeenAt") is not None
    assert device == {
        "kind": "CONTROLLER",
        "name": "Gate 1",
        "serial": "relay-1",
        "ip": "127.0.0.1",
        "protocol": "modbus_relay",
        "status": "ONLINE",
        "firmware": "2.4.1",
        "errorCount": 0,
        "consecutiveFailures": 0,
        "lastError": "",
    }
    assert event == (devices_topic(int(lot)), {"id": int(device_id)})
    async with db.session(Scope.internal()) as s:
        row = await s.get(Device, int(device_id))
    assert row is not None
    assert row.secret_hash == hash_secret(result["secret"])
    assert row.config == modbus_config(barrier_sim.port) | {
        "device_id": 1,
        "open_coil": 0,
        "close_coil": 1,
        "open_input": 0,
        "closed_input": 1,
        "loop_input": 2,
        "poll_interval_s": 0.1,
        "power_coil": None,
        "power_off_s": 3.0,
    }


async def test_an_snmp_device_is_keyed_by_its_mac(db: Database, gql: GraphQL, snmp_agent: SnmpAgentSimulator) -> None:
    # given an SNMP agent with MAC 02:00:00:00:00:01 / when it is registered without a serial
    world = await build_world(db)
    result = await call(
        gql, world.tokens["custA1"], REGISTER, _input(world.id("lot:A1a"), snmp_config(snmp_agent.port))
    )
    # then the MAC is its identity
    assert (result["device"]["serial"], result["device"]["status"]) == ("02:00:00:00:00:01", "ONLINE")


async def test_a_device_that_reports_no_identity_needs_a_serial_and_nothing_is_written(
    db: Database, gql: GraphQL, barrier_sim: ModbusBarrierSimulator
) -> None:
    world = await build_world(db)
    before = await dump(db)
    result = await call(
        gql, world.tokens["custA1"], REGISTER, _input(world.id("lot:A1a"), modbus_config(barrier_sim.port))
    )
    assert result == {
        "code": "INVALID",
        "message": "the device reports no serial or MAC: give its serial",
        "field": "serial",
    }
    assert await dump(db) == before


async def test_bad_configs_are_coded_errors_naming_the_field(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    lot = world.id("lot:A1a")
    before = await dump(db)
    cases: dict[str, dict[str, Any]] = {
        "config.port": {"type": "modbus_relay", "host": "127.0.0.1", "port": 0},
        "config.type": {"type": "teleporter", "host": "127.0.0.1"},
        "config.pulseMs": {"type": "modbus_relay", "host": "127.0.0.1", "pulse_ms": 99_999},
        "config.oids.uptime": {"type": "snmp", "host": "127.0.0.1", "oids": {"uptime": "not-an-oid"}},
        "config.colour": {"type": "snmp", "host": "127.0.0.1", "colour": "red"},
    }
    got = {}
    for field, config in cases.items():
        result = await call(gql, world.tokens["custA1"], REGISTER, _input(lot, config, serial="x-1"))
        got[field] = (result["code"], result["field"])
    assert got == {field: ("INVALID", field) for field in cases}
    assert await dump(db) == before


async def test_a_device_of_a_lot_out_of_scope_is_not_probed(db: Database, gql: GraphQL) -> None:
    # given an operator of customer A1 and a lot of agent B
    world = await build_world(db)
    port = free_port()
    before = await dump(db)
    result = await call(
        gql, world.tokens["custA1"], REGISTER, _input(world.id("lot:B1a"), modbus_config(port), serial="s")
    )
    assert (result["code"], result["field"]) == ("NOT_FOUND", "lotId")
    assert await dump(db) == before


async def test_an_unreachable_modbus_device_is_kept_retrying_then_reached_by_the_poller(
    db: Database, gql: GraphQL
) -> None:
    # given a barrier address where nothing listens yet
    world = await build_world(db)
    port = free_port()
    lot = world.id("lot:A1a")
    # when it is registered
    result = await call(gql, world.tokens["custA1"], REGISTER, _input(lot, modbus_config(port), serial="relay-9"))
    device = result["device"]
    # then it is kept, retrying, and listed so
    assert (device["status"], device["serial"], device["errorCount"]) == ("RETRYING", "relay-9", 1)
    assert "cannot connect" in device["lastError"] or "refused" in device["lastError"]
    listed = await gql(
        "query($l: ID!) { devices(filter: {lotId: $l, status: RETRYING}) { items { id status } } }",
        {"l": lot},
        token=world.tokens["custA1"],
    )
    assert listed["data"]["devices"]["items"] == [{"id": device["id"], "status": "RETRYING"}]
    # when the barrier comes up and the poller runs
    async with ModbusBarrierSimulator(port=port, clock=ManualClock(), revision="3.0") as _sim:
        report = await poll_lot(db, int(lot))
    # then it is online, with its firmware, and no alarm was raised for a device that was never up
    assert report.changed == [int(device["id"])]
    async with db.session(Scope.internal()) as s:
        row = await s.get(Device, int(device["id"]))
    assert row is not None
    assert (row.status.value, row.firmware, row.consecutive_failures, row.error_count) == ("online", "3.0", 0, 1)


async def test_an_unreachable_snmp_device_gets_its_mac_once_reached(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    port = free_port(socket.SOCK_DGRAM)
    lot = world.id("lot:A1a")
    result = await call(gql, world.tokens["custA1"], REGISTER, _input(lot, snmp_config(port)))
    placeholder = result["device"]["serial"]
    assert result["device"]["status"] == "RETRYING"
    assert placeholder.startswith("pending-")
    # still silent: it stays retrying and counts the failure
    await poll_lot(db, int(lot))
    async with SnmpAgentSimulator(port=port, mac=b"\x02\xaa\x00\x00\x00\x07") as _agent:
        await poll_lot(db, int(lot))
    async with db.session(Scope.internal()) as s:
        rows = list(await s.scalars(select(Device)))
    assert [(r.serial, r.status.value, r.error_count) for r in rows] == [("02:aa:00:00:00:07", "online", 2)]


UPDATE = (
    "mutation($id: ID!, $input: DeviceUpdateInput!) { x: deviceUpdate(id: $id, input: $input) {"
    " ... on DeviceSuccess { device { id ip protocol config } } ... on DeviceError { code message field } } }"
)


async def test_a_devices_config_is_edited_within_its_type_and_identity(db: Database, gql: GraphQL) -> None:
    # given a Vzenith camera registered with its serial
    world = await build_world(db)
    token = world.tokens["custA1"]
    camera = {"type": "vzenith", "serial": "VZ-EDIT-1"}
    registered = await call(gql, token, REGISTER, _input(world.id("lot:A1a"), camera, kind="CAMERA"))
    device_id = registered["device"]["id"]
    # when its heartbeat mode and IO output change, it keeps its serial and type
    edited = await call(
        gql, token, UPDATE, {"id": device_id, "input": {"config": {**camera, "heartbeat": "comet", "io_output": None}}}
    )
    assert edited["device"]["protocol"] == "vzenith"
    assert (edited["device"]["config"]["heartbeat"], edited["device"]["config"]["serial"]) == ("comet", "VZ-EDIT-1")
    async with db.session(Scope.internal()) as s:
        row = await s.get(Device, int(device_id))
        assert row is not None
        stored = dict(row.config)
    assert (stored["heartbeat"], stored["io_output"], stored["serial"]) == ("comet", None, "VZ-EDIT-1")
    # then another type, another serial or a bad value are refused and change nothing
    before = await dump(db)
    refusals = [
        {"type": "generic_push", "serial": "VZ-EDIT-1"},
        {**camera, "serial": "VZ-OTHER"},
        {**camera, "io_output": 9},
    ]
    got = []
    for config in refusals:
        result = await call(gql, token, UPDATE, {"id": device_id, "input": {"config": config}})
        got.append((result["code"], result["field"]))
    assert got == [("INVALID", "config"), ("INVALID", "config"), ("INVALID", "config.ioOutput")]
    assert await dump(db) == before


async def test_a_cameras_password_is_never_read_back_and_kept_by_an_edit_that_leaves_it_out(
    db: Database, gql: GraphQL
) -> None:
    # given a Hikvision camera (not reachable now: kept retrying) registered with its password
    world = await build_world(db)
    token = world.tokens["custA1"]
    camera = {"type": "hikvision_isapi", "host": "127.0.0.1", "port": free_port(), "timeout_s": 0.3}
    registered = await call(
        gql, token, REGISTER, _input(world.id("lot:A1a"), {**camera, "password": "s3cret"}, serial="hik-1")
    )
    device_id = registered["device"]["id"]
    # when its channel is edited from the config as read back (no password in it)
    edited = await call(gql, token, UPDATE, {"id": device_id, "input": {"config": {**camera, "channel": 2}}})
    # then the password is still the stored one, and it is not in what the API shows
    assert "password" not in edited["device"]["config"]
    assert edited["device"]["config"]["channel"] == 2
    async with db.session(Scope.internal()) as s:
        row = await s.get(Device, int(device_id))
        assert row is not None
        assert (row.config["password"], row.config["channel"]) == ("s3cret", 2)
