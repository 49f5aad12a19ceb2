"""Health polling against a real SNMP agent and pushed heartbeats: status, counters, alarms once per outage."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, cast

import httpx
from sqlalchemy import select

from hardware.simulators.snmp_agent import SnmpAgentSimulator
from parking.alarms.models import Alarm
from parking.common.database import Database
from parking.common.events import EventBus, LocalBus, devices_topic
from parking.common.scope import Scope
from parking.devices.models import Device, DeviceRefusal, DeviceStatus
from parking.devices.poller import PollLoop, poll_lot
from parking.devices.status import next_status
from tests.api.helpers import dump
from tests.conftest import GraphQL
from tests.devices.conftest import REGISTER, call, snmp_config
from tests.factories import World, build_world


async def _register(gql: GraphQL, world: World, config: dict[str, object], **extra: object) -> dict[str, Any]:
    variables = {
        "input": {
            "lotId": world.id("lot:A1a"),
            "laneId": world.id("lane:A1a"),
            "kind": "CAMERA",
            "name": "Cam",
            "config": config,
            **extra,
        }
    }
    return await call(gql, world.tokens["custA1"], REGISTER, variables)


async def _register_online(db: Database, gql: GraphQL, world: World, config: dict[str, object]) -> dict[str, Any]:
    """Register an SNMP device and make sure it starts online: that is the given, not what is tested.

    On a loaded machine the registration probe's one look may time out and keep the device "retrying";
    a poll while the agent answers brings it online, as it would in service.
    """
    device = (await _register(gql, world, config))["device"]
    assert isinstance(device, dict)
    for _ in range(3):
        if (await _device(db, device["id"])).status is DeviceStatus.ONLINE:
            return device
        await poll_lot(db, world.ids["lot:A1a"])
    assert (await _device(db, device["id"])).status is DeviceStatus.ONLINE
    return device


async def _device(db: Database, device_id: object) -> Device:
    async with db.session(Scope.internal()) as s:
        row = await s.get(Device, int(str(device_id)))
    assert row is not None
    return row


async def _alarms(db: Database) -> list[tuple[str, str, int]]:
    async with db.session(Scope.internal()) as s:
        rows = await s.scalars(select(Alarm).order_by(Alarm.id))
        return [(a.kind.value, a.status.value, int(a.details.get("count", 0))) for a in rows]


def test_status_rule() -> None:
    # an online device survives missed looks below its limit; a retrying one stays retrying until reached
    assert next_status(DeviceStatus.ONLINE, False, 1, 2) is DeviceStatus.ONLINE
    assert next_status(DeviceStatus.ONLINE, False, 2, 2) is DeviceStatus.OFFLINE
    assert next_status(DeviceStatus.RETRYING, False, 9, 1) is DeviceStatus.RETRYING
    assert next_status(DeviceStatus.UNKNOWN, False, 1, 3) is DeviceStatus.OFFLINE
    assert next_status(DeviceStatus.OFFLINE, True, 0, 1) is DeviceStatus.ONLINE


async def test_an_snmp_outage_raises_device_and_lane_alarms_once_and_resolves_them(
    db: Database, gql: GraphQL, snmp_agent: SnmpAgentSimulator
) -> None:
    # given an SNMP camera, the only device of its lane, registered online
    world = await build_world(db)
    # One retry: on a loaded machine the first answer after the outage may come late, which is not what is tested.
    device = await _register_online(db, gql, world, snmp_config(snmp_agent.port, retries=1))
    # A registration probe that timed out on a loaded machine already counted as an error: the outage adds to it.
    errors_before = (await _device(db, device["id"])).error_count
    lot_id = world.ids["lot:A1a"]
    bus = LocalBus()
    db.bus = cast(EventBus, bus)  # LocalBus.listen is an asynccontextmanager; the Protocol spells it loosely
    async with bus.listen([devices_topic(lot_id)]) as _events:
        # when it stops answering for three polls (SNMP timeouts)
        snmp_agent.silent = True
        for _ in range(3):
            await poll_lot(db, lot_id)
        down = await _device(db, device["id"])
        alarms_down = await _alarms(db)
        # and answers again
        snmp_agent.silent = False
        back = await poll_lot(db, lot_id)
    # then one device alarm and one lane alarm for the whole outage, both resolved on return
    assert (down.status, down.consecutive_failures, down.error_count) == (DeviceStatus.OFFLINE, 3, errors_before + 3)
    # Said by the adapter ("no SNMP answer", a timeout) or by the poll's outer bound ("no answer within 3 s").
    assert (
        "no snmp answer" in down.last_error.lower()
        or "timeout" in down.last_error.lower()
        or ("no answer within" in down.last_error)
    )
    assert alarms_down == [("device_offline", "open", 1), ("lane_offline", "open", 1)]
    assert back.changed == [int(device["id"])]
    assert await _alarms(db) == [("device_offline", "resolved", 1), ("lane_offline", "resolved", 1)]
    up = await _device(db, device["id"])
    assert (up.status, up.consecutive_failures, up.error_count) == (DeviceStatus.ONLINE, 0, errors_before + 3)


async def test_a_missed_poll_below_the_limit_keeps_the_device_online(
    db: Database, gql: GraphQL, snmp_agent: SnmpAgentSimulator
) -> None:
    world = await build_world(db)
    device = await _register_online(db, gql, world, snmp_config(snmp_agent.port, offline_after_failures=2))
    snmp_agent.silent = True
    first = await poll_lot(db, world.ids["lot:A1a"])
    assert first.changed == []
    assert (await _device(db, device["id"])).status is DeviceStatus.ONLINE
    second = await poll_lot(db, world.ids["lot:A1a"])
    assert second.changed == [int(device["id"])]
    assert await _alarms(db) == [("device_offline", "open", 1), ("lane_offline", "open", 1)]


async def test_status_changes_publish_on_the_devices_topic_after_commit(
    db: Database, gql: GraphQL, snmp_agent: SnmpAgentSimulator
) -> None:
    world = await build_world(db)
    device = await _register_online(db, gql, world, snmp_config(snmp_agent.port))
    bus = LocalBus()
    db.bus = cast(EventBus, bus)  # LocalBus.listen is an asynccontextmanager; the Protocol spells it loosely
    lot_id = world.ids["lot:A1a"]
    async with bus.listen([devices_topic(lot_id)]) as events:
        snmp_agent.silent = True
        await poll_lot(db, lot_id)
        await poll_lot(db, lot_id)  # no change: nothing published
        snmp_agent.silent = False
        await poll_lot(db, lot_id)
        got = [await anext(events), await anext(events)]
        assert await bus.subscriber_count(devices_topic(lot_id)) == 1
    assert got == [(devices_topic(lot_id), {"id": int(device["id"])})] * 2


HEARTBEAT = {"type": "http_heartbeat", "serial": "kiosk-7", "offline_after_s": 60}


async def test_heartbeats_bring_a_push_only_device_online_and_silence_takes_it_offline(
    db: Database, gql: GraphQL, client: httpx.AsyncClient
) -> None:
    # given a kiosk that only pushes, registered with its secret
    world = await build_world(db)
    result = await _register(gql, world, HEARTBEAT)
    device, secret = result["device"], result["secret"]
    assert isinstance(device, dict)
    assert (device["serial"], device["status"]) == ("kiosk-7", "UNKNOWN")
    # when it sends a heartbeat
    response = await client.post(
        "/devices/heartbeat", json={"serial": "kiosk-7", "firmware": "k-1.2"}, headers={"X-Device-Secret": secret}
    )
    # then it is online, with the IP it pushed from and its firmware
    assert (response.status_code, response.json()) == (200, {"ok": True, "status": "online"})
    row = await _device(db, device["id"])
    assert (row.status, row.ip, row.firmware) == (DeviceStatus.ONLINE, "203.0.113.7", "k-1.2")
    assert row.last_seen_at is not None
    # when it stays silent past its limit
    later = row.last_seen_at + timedelta(seconds=61)
    report = await poll_lot(db, world.ids["lot:A1a"], now=lambda: later)
    # then the poller takes it offline and raises the alarms
    assert report.changed == [row.id]
    assert (await _device(db, device["id"])).status is DeviceStatus.OFFLINE
    assert await _alarms(db) == [("device_offline", "open", 1), ("lane_offline", "open", 1)]
    # and its next heartbeat resolves them
    again = await client.post("/devices/heartbeat", json={"serial": "kiosk-7"}, headers={"X-Device-Secret": secret})
    assert again.json() == {"ok": True, "status": "online"}
    assert await _alarms(db) == [("device_offline", "resolved", 1), ("lane_offline", "resolved", 1)]


async def test_refused_heartbeats_leave_the_device_alone_and_are_recorded(
    db: Database, gql: GraphQL, client: httpx.AsyncClient
) -> None:
    # given a kiosk that may push only from 10.0.0.7 (the test client is 203.0.113.7)
    world = await build_world(db)
    result = await _register(gql, world, HEARTBEAT, allowedIps=["10.0.0.7"])
    secret = result["secret"]
    device_before = await _device(db, result["device"]["id"])
    before = await dump(db)
    cases = [
        ({"serial": "kiosk-7"}, "wrong", 401),  # bad secret
        ({"serial": "kiosk-8"}, secret, 401),  # unknown serial
        ({"serial": "kiosk-7"}, secret, 401),  # right secret, address not allowed
        ({"serial": "kiosk-7", "extra": 1}, secret, 400),
        ({"serial": "bad serial"}, secret, 400),
    ]
    got = []
    for body, key, _ in cases:
        response = await client.post("/devices/heartbeat", json=body, headers={"X-Device-Secret": key})
        got.append(response.status_code)
    too_big = await client.post("/devices/heartbeat", content=b"{" + b" " * 5000 + b"}")
    # then each is refused; the device row is untouched; the refusals are on record, as for camera pushes
    assert got == [status for *_, status in cases]
    assert too_big.status_code == 413
    after = await dump(db)
    assert after["devices"] == before["devices"]
    assert (await _device(db, result["device"]["id"])).status is device_before.status
    async with db.session(Scope.internal()) as s:
        refusals = [(r.protocol, r.serial, r.reason) for r in await s.scalars(select(DeviceRefusal))]
        alarms = [(a.kind.value, a.details["reason"], a.details["count"]) for a in await s.scalars(select(Alarm))]
    assert refusals == [("heartbeat", "kiosk-8", "unknown_device")]
    # the bad secret and the wrong address are one alarm on the device, counted twice (the last reason kept)
    assert alarms == [("unknown_device", "ip_not_allowed", 2)]


async def test_rotating_the_secret_voids_the_old_one(db: Database, gql: GraphQL, client: httpx.AsyncClient) -> None:
    world = await build_world(db)
    result = await _register(gql, world, HEARTBEAT)
    device = result["device"]
    assert isinstance(device, dict)
    rotated = await call(
        gql,
        world.tokens["custA1"],
        "mutation($id: ID!) { x: deviceRotateSecret(id: $id) {"
        " ... on DeviceSecretSuccess { secret device { id } } ... on DeviceError { code field } } }",
        {"id": device["id"]},
    )
    assert rotated["secret"] != result["secret"]
    old = await client.post(
        "/devices/heartbeat", json={"serial": "kiosk-7"}, headers={"X-Device-Secret": result["secret"]}
    )
    new = await client.post(
        "/devices/heartbeat", json={"serial": "kiosk-7"}, headers={"X-Device-Secret": rotated["secret"]}
    )
    assert (old.status_code, new.status_code) == (401, 200)
    other = await call(
        gql,
        world.tokens["agentB"],
        "mutation($id: ID!) { x: deviceRotateSecret(id: $id) { ... on DeviceError { code field } } }",
        {"id": device["id"]},
    )
    assert other == {"code": "NOT_FOUND", "field": "id"}


async def test_the_poll_loop_polls_every_lot_with_devices(
    db: Database, gql: GraphQL, snmp_agent: SnmpAgentSimulator
) -> None:
    world = await build_world(db)
    await _register(gql, world, snmp_config(snmp_agent.port))
    loop = PollLoop(db, interval_s=60, timeout_s=1.0, now=lambda: datetime.now(UTC))
    report = await loop.round()
    assert (report.observed, report.changed, loop.rounds) == (1, [], 1)
    assert snmp_agent.requests == 2  # the identity probe at registration, then one health probe
    assert await _alarms(db) == []
