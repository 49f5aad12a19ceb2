"""Registrable configs of devices that call the cloud (push cameras) or ride on a camera (its RS485 display).

Nothing here can be asked anything: a push camera proves it is alive by pushing (readings, keep-alives, polls),
so its health is its last push against ``offline_after_s``; a display on the camera's RS485 port is as alive as
its camera. The probes below only say who the device is, from its config.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from hardware.base import DeviceIdentity, Health
from hardware.cameras.isapi_xml import normalize_mac
from hardware.cameras.vzenith import VzenithSetup

#: The smallest silence limit any device judged by its pushes may have. The cloud records a push's time at a
#: granularity of a quarter of this (``parking.devices.liveness``), so a device that calls at least every
#: three quarters of its limit is never taken offline by the recording's coarseness.
MIN_OFFLINE_AFTER_S = 20.0
DEFAULT_OFFLINE_AFTER_S = 120.0


class _PushCamera(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # The identity its pushes carry (Vzenith ``serialno``, generic ``serial``): it cannot be asked for it.
    serial: str = Field(min_length=1, max_length=64)
    offline_after_s: float = Field(default=DEFAULT_OFFLINE_AFTER_S, ge=MIN_OFFLINE_AFTER_S, le=86_400)
    # Played by the demo's traffic simulator (``parkcloud simulate``), which gives it a derived secret.
    simulated: bool = False


class VzenithCameraConfig(_PushCamera, VzenithSetup):
    """A Vzenith (臻识) or clone camera pushing ``AlarmInfoPlate`` and polling (comet) for work; its heartbeat
    mode decides how commands reach it (docs/devices.md)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["vzenith"] = "vzenith"


class GenericPushCameraConfig(_PushCamera):
    """A device speaking ParkCloud's generic JSON push, version 1."""

    type: Literal["generic_push"] = "generic_push"


def _mac(value: str) -> str:
    mac = normalize_mac(value)
    if mac is None:
        raise ValueError(f"{value!r} is not a MAC address")
    return mac


class HikvisionPushCameraConfig(BaseModel):
    """A Hikvision ANPR camera that only pushes (the cloud cannot reach its ISAPI, e.g. behind the lot's NAT).
    Its alerts name it by MAC, so the MAC is its identity; with no route to it, it takes no commands."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["hikvision_push"] = "hikvision_push"
    mac: Annotated[str, AfterValidator(_mac)]
    offline_after_s: float = Field(default=DEFAULT_OFFLINE_AFTER_S, ge=MIN_OFFLINE_AFTER_S, le=86_400)


class CameraDisplayConfig(BaseModel):
    """An LED/voice card on the lane camera's RS485 port: frames ride in the camera's replies."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["camera_display"] = "camera_display"
    serial_channel: int = Field(default=0, ge=0, le=1)
    address: int = Field(default=0, ge=0, le=255)
    # Judged on its camera's last push or poll, like a camera-IO barrier.
    offline_after_s: float = Field(default=DEFAULT_OFFLINE_AFTER_S, ge=MIN_OFFLINE_AFTER_S, le=3600)


PushCameraConfig = VzenithCameraConfig | GenericPushCameraConfig | HikvisionPushCameraConfig


class ConfiguredIdentity:
    """The probe of a device that cannot be asked: its identity is what its config says, its health is judged
    by the cloud on the database's record of its pushes (``parking.devices.probe``), never here."""

    def __init__(self, config: PushCameraConfig | CameraDisplayConfig) -> None:
        self.config = config

    async def probe(self) -> Health:
        return Health(online=False, error="judged on its pushes, not probed")

    async def identity(self) -> DeviceIdentity:
        serial = getattr(self.config, "serial", None)
        return DeviceIdentity(kind=self.config.type, serial=serial, mac=getattr(self.config, "mac", None))

    async def aclose(self) -> None:
        return None
