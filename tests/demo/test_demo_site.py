"""The demo behaves like a real site: valid device configs, traffic through the inner lot, health that moves."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from api.app import create_app
from api.simulate import KeepAlive, derived_secret, provision, run_traffic
from config.settings import Settings
from hardware.registry import parse_device_config
from hardware.simulators.camera import CameraSimulator
from parking.alarms.models import Alarm, AlarmKind, AlarmStatus
from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.scope import Scope
from parking.demo import load_demo
from parking.devices.models import Device, DeviceKind, DeviceStatus
from parking.devices.poller import PollLoop, poll_lot
from parking.sessions.models import LaneEvent, ParkingSession
from parking.tenancy.models import Area, Lane
from tests.live import live_server

pytestmark = pytest.mark.anyio


async def test_every_demo_device_has_a_valid_config_and_the_start_warns_of_none(
    db: Database, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    # given the demo loaded
    assert await load_demo(db, days=1)
    async with db.session(Scope.internal()) as s:
        devices = list(await s.scalars(select(Device).order_by(Device.id)))
    # then every device's config is one the registry knows, with the protocol it names
    assert {d.protocol for d in devices} == {"vzenith", "camera_io", "camera_display"}
    for device in devices:
        assert parse_device_config(device.config).type == device.protocol  # type: ignore[attr-defined]
    # when the platform starts: its first health round and the simulator's provisioning
    caplog.set_level(logging.INFO)
    report = await PollLoop(db, 30).round()
    lots = await provision(db, settings.secret_key)
    # then nothing warned, every device was looked at, and every camera is simulated
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert report.observed == len(devices)
    assert sum(len(sim.serials) for sim in lots) == sum(d.kind is DeviceKind.CAMERA for d in devices)


async def _inner_lane_ids(db: Database) -> set[int]:
    async with db.session(Scope.internal()) as s:
        rows = await s.scalars(select(Lane.id).join(Area, Area.id == Lane.area_id).where(Area.is_inner.is_(True)))
        return set(rows)


async def test_the_simulation_drives_traffic_through_the_inner_lot(db: Database, settings: Settings) -> None:
    # given the demo, whose one inner lot has its own entry and exit cameras
    assert await load_demo(db, days=1)
    inner_lanes = await _inner_lane_ids(db)
    assert len(inner_lanes) == 2
    async with db.transaction(Scope.internal()) as s:
        stays_before = await s.scalar(select(func.count()).where(ParkingSession.parent_id.is_not(None)))
        loaded_at = utcnow() - timedelta(seconds=65)  # as if loaded a minute ago
        await s.execute(update(Device).values(last_seen_at=loaded_at))
    # when simulated cameras push readings and keep-alives to the running platform over HTTP
    async with live_server(create_app(settings, db)) as server:
        pushed = await run_traffic(
            db,
            server.url,
            settings.secret_key,
            events_per_s=1000,
            seed=5,
            max_events=300,
            keep_alive=KeepAlive(every_s=3600, outage_every_s=1e9),
        )
    assert pushed == 300
    # then every camera has called since
    async with db.session(Scope.internal()) as s:
        cameras = list(await s.scalars(select(Device).where(Device.kind == DeviceKind.CAMERA)))
    assert cameras
    assert all(c.last_seen_at is not None and c.last_seen_at > loaded_at for c in cameras)
    # then the inner lot's cameras read cars, which open inner stays under their outer ones, and some came out
    async with db.session(Scope.internal()) as s:
        inner_events = list(
            await s.execute(
                select(LaneEvent.kind, LaneEvent.opened, LaneEvent.session_id).where(
                    LaneEvent.lane_id.in_(inner_lanes), LaneEvent.device_id.is_not(None)
                )
            )
        )
        stays_after = await s.scalar(select(func.count()).where(ParkingSession.parent_id.is_not(None)))
    kinds = {kind.value for kind, _, _ in inner_events}
    assert kinds == {"inner_entry", "inner_exit"}, inner_events
    assert all(opened for _, opened, _ in inner_events)
    assert (stays_after or 0) > (stays_before or 0)


async def _status(db: Database, device_id: int) -> DeviceStatus:
    async with db.session(Scope.internal()) as s:
        device = await s.get(Device, device_id)
        assert device is not None
        return device.status


async def test_a_simulated_camera_that_stops_calling_goes_offline_and_comes_back(
    db: Database, settings: Settings
) -> None:
    # given the demo, loaded a minute ago (every device last seen then)
    assert await load_demo(db, days=1)
    async with db.transaction(Scope.internal()) as s:
        await s.execute(update(Device).values(last_seen_at=utcnow() - timedelta(seconds=65)))
    lots = await provision(db, settings.secret_key)
    serials = [serial for sim in lots for serial in sim.serials]
    dark = lots[0].entry_serials[0]
    async with db.session(Scope.internal()) as s:
        camera = await s.scalar(select(Device).where(Device.serial == dark))
        assert camera is not None
        lane_devices = list(await s.scalars(select(Device.id).where(Device.lane_id == camera.lane_id)))
    lot_id = lots[0].lot_id
    async with live_server(create_app(settings, db)) as server:
        url = f"{server.url}/devices/vzenith/push"
        cameras: dict[str, CameraSimulator] = {}

        def simulated(serial: str) -> CameraSimulator:
            if serial not in cameras:
                token = derived_secret(settings.secret_key, serial)
                cameras[serial] = CameraSimulator(url, serial=serial, token=token, token_header="X-Device-Key")
            return cameras[serial]

        try:
            # when one camera goes dark while the others keep calling
            plan = KeepAlive()
            plan.go_dark(dark, until=100.0)
            called = await plan.round(simulated, serials, now=0.0, rng=None)
            assert dark not in called
            assert len(called) == len(serials) - 1
            # and the poller looks past its limit
            await poll_lot(db, lot_id, now=lambda: utcnow() + timedelta(seconds=10))
            # then the camera, and the relay and display riding on it, are offline with their alarms
            assert {await _status(db, d) for d in lane_devices} == {DeviceStatus.OFFLINE}
            async with db.session(Scope.internal()) as s:
                other = await s.scalar(select(Device).where(Device.serial == lots[0].exit_serials[0]))
                assert other is not None
                assert other.status is DeviceStatus.ONLINE
                kinds = set(
                    await s.scalars(
                        select(Alarm.kind).where(Alarm.lane_id == camera.lane_id, Alarm.status == AlarmStatus.OPEN)
                    )
                )
            assert kinds == {AlarmKind.DEVICE_OFFLINE, AlarmKind.LANE_OFFLINE}

            # when its outage is over it calls again, and the poller looks
            assert await plan.round(simulated, serials, now=100.0, rng=None) == serials
            await poll_lot(db, lot_id)
            # then its lane is back online and the alarms resolved themselves
            assert {await _status(db, d) for d in lane_devices} == {DeviceStatus.ONLINE}
            async with db.session(Scope.internal()) as s:
                still_open = await s.scalar(
                    select(func.count()).where(Alarm.lane_id == camera.lane_id, Alarm.status == AlarmStatus.OPEN)
                )
            assert still_open == 0
        finally:
            for cam in cameras.values():
                await cam.aclose()
