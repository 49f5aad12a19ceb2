"""Recording what health checks see of a device, and telling live dashboards when its status changes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from parking.common.events import devices_topic, publish_on_commit
from parking.tenancy.enums import DeviceStatus
from parking.tenancy.models import Device


def record_device_status(session: AsyncSession, device: Device, status: DeviceStatus, now: datetime) -> bool:
    """Store the status; publish ``{"id": device_id}`` to the lot's device topic after commit when it changed.

    A device reporting the same status every few seconds only moves ``last_seen_at``: subscribers hear about
    changes, not heartbeats.
    """
    changed = device.status is not status
    device.status = status
    if status is DeviceStatus.ONLINE:
        device.last_seen_at = now
    if changed:
        publish_on_commit(session, devices_topic(device.lot_id), {"id": device.id})
    return changed
