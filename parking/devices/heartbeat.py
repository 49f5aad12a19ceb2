"""A heartbeat pushed by a device: authenticate it, then record it as proof of life."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from parking.common.database import Database
from parking.common.scope import Scope
from parking.devices.auth import authenticate_device
from parking.devices.inputs import Serial
from parking.devices.status import Observation, record_observation
from parking.tenancy.enums import DeviceStatus


class Heartbeat(BaseModel):
    """The body a push-only device sends; unknown fields are refused so a misconfigured device fails loudly."""

    model_config = ConfigDict(extra="forbid")

    serial: Serial
    firmware: Annotated[str, Field(max_length=64)] | None = None
    uptime_s: Annotated[float, Field(ge=0)] | None = None


async def record_heartbeat(db: Database, beat: Heartbeat, secret: str, ip: str, *, now: datetime) -> DeviceStatus:
    """Raises DeviceAuthError; returns the device's status after the beat."""
    async with db.transaction(Scope.internal()) as s:
        device = await authenticate_device(s, beat.serial, secret, ip)
        await s.refresh(device, with_for_update=True)
        await record_observation(
            s, device, Observation(online=True, seen_at=now, ip=ip, firmware=beat.firmware), now=now
        )
        return device.status
