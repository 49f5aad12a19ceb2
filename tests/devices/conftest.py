"""Real peers on 127.0.0.1 for the cloud side of devices, and helpers to register devices through GraphQL."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from typing import Any

import pytest

from hardware.base import ManualClock
from hardware.simulators.modbus_barrier import ModbusBarrierSimulator
from hardware.simulators.snmp_agent import SnmpAgentSimulator
from parking.common.database import Database
from parking.devices.commands import DISPATCH_SERVICE
from parking.devices.executor import InProcessDispatcher
from tests.conftest import GraphQL
from tests.factories import World

ERR = "... on DeviceError { code message field }"
DEVICE_FIELDS = "id kind name serial ip protocol status firmware lastSeenAt errorCount consecutiveFailures lastError"
REGISTER = (
    "mutation($input: DeviceRegisterInput!) { x: deviceRegister(input: $input) {"
    f" ... on DeviceSecretSuccess {{ secret device {{ {DEVICE_FIELDS} }} }} {ERR} }} }}"
)


async def call(gql: GraphQL, token: str, doc: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    body = await gql(doc, variables, token=token)
    assert body.get("errors") is None, body
    result: dict[str, Any] = body["data"]["x"]
    return result


def free_port(kind: int = socket.SOCK_STREAM) -> int:
    """A port nothing listens on right now (bound and released), for devices that are not there yet."""
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
async def barrier_sim() -> AsyncIterator[ModbusBarrierSimulator]:
    # travel_s=0: the arm is up as soon as it is told; the physics tests in tests/hardware cover the travel.
    async with ModbusBarrierSimulator(clock=ManualClock(), travel_s=0.0, revision="2.4.1") as sim:
        yield sim


@pytest.fixture
async def snmp_agent() -> AsyncIterator[SnmpAgentSimulator]:
    async with SnmpAgentSimulator(sys_name="lane-1-camera", clock=ManualClock(100.0)) as agent:
        yield agent


def modbus_config(port: int) -> dict[str, Any]:
    return {"type": "modbus_relay", "host": "127.0.0.1", "port": port, "pulse_ms": 0, "timeout_s": 0.3}


async def register_gate(gql: GraphQL, world: World, port: int) -> str:
    """Lot A1a's Modbus relay barrier "Gate" (the simulator on ``port``), registered by its customer; its id."""
    variables = {
        "input": {
            "lotId": world.id("lot:A1a"),
            "kind": "CONTROLLER",
            "name": "Gate",
            "serial": "relay-1",
            "config": modbus_config(port),
        }
    }
    return str((await call(gql, world.tokens["custA1"], REGISTER, variables))["device"]["id"])


def snmp_config(port: int, **extra: Any) -> dict[str, Any]:
    # 1 s: a busy test machine must not turn a slow answer into an outage.
    return {"type": "snmp", "host": "127.0.0.1", "port": port, "timeout_s": 1.0, **extra}


def dispatcher(db: Database) -> InProcessDispatcher:
    """The dispatcher the app installed (the test client's app), with a short open timeout for fault tests."""
    installed = db.services[DISPATCH_SERVICE]
    assert isinstance(installed, InProcessDispatcher)
    installed.open_timeout_s = 0.3
    return installed
