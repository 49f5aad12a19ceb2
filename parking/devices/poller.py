"""Health polling: look at every configured device of a lot at once, then record the results in one transaction."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from hardware.errors import InvalidDeviceConfig
from hardware.registry import AdapterDeps, parse_device_config
from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.scope import Scope
from parking.devices.commands import Dispatch
from parking.devices.executor import sweep_pending
from parking.devices.models import Device, DeviceKind, DeviceStatus
from parking.devices.probe import DEFAULT_PROBE_TIMEOUT_S, DeviceSnapshot, observe
from parking.devices.status import Observation, record_observation

logger = logging.getLogger(__name__)


@dataclass
class PollReport:
    observed: int = 0
    changed: list[int] = field(default_factory=list)


async def lots_with_devices(db: Database) -> list[int]:
    async with db.session(Scope.internal()) as s:
        rows = await s.scalars(select(Device.lot_id).distinct().order_by(Device.lot_id))
        return list(rows)


async def _snapshots(db: Database, lot_id: int) -> list[DeviceSnapshot]:
    async with db.session(Scope.internal()) as s:
        devices = list(await s.scalars(select(Device).where(Device.lot_id == lot_id).order_by(Device.id)))
    cameras = _cameras_seen(devices)
    snapshots = []
    for device in devices:
        if not device.config:
            continue  # registered by hand, nothing to talk to
        try:
            config = parse_device_config(device.config)
        except InvalidDeviceConfig as err:
            logger.warning("device %s has an invalid config, not polled: %s", device.id, err)
            continue
        snapshots.append(
            DeviceSnapshot(
                id=device.id,
                config=config,
                retrying=device.status is DeviceStatus.RETRYING,
                last_seen_at=device.last_seen_at,
                created_at=device.created_at,
                camera_seen_at=cameras.get(device.lane_id) if device.lane_id is not None else None,
            )
        )
    return snapshots


def _cameras_seen(devices: list[Device]) -> dict[int, datetime]:
    """When each lane's cameras last pushed or polled: a camera-IO barrier is as alive as its camera."""
    seen: dict[int, datetime] = {}
    for device in devices:
        relay = (device.config or {}).get("type") == "camera_io"  # never its own evidence
        if device.kind is DeviceKind.CAMERA and not relay and device.lane_id and device.last_seen_at is not None:
            seen[device.lane_id] = max(device.last_seen_at, seen.get(device.lane_id, device.last_seen_at))
    return seen


async def poll_lot(
    db: Database,
    lot_id: int,
    *,
    now: Callable[[], datetime] = utcnow,
    timeout_s: float = DEFAULT_PROBE_TIMEOUT_S,
    deps: AdapterDeps | None = None,
) -> PollReport:
    """Probe the lot's devices concurrently (no transaction open meanwhile), then record what was seen."""
    snapshots = await _snapshots(db, lot_id)
    at = now()
    seen = await asyncio.gather(*(observe(d, now=at, timeout_s=timeout_s, deps=deps) for d in snapshots))
    report = PollReport()
    for snapshot, observation in zip(snapshots, seen, strict=True):
        if observation is None:
            continue
        report.observed += 1
        if await _record(db, snapshot.id, observation, now=now()):
            report.changed.append(snapshot.id)
    return report


async def _record(db: Database, device_id: int, observation: Observation, *, now: datetime) -> bool:
    """One transaction per device, the row locked: pollers in two processes never both raise an alarm."""
    try:
        async with db.transaction(Scope.internal()) as s:
            device = await s.scalar(select(Device).where(Device.id == device_id).with_for_update())
            if device is None:
                return False  # deleted while we looked
            if (observation.serial or observation.mac) and device.status is not DeviceStatus.RETRYING:
                observation = Observation(online=observation.online, seen_at=observation.seen_at)
            return await record_observation(s, device, observation, now=now)
    except IntegrityError:
        # The identity it finally reported belongs to another registered device: keep it retrying, say why.
        async with db.transaction(Scope.internal()) as s:
            device = await s.get(Device, device_id)
            if device is not None:
                failed = Observation(online=False, error=f"identity {observation.serial} is already registered")
                await record_observation(s, device, failed, now=now)
        return False


class PollLoop:
    """The in-process periodic poller run by ``parkcloud serve`` and ``parkcloud worker``."""

    def __init__(
        self,
        db: Database,
        interval_s: float,
        *,
        timeout_s: float = DEFAULT_PROBE_TIMEOUT_S,
        deps: AdapterDeps | None = None,
        now: Callable[[], datetime] = utcnow,
        dispatch: Dispatch | None = None,
    ) -> None:
        self.db = db
        self.dispatch = dispatch
        self.interval_s = interval_s
        self.timeout_s = timeout_s
        self.deps = deps
        self.now = now
        self.rounds = 0

    async def round(self) -> PollReport:
        """Poll every lot once (lots one after another, a lot's devices concurrently); sweep stale commands."""
        total = PollReport()
        for command_id in await sweep_pending(self.db, now=self.now):
            if self.dispatch is not None:
                await self.dispatch(command_id)
        for lot_id in await lots_with_devices(self.db):
            try:
                report = await poll_lot(self.db, lot_id, now=self.now, timeout_s=self.timeout_s, deps=self.deps)
            except Exception:
                logger.exception("polling the devices of lot %s failed", lot_id)
                continue
            total.observed += report.observed
            total.changed.extend(report.changed)
        self.rounds += 1
        return total

    async def run(self) -> None:
        """Until cancelled; one bad round is logged and the next one still comes."""
        while True:
            try:
                await self.round()
            except Exception:
                logger.exception("device poll round failed")
            await asyncio.sleep(self.interval_s)
