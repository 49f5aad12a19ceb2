"""Validated inputs of the device use-cases."""

from __future__ import annotations

import ipaddress
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, Field, StringConstraints

from parking.common.inputs import Id, Name, Text200
from parking.devices.models import DeviceCommandKind, DeviceKind

Serial = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-:.]+$")]


def _address(value: str) -> str:
    # Stored in canonical form: pushes are matched against the list by exact address (parking.devices.auth).
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError as err:
        raise ValueError(f"{value!r} is not an IP address") from err


IpAddress = Annotated[str, AfterValidator(_address)]


class DeviceRegister(BaseModel):
    lot_id: Id
    lane_id: Id | None = None
    kind: DeviceKind
    name: Name
    model: Annotated[str, Field(max_length=64)] = ""
    # Only needed when the device cannot report a serial or MAC itself (a bare relay board, say).
    serial: Serial | None = None
    config: dict[str, Any]
    allowed_ips: Annotated[list[IpAddress], Field(max_length=32)] = []


class DeviceCreate(BaseModel):
    lot_id: Id
    lane_id: Id | None = None
    kind: DeviceKind
    name: Name
    model: Annotated[str, Field(max_length=64)] = ""
    serial: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-:.]+$")]
    ip: Annotated[str, Field(max_length=64)] = ""
    protocol: Annotated[str, Field(max_length=32)] = ""


class DeviceUpdate(BaseModel):
    lane_id: Id | None = None
    name: Name | None = None
    model: Annotated[str, Field(max_length=64)] | None = None
    ip: Annotated[str, Field(max_length=64)] | None = None
    protocol: Annotated[str, Field(max_length=32)] | None = None
    # A new configuration of the same type, validated like a registration's; the serial or MAC in it stays.
    config: dict[str, Any] | None = None


class DeviceCommandSend(BaseModel):
    device_id: Id
    kind: DeviceCommandKind
    reason: Text200 = ""
