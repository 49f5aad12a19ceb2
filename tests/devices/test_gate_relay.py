"""Lane decisions reach hardware barriers: a Modbus relay and a Hikvision camera's ISAPI barrier, on real peers.

Pushes go through the real HTTP endpoint for all three camera protocols (Vzenith, Hikvision ISAPI, generic).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from hardware.cameras import generic, vzenith
from hardware.cameras.types import CameraProtocol, CameraReading, PlateColorName
from hardware.simulators.hikvision_isapi import IsapiCameraSimulator
from hardware.simulators.modbus_barrier import ModbusBarrierSimulator
from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.scope import Scope
from parking.devices import gates
from parking.devices.auth import hash_secret
from parking.devices.models import (
    Device,
    DeviceCommand,
    DeviceCommandStatus,
    DeviceKind,
    GateCommand,
    GateCommandStatus,
)
from parking.sessions.models import ParkingSession
from tests.conftest import GraphQL
from tests.devices.conftest import dispatcher, modbus_config
from tests.lanes.site import Site, build_site, seat_tokens

FIXTURES = Path(__file__).parent.parent / "fixtures" / "cameras"
HIK_MAC = "24:0f:9b:5a:31:c2"  # the camera in the ANPR fixture
SECRET = "hik-secret"
SLOW_MACHINE = {"timeout_s": 2.0}  # a loaded test machine must not turn a slow answer into a failure


@pytest.fixture
async def isapi() -> AsyncIterator[IsapiCameraSimulator]:
    async with IsapiCameraSimulator() as camera:
        yield camera


def isapi_config(camera: IsapiCameraSimulator, password: str | None = None) -> dict[str, Any]:
    return {
        "type": "hikvision_isapi",
        "host": "127.0.0.1",
        "port": camera.port,
        "username": camera.username,
        "password": camera.password if password is None else password,
        "timeout_s": 2.0,
    }


async def add_device(site: Site, lane: str, **fields: Any) -> int:
    fields.setdefault("serial", f"DEV-{uuid.uuid4().hex[:12]}")
    async with site.db.transaction(Scope.internal()) as s:
        device = Device(
            agent_id=site.ids["agent"],
            customer_id=site.ids["customer"],
            lot_id=site.lot_id,
            lane_id=site.ids[lane],
            **fields,
        )
        s.add(device)
        await s.flush()
        return device.id


async def device_commands(db: Database) -> list[DeviceCommand]:
    async with db.session(Scope.internal()) as s:
        return list(await s.scalars(select(DeviceCommand).order_by(DeviceCommand.id)))


async def gate_commands(db: Database) -> list[GateCommand]:
    async with db.session(Scope.internal()) as s:
        return list(await s.scalars(select(GateCommand).order_by(GateCommand.id)))


def hikvision_push(plate: str) -> bytes:
    xml = (FIXTURES / "hikvision_anpr.xml").read_text()
    xml = xml.replace("浙A12345", plate).replace("8a3f6c2e-0e4b-4a51-9d3f-6b1d2e7f8a90", str(uuid.uuid4()))
    return xml.encode()


def vzenith_push(serial: str, plate: str, plate_id: int) -> bytes:
    return vzenith.encode_push(
        CameraReading(
            protocol=CameraProtocol.VZENITH,
            serial=serial,
            plate_text=plate,
            color=PlateColorName.BLUE,
            confidence=0.95,
            taken_at=utcnow(),
            camera_plate_id=plate_id,
        )
    )


async def push_at_a_modbus_lane(
    client: httpx.AsyncClient, db: Database, sim: ModbusBarrierSimulator, lane: str
) -> tuple[int, bool]:
    """A lane with a Vzenith camera and a Modbus relay barrier; its camera reads a car. -> (barrier id, opened)"""
    site = await build_site(db)
    config = modbus_config(sim.port) | SLOW_MACHINE
    barrier_id = await add_device(site, lane, kind=DeviceKind.CONTROLLER, name=f"barrier {lane}", config=config)
    serial = next(s for s in site.secrets if s.endswith(f"-{lane}"))
    response = await client.post(
        f"/devices/vzenith/push?key={site.secrets[serial]}", content=vzenith_push(serial, "京A12345", 1)
    )
    await dispatcher(db).drain()
    return barrier_id, vzenith.decode_reply(response.content).open


async def remote_open(db: Database, gql: GraphQL, site: Site) -> None:
    tokens = await seat_tokens(site)
    mutation = 'mutation($lane: ID!) { laneRemoteOpen(laneId: $lane, reason: "visitor") { __typename } }'
    result = await gql(mutation, {"lane": str(site.ids["in"])}, token=tokens["seat"])
    assert result["data"]["laneRemoteOpen"]["__typename"] == "GateCommandSuccess"
    await dispatcher(db).drain()


async def test_an_open_decided_on_a_vzenith_push_also_pulses_the_lanes_modbus_barrier(
    client: httpx.AsyncClient, db: Database, barrier_sim: ModbusBarrierSimulator
) -> None:
    barrier_id, opened = await push_at_a_modbus_lane(client, db, barrier_sim, "in")
    assert opened

    assert barrier_sim.physics.open_commands == 1
    [gate] = await gate_commands(db)
    [command] = await device_commands(db)
    assert (command.device_id, command.status, command.args) == (
        barrier_id,
        DeviceCommandStatus.DONE,
        {"gate_command_id": gate.id},
    )
    assert gate.status is GateCommandStatus.DONE
    assert gate.result == f"camera_reply; sent to barrier {barrier_id}"


async def test_a_held_car_sends_nothing_to_the_barrier(
    client: httpx.AsyncClient, db: Database, barrier_sim: ModbusBarrierSimulator
) -> None:
    _, opened = await push_at_a_modbus_lane(client, db, barrier_sim, "out")
    assert not opened  # an exit with no entry pays the fallback fee first
    assert barrier_sim.physics.open_commands == 0
    assert await device_commands(db) == []


async def test_a_hikvision_push_opens_the_barrier_through_isapi(
    client: httpx.AsyncClient, db: Database, isapi: IsapiCameraSimulator
) -> None:
    site = await build_site(db)
    await add_device(
        site,
        "in",
        kind=DeviceKind.CAMERA,
        name="hik camera",
        serial=HIK_MAC,
        protocol="hikvision",
        secret_hash=hash_secret(SECRET),
        config=isapi_config(isapi),
    )
    response = await client.post(
        f"/devices/hikvision/push?key={SECRET}",
        content=hikvision_push("京A12345"),
        headers={"content-type": "application/xml"},
    )
    assert response.status_code == 200
    assert b"<statusCode>1</statusCode>" in response.content  # the ISAPI ack; the open goes separately
    await dispatcher(db).drain()

    assert isapi.commands == ["open"]
    assert len(await site.open_sessions("京A12345")) == 1
    [command] = await device_commands(db)
    assert command.status is DeviceCommandStatus.DONE


async def test_a_remote_open_on_a_hikvision_lane_opens_once_and_the_poll_gets_nothing(
    db: Database, gql: GraphQL, isapi: IsapiCameraSimulator
) -> None:
    site = await build_site(db)
    await add_device(site, "in", kind=DeviceKind.CONTROLLER, name="hik barrier", config=isapi_config(isapi))
    await remote_open(db, gql, site)

    assert isapi.commands == ["open"]
    [gate] = await gate_commands(db)
    assert gate.status is GateCommandStatus.DONE
    assert gate.result.startswith("sent to barrier")
    async with db.transaction(Scope.internal()) as s:
        assert await gates.take_pending(s, site.ids["in"], utcnow()) is None


async def test_wrong_isapi_credentials_fail_the_command_with_a_reason(
    db: Database, gql: GraphQL, isapi: IsapiCameraSimulator
) -> None:
    site = await build_site(db)
    await add_device(
        site, "in", kind=DeviceKind.CONTROLLER, name="hik barrier", config=isapi_config(isapi, password="wrong")
    )
    await remote_open(db, gql, site)

    assert isapi.commands == []
    [command] = await device_commands(db)
    assert command.status is DeviceCommandStatus.FAILED
    assert "credentials" in command.result


async def test_a_generic_push_opens_through_its_json_reply(client: httpx.AsyncClient, db: Database) -> None:
    site = await build_site(db)
    await add_device(
        site,
        "in",
        kind=DeviceKind.CAMERA,
        name="generic camera",
        serial="gate-7",
        protocol="generic",
        secret_hash=hash_secret(SECRET),
    )
    doc = json.loads((FIXTURES / "generic_v1_reading.json").read_text())
    doc.update(plate="京A12345", color="blue", event_id="e-relay")
    body = json.dumps(doc).encode()
    response = await client.post(f"/devices/generic/push?key={SECRET}", content=body)
    assert response.status_code == 200
    reply = json.loads(response.content)
    assert reply["open"] is True
    assert reply["display_frames"]
    assert generic.CONTENT_TYPE.split(";")[0] in response.headers["content-type"]
    assert len(await site.open_sessions("京A12345")) == 1

    again = await client.post(f"/devices/generic/push?key={SECRET}", content=body)  # the same event id again
    assert json.loads(again.content)["open"] is True
    async with db.session(Scope.internal()) as s:
        assert len(list(await s.scalars(select(ParkingSession.id)))) == 1
