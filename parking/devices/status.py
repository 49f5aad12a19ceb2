"""Recording what was observed about a device: status, last seen, error counters, and the alarms that follow."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.alarms.models import AlarmKind
from parking.alarms.service import LotRef, has_unresolved, raise_alarm, resolve_open
from parking.common.events import devices_topic, publish_on_commit
from parking.devices import texts
from parking.devices.models import Device, DeviceKind, DeviceStatus

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Observation:
    """One look at a device. ``seen_at`` is when it last proved alive (None: this look says nothing new)."""

    online: bool
    seen_at: datetime | None = None
    error: str = ""
    firmware: str | None = None
    ip: str | None = None
    serial: str | None = None  # the identity a "retrying" device reported once reached
    mac: str | None = None
    failures_to_offline: int = 1


def next_status(current: DeviceStatus, online: bool, failures: int, failures_to_offline: int) -> DeviceStatus:
    """Pure rule: a retrying device stays retrying until reached; an online one survives a few missed looks."""
    if online:
        return DeviceStatus.ONLINE
    if current is DeviceStatus.RETRYING:
        return DeviceStatus.RETRYING
    if current is DeviceStatus.ONLINE and failures < failures_to_offline:
        return DeviceStatus.ONLINE
    return DeviceStatus.OFFLINE


async def record_observation(session: AsyncSession, device: Device, seen: Observation, *, now: datetime) -> bool:
    """Apply ``seen`` to ``device`` (locked by the caller); returns whether its status changed."""
    if seen.online:
        device.consecutive_failures = 0
        if seen.seen_at is not None and (device.last_seen_at is None or seen.seen_at > device.last_seen_at):
            device.last_seen_at = seen.seen_at
        if seen.firmware:
            device.firmware = seen.firmware[:64]
        if seen.ip:
            device.ip = seen.ip[:64]
        if seen.serial:
            device.serial = seen.serial[:64]
        if seen.mac:
            device.mac = seen.mac
    else:
        device.error_count += 1
        device.consecutive_failures += 1
        device.last_error = seen.error[:200]
    previous = device.status
    status = next_status(previous, seen.online, device.consecutive_failures, seen.failures_to_offline)
    if status is previous:
        return False
    device.status = status
    await session.flush()
    logger.info("device %s: %s -> %s", device.id, previous, status)
    publish_on_commit(session, devices_topic(device.lot_id), {"id": device.id})
    await _alarms_after_change(session, device, now)
    return True


async def _alarms_after_change(session: AsyncSession, device: Device, now: datetime) -> None:
    lot = LotRef.of(device)
    if device.status is DeviceStatus.OFFLINE:
        # Called on the transition only, so one outage raises one alarm however long it lasts.
        await raise_alarm(
            session,
            lot,
            AlarmKind.DEVICE_OFFLINE,
            texts.device_offline(device.name, device.serial, device.last_seen_at, now, device.last_error),
            now=now,
            device_id=device.id,
            lane_id=device.lane_id,
            details={
                "error": device.last_error,
                "last_seen_at": device.last_seen_at.isoformat() if device.last_seen_at else None,
                "silent_s": int((now - device.last_seen_at).total_seconds()) if device.last_seen_at else None,
            },
        )
    elif device.status is DeviceStatus.ONLINE:
        await resolve_open(session, AlarmKind.DEVICE_OFFLINE, now, texts.DEVICE_BACK, device_id=device.id)
    if device.lane_id is not None:
        await _lane_alarm(session, lot, device.lane_id, now)


async def _lane_alarm(session: AsyncSession, lot: LotRef, lane_id: int, now: datetime) -> None:
    """A lane is offline when every device on it is offline: nothing there can read a plate or open."""
    statuses = list(await session.scalars(select(Device.status).where(Device.lane_id == lane_id)))
    lane_down = bool(statuses) and all(s is DeviceStatus.OFFLINE for s in statuses)
    if lane_down:
        if not await has_unresolved(session, AlarmKind.LANE_OFFLINE, lane_id=lane_id):
            await raise_alarm(session, lot, AlarmKind.LANE_OFFLINE, texts.LANE_OFFLINE, now=now, lane_id=lane_id)
    elif any(s is DeviceStatus.ONLINE for s in statuses):
        await resolve_open(session, AlarmKind.LANE_OFFLINE, now, texts.LANE_BACK, lane_id=lane_id)


async def device_counts(session: AsyncSession) -> dict[tuple[DeviceKind, DeviceStatus], int]:
    """How many devices there are of each kind in each status, in the session's scope: one grouped query."""
    rows = await session.execute(select(Device.kind, Device.status, func.count()).group_by(Device.kind, Device.status))
    return {(kind, status): int(count) for kind, status, count in rows}
