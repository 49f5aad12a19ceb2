"""A heartbeat pushed by a device: authenticated like a camera push, then recorded as proof of life."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from parking.common.database import Database
from parking.common.scope import Scope
from parking.devices.auth import DeviceRefused, Refusal, authenticate
from parking.devices.inputs import Serial
from parking.devices.models import Device, DeviceStatus
from parking.devices.status import Observation, record_observation

PROTOCOL = "heartbeat"


class Heartbeat(BaseModel):
    """The body a push-only device sends; unknown fields are refused so a misconfigured device fails loudly."""

    model_config = ConfigDict(extra="forbid")

    serial: Serial
    firmware: Annotated[str, Field(max_length=64)] | None = None
    uptime_s: Annotated[float, Field(ge=0)] | None = None


async def record_heartbeat(db: Database, beat: Heartbeat, secret: str, ip: str, *, now: datetime) -> DeviceStatus:
    """The device's status after the beat; raises DeviceRefused after committing the refusal's record."""
    refused: DeviceRefused | None = None
    async with db.transaction(Scope.internal()) as s:
        # Loaded (and locked) before authenticating: ``authenticate`` marks it online behind the ORM's back, and
        # the status held here is what tells an outage's end (alarms resolved, change published).
        device = await s.scalar(select(Device).where(Device.serial == beat.serial).with_for_update())
        try:
            await authenticate(s, PROTOCOL, beat.serial, secret, ip, now)
        except DeviceRefused as err:
            if err.reason is not Refusal.NO_LANE:
                refused = err  # committed below: the refusal and its alarm are the point of recording it
        if refused is None and device is not None:
            seen = Observation(online=True, seen_at=now, ip=ip, firmware=beat.firmware)
            await record_observation(s, device, seen, now=now)
            status = device.status
    if refused is not None or device is None:
        raise refused or DeviceRefused(Refusal.UNKNOWN_DEVICE, beat.serial)
    return status
