"""Device commands through GraphQL, executed on a real pymodbus barrier: results, faults and alarms."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from hardware.simulators.modbus_barrier import ModbusBarrierSimulator
from parking.alarms.models import Alarm
from parking.common.database import Database
from parking.common.scope import Scope
from parking.devices.executor import execute_command, sweep_pending
from parking.devices.models import Device, DeviceCommand, DeviceCommandStatus, DeviceStatus
from tests.api.helpers import dump
from tests.conftest import GraphQL
from tests.devices.conftest import REGISTER, call, dispatcher, modbus_config
from tests.factories import World, build_world

SEND = (
    "mutation($d: ID!, $k: DeviceCommandKind!, $r: String!) {"
    " x: deviceCommandSend(deviceId: $d, kind: $k, reason: $r) {"
    " ... on DeviceCommandSuccess { command { id kind status reason result operatorId device { serial } } }"
    " ... on DeviceError { code message field } } }"
)
COMMANDS = "query($d: ID!) { deviceCommands(filter: {deviceId: $d}) { items { id kind status result completedAt } } }"


async def _barrier(db: Database, gql: GraphQL, sim: ModbusBarrierSimulator) -> tuple[World, str]:
    world = await build_world(db)
    variables = {
        "input": {
            "lotId": world.id("lot:A1a"),
            "laneId": world.id("lane:A1a"),
            "kind": "CONTROLLER",
            "name": "Gate 1",
            "serial": "relay-1",
            "config": modbus_config(sim.port),
        }
    }
    result = await call(gql, world.tokens["custA1"], REGISTER, variables)
    dispatcher(db)  # short open timeout from here on
    return world, str(result["device"]["id"])


async def _send(gql: GraphQL, world: World, device_id: str, kind: str, reason: str = "") -> dict[str, Any]:
    return await call(gql, world.tokens["custA1"], SEND, {"d": device_id, "k": kind, "r": reason})


async def _commands(gql: GraphQL, world: World, device_id: str) -> list[dict[str, Any]]:
    body = await gql(COMMANDS, {"d": device_id}, token=world.tokens["custA1"])
    assert body.get("errors") is None, body
    items: list[dict[str, Any]] = body["data"]["deviceCommands"]["items"]
    return items


async def _alarms(db: Database) -> list[tuple[str, str]]:
    async with db.session(Scope.internal()) as s:
        return [(a.kind.value, a.status.value) for a in await s.scalars(select(Alarm).order_by(Alarm.id))]


async def _device(db: Database, device_id: str) -> Device:
    async with db.session(Scope.internal()) as s:
        row = await s.get(Device, int(device_id))
    assert row is not None
    return row


async def test_open_gate_runs_after_commit_and_records_the_result(
    db: Database, gql: GraphQL, barrier_sim: ModbusBarrierSimulator
) -> None:
    # given a registered barrier
    world, device_id = await _barrier(db, gql, barrier_sim)
    # when an operator opens it
    sent = await _send(gql, world, device_id, "OPEN_GATE", "visitor at the gate")
    await dispatcher(db).drain()
    # then the command was accepted pending, the arm went up once, and the result is recorded on the command
    command = sent["command"]
    assert command == {
        "id": command["id"],
        "kind": "OPEN_GATE",
        "status": "PENDING",
        "reason": "visitor at the gate",
        "result": "",
        "operatorId": world.id("operator:custA1"),
        "device": {"serial": "relay-1"},
    }
    assert barrier_sim.physics.open_commands == 1
    listed = await _commands(gql, world, device_id)
    assert [{k: v for k, v in c.items() if k != "completedAt"} for c in listed] == [
        {"id": command["id"], "kind": "OPEN_GATE", "status": "DONE", "result": "open, loop clear"}
    ]
    assert listed[0]["completedAt"] is not None
    # then close it
    await _send(gql, world, device_id, "CLOSE_GATE")
    await dispatcher(db).drain()
    assert [c["status"] for c in await _commands(gql, world, device_id)] == ["DONE", "DONE"]
    assert await _alarms(db) == []


async def test_a_connection_dropped_mid_command_is_reconnected_and_retried(
    db: Database, gql: GraphQL, barrier_sim: ModbusBarrierSimulator
) -> None:
    world, device_id = await _barrier(db, gql, barrier_sim)
    # given a board that drops the connection on the first coil write
    barrier_sim.faults.drop_commands = 1
    await _send(gql, world, device_id, "OPEN_GATE")
    await dispatcher(db).drain()
    # then the adapter reconnected and retried: the gate opened, no alarm
    assert [(c["status"], c["result"]) for c in await _commands(gql, world, device_id)] == [
        ("DONE", "open, loop clear")
    ]
    assert barrier_sim.physics.open_commands == 1
    assert await _alarms(db) == []


async def test_a_connection_dropped_again_after_reconnecting_fails_and_raises_the_offline_alarm(
    db: Database, gql: GraphQL, barrier_sim: ModbusBarrierSimulator
) -> None:
    world, device_id = await _barrier(db, gql, barrier_sim)
    barrier_sim.faults.drop_commands = 2
    await _send(gql, world, device_id, "OPEN_GATE")
    await dispatcher(db).drain()
    [command] = await _commands(gql, world, device_id)
    assert command["status"] == "FAILED"
    assert "connection dropped again after reconnecting" in command["result"]
    device = await _device(db, device_id)
    assert (device.status, device.error_count, device.consecutive_failures) == (DeviceStatus.OFFLINE, 1, 1)
    assert await _alarms(db) == [("device_offline", "open"), ("lane_offline", "open")]
    assert barrier_sim.physics.open_commands == 0


async def test_a_barrier_that_never_reports_open_fails_with_a_gate_failed_alarm(
    db: Database, gql: GraphQL, barrier_sim: ModbusBarrierSimulator
) -> None:
    world, device_id = await _barrier(db, gql, barrier_sim)
    barrier_sim.faults.never_open = True
    await _send(gql, world, device_id, "OPEN_GATE")
    await dispatcher(db).drain()
    [command] = await _commands(gql, world, device_id)
    assert (command["status"], command["result"]) == (
        "FAILED",
        f"modbus://127.0.0.1:{barrier_sim.port}/1: not open after 0.3 s (last opening)",
    )
    # the device answered throughout: it is online, the alarm is about the gate
    assert (await _device(db, device_id)).status is DeviceStatus.ONLINE
    assert await _alarms(db) == [("gate_failed", "open")]


async def test_commands_a_device_cannot_do_are_refused_and_nothing_is_written(
    db: Database, gql: GraphQL, barrier_sim: ModbusBarrierSimulator
) -> None:
    world, device_id = await _barrier(db, gql, barrier_sim)
    before = await dump(db)
    refused = await _send(gql, world, device_id, "REBOOT")
    too_long = await _send(gql, world, device_id, "OPEN_GATE", "x" * 201)
    unknown = await _send(gql, world, "999999", "OPEN_GATE")
    other_tenant = await call(gql, world.tokens["agentB"], SEND, {"d": device_id, "k": "OPEN_GATE", "r": ""})
    assert refused == {"code": "INVALID", "message": "a modbus_relay device cannot reboot", "field": "kind"}
    assert (too_long["code"], too_long["field"]) == ("INVALID", "reason")
    assert (unknown["code"], unknown["field"]) == ("NOT_FOUND", "deviceId")
    assert (other_tenant["code"], other_tenant["field"]) == ("NOT_FOUND", "deviceId")
    assert await dump(db) == before
    assert barrier_sim.physics.open_commands == 0


async def test_a_device_lists_the_commands_it_takes_and_every_one_listed_is_accepted(
    db: Database, gql: GraphQL, barrier_sim: ModbusBarrierSimulator
) -> None:
    world, device_id = await _barrier(db, gql, barrier_sim)
    query = "query($l: ID!) { devices(filter: {lotId: $l}) { items { id supportedCommands } } }"
    body = await gql(query, {"l": world.id("lot:A1a")}, token=world.tokens["custA1"])
    assert body.get("errors") is None, body
    # A relay without a power coil opens and closes; REBOOT is refused (test above).
    [listed] = [d["supportedCommands"] for d in body["data"]["devices"]["items"] if d["id"] == device_id]
    assert listed == ["OPEN_GATE", "CLOSE_GATE"]
    for kind in listed:
        assert (await _send(gql, world, device_id, kind))["command"]["kind"] == kind


async def test_a_command_is_executed_once_however_often_it_is_handed_over(
    db: Database, gql: GraphQL, barrier_sim: ModbusBarrierSimulator
) -> None:
    world, device_id = await _barrier(db, gql, barrier_sim)
    db.services.clear()  # no dispatcher: the command waits for the sweep
    sent = await _send(gql, world, device_id, "OPEN_GATE")
    command_id = int(sent["command"]["id"])
    assert await sweep_pending(db) == [command_id]
    first = await execute_command(db, command_id, open_timeout_s=0.3)
    second = await execute_command(db, command_id, open_timeout_s=0.3)
    assert (first, second) == (DeviceCommandStatus.DONE, None)
    assert barrier_sim.physics.open_commands == 1
    assert await sweep_pending(db) == []


async def test_a_command_nobody_ran_in_time_expires_and_never_reaches_the_device(
    db: Database, gql: GraphQL, barrier_sim: ModbusBarrierSimulator
) -> None:
    world, device_id = await _barrier(db, gql, barrier_sim)
    db.services.clear()
    late = [int((await _send(gql, world, device_id, "OPEN_GATE"))["command"]["id"]) for _ in range(2)]
    later = datetime.now(UTC) + timedelta(minutes=5)
    # one is picked up late by an executor, the other by the sweep
    assert await execute_command(db, late[0], now=lambda: later) is DeviceCommandStatus.EXPIRED
    assert await sweep_pending(db, now=lambda: later) == []
    async with db.session(Scope.internal()) as s:
        rows = list(await s.scalars(select(DeviceCommand).order_by(DeviceCommand.id)))
    assert [(r.status, r.result) for r in rows] == [
        (DeviceCommandStatus.EXPIRED, "expired before it could be sent")
    ] * 2
    assert barrier_sim.physics.open_commands == 0


async def test_a_retrying_device_takes_no_commands(
    db: Database, gql: GraphQL, barrier_sim: ModbusBarrierSimulator
) -> None:
    world, device_id = await _barrier(db, gql, barrier_sim)
    async with db.transaction(Scope.internal()) as s:
        await s.execute(update(Device).where(Device.id == int(device_id)).values(status=DeviceStatus.RETRYING))
    result = await _send(gql, world, device_id, "OPEN_GATE")
    assert (result["code"], result["field"]) == ("CONFLICT", "deviceId")


async def test_reboot_power_cycles_the_barrier_through_its_power_relay(
    db: Database, gql: GraphQL, barrier_sim: ModbusBarrierSimulator
) -> None:
    # given a barrier whose controller is powered through relay 3 of the board
    world = await build_world(db)
    config = {**modbus_config(barrier_sim.port), "power_coil": 3, "power_off_s": 0}
    variables = {
        "input": {
            "lotId": world.id("lot:A1a"),
            "laneId": world.id("lane:A1a"),
            "kind": "CONTROLLER",
            "name": "Gate 1",
            "serial": "relay-1",
            "config": config,
        }
    }
    device_id = str((await call(gql, world.tokens["custA1"], REGISTER, variables))["device"]["id"])
    # when an operator reboots it
    await _send(gql, world, device_id, "REBOOT", "arm stuck")
    await dispatcher(db).drain()
    # then the power went off and came back once, the controller answers again, the result is on the command
    assert barrier_sim.physics.power_cycles == 1
    assert barrier_sim.physics.powered
    assert [(c["kind"], c["status"], c["result"]) for c in await _commands(gql, world, device_id)] == [
        ("REBOOT", "DONE", "closed, loop clear")
    ]
    assert await _alarms(db) == []
