"""Last-seen is recorded finely enough for the smallest silence limit, and offline alarms say how long the
device has really been silent. Driven by a Vzenith camera's captured keep-alive over a running server."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, update

from config.settings import Settings
from hardware.cameras.configs import MIN_OFFLINE_AFTER_S
from hardware.registry import REGISTRY
from parking.alarms.models import Alarm, AlarmKind
from parking.common.database import Database
from parking.common.scope import Scope
from parking.devices.auth import SEEN_EVERY
from parking.devices.models import Device, DeviceStatus
from parking.devices.poller import poll_lot
from tests.cameras.conftest import FIXTURES
from tests.devices.conftest import free_port
from tests.devices.test_field_devices import _api
from tests.lanes.site import build_site

pytestmark = pytest.mark.anyio

SERIAL = "d85b1269-8f942256"  # the serialno in the captured heartbeat
HEARTBEAT_TYPE = "multipart/form-data; boundary=------------------------caa771fe4a61f3d9"


def test_every_silence_limit_allows_for_the_recording_granularity() -> None:
    # The recorded last-seen lags a call by at most SEEN_EVERY: every limit is at least four times that, so a
    # device calling every three quarters of its limit is never judged silent.
    floors = {}
    for name, spec in REGISTRY.items():
        field = spec.config.model_fields.get("offline_after_s")
        if field is None or name == "http_heartbeat":  # heartbeats are recorded on every beat, not throttled
            continue
        floors[name] = next(m.ge for m in field.metadata if hasattr(m, "ge"))
    assert floors == dict.fromkeys(
        ("camera_io", "vzenith", "generic_push", "hikvision_push", "camera_display"), MIN_OFFLINE_AFTER_S
    )
    assert timedelta(seconds=MIN_OFFLINE_AFTER_S) >= SEEN_EVERY * 4


async def _row(db: Database, device_id: str) -> Device:
    async with db.session(Scope.internal()) as s:
        device = await s.get(Device, int(device_id))
        assert device is not None
        return device


async def _age_last_seen(db: Database, device_id: str, by: timedelta) -> datetime:
    """As if the last recorded call were ``by`` older: time passing, without sleeping."""
    async with db.transaction(Scope.internal()) as s:
        device = await s.get(Device, int(device_id))
        assert device is not None
        assert device.last_seen_at is not None
        aged = device.last_seen_at - by
        await s.execute(update(Device).where(Device.id == device.id).values(last_seen_at=aged))
    return aged


async def _alarms(db: Database) -> list[tuple[str, str, str]]:
    async with db.session(Scope.internal()) as s:
        rows = await s.scalars(select(Alarm).where(Alarm.kind == AlarmKind.DEVICE_OFFLINE).order_by(Alarm.id))
        return [(a.kind.value, a.status.value, a.message) for a in rows]


async def test_a_camera_at_the_smallest_limit_never_flaps_and_its_alarm_states_its_silence(
    db: Database, settings: Settings
) -> None:
    # given a Vzenith camera registered with the smallest silence limit allowed
    site = await build_site(db)
    beat = (FIXTURES / "vzenith_ivs_heartbeat.multipart").read_bytes()
    limit = MIN_OFFLINE_AFTER_S
    async with _api(db, settings, site) as api:
        # (in normal heartbeat mode: keep-alives answered at once; a comet poll would be held)
        config = {"type": "vzenith", "serial": SERIAL, "offline_after_s": limit, "heartbeat": "normal"}
        result = await api.register(site, "in", "CAMERA", config)
        device_id = result["device"]["id"]
        headers = {"Content-Type": HEARTBEAT_TYPE, "X-Device-Key": result["secret"]}

        async def keep_alive() -> None:
            response = await api.http.post("/devices/vzenith/push", content=beat, headers=headers)
            assert response.status_code == 200, response.text

        # when it sends its keep-alive it is online
        await keep_alive()
        assert (await _row(db, device_id)).status is DeviceStatus.ONLINE
        # and when it calls again while its recorded call is too recent to be rewritten
        aged = await _age_last_seen(db, device_id, SEEN_EVERY / 2)
        await keep_alive()
        assert (await _row(db, device_id)).last_seen_at == aged  # throttled: not written
        # and the poller looks 70 % of a limit after the latest moment a call can go unrecorded
        await poll_lot(db, site.lot_id, now=lambda: aged + SEEN_EVERY + timedelta(seconds=limit * 0.7))
        # then it is still online and nothing was raised
        assert (await _row(db, device_id)).status is DeviceStatus.ONLINE
        assert await _alarms(db) == []

        # when its recorded call is older than the granularity, the next call is written exactly
        await _age_last_seen(db, device_id, SEEN_EVERY)
        await keep_alive()
        seen = (await _row(db, device_id)).last_seen_at
        assert seen is not None
        assert seen > aged  # written anew
        # and it then falls silent past its limit
        await poll_lot(db, site.lot_id, now=lambda: seen + timedelta(seconds=limit + 1))
        # then it is offline, and the alarm says how long it has been silent
        row = await _row(db, device_id)
        assert row.status is DeviceStatus.OFFLINE
        silence = int(limit + 1)
        assert await _alarms(db) == [
            (
                "device_offline",
                "open",
                f"设备 in（{SERIAL}）离线：已{silence}秒无响应（silent for {silence} s (limit {limit:g} s)）",
            )
        ]
        # when it calls again it is back, and the alarm resolves itself
        await keep_alive()
        assert (await _row(db, device_id)).status is DeviceStatus.ONLINE
        assert [status for _, status, _ in await _alarms(db)] == ["resolved"]


async def test_a_polled_device_alarm_counts_its_silence_from_its_last_good_answer(
    db: Database, settings: Settings
) -> None:
    # given a barrier that answered at registration, then stopped answering
    site = await build_site(db)
    async with _api(db, settings, site) as api:
        port = free_port()
        config = {"type": "hikvision_isapi", "host": "127.0.0.1", "port": port, "timeout_s": 0.3}
        variables = {
            "input": {
                "lotId": str(site.lot_id),
                "laneId": str(site.ids["in"]),
                "kind": "CONTROLLER",
                "name": "gate",
                "serial": "GATE-1",
                "config": config,
            }
        }
        response = await api.http.post(
            "/graphql",
            json={
                "query": "mutation($input: DeviceRegisterInput!) { x: deviceRegister(input: $input) {"
                " ... on DeviceSecretSuccess { device { id status } } } }",
                "variables": variables,
            },
        )
        device_id = response.json()["data"]["x"]["device"]["id"]
    # (unreachable at registration: retrying; make it a device that was online, last seen at a known time)
    async with db.transaction(Scope.internal()) as s:
        device = await s.get(Device, int(device_id))
        assert device is not None
        last = device.created_at
        device.status, device.last_seen_at = DeviceStatus.ONLINE, last
    # when the poller finds it silent 95 s later
    await poll_lot(db, site.lot_id, now=lambda: last + timedelta(seconds=95), timeout_s=0.5)
    # then the alarm's silence is counted from the last good answer, not the probe's own timeout
    alarms = await _alarms(db)
    assert len(alarms) == 1
    assert alarms[0][2].startswith("设备 gate（GATE-1）离线：已1分35秒无响应（")
