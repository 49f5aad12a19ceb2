"""Looking at devices through their hardware adapters: identity at registration, health when polled."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from hardware.base import DeviceIdentity
from hardware.cameras.configs import (
    CameraDisplayConfig,
    GenericPushCameraConfig,
    HikvisionPushCameraConfig,
    VzenithCameraConfig,
)
from hardware.errors import DeviceError
from hardware.gates.camera_io import CameraIoConfig
from hardware.health.heartbeat import HeartbeatConfig
from hardware.health.snmp import SnmpConfig
from hardware.registry import (
    REGISTRY,
    AdapterDeps,
    DeviceConfig,
    build_barrier,
    build_health_probe,
    probe_identity,
)
from parking.devices.status import Observation

logger = logging.getLogger(__name__)

DEFAULT_PROBE_TIMEOUT_S = 3.0

#: Devices that call the cloud and cannot be asked anything: judged on their last push against their limit.
PUSH_ONLY = (HeartbeatConfig, VzenithCameraConfig, GenericPushCameraConfig, HikvisionPushCameraConfig)
#: Devices that ride on the lane camera (its relay, its RS485 display): as alive as the camera.
ON_CAMERA = (CameraIoConfig, CameraDisplayConfig)


@dataclass(frozen=True, slots=True)
class DeviceSnapshot:
    """What the poller needs of a device row, read before any I/O so no transaction waits on a device."""

    id: int
    config: DeviceConfig
    retrying: bool
    last_seen_at: datetime | None
    created_at: datetime
    # A camera-IO barrier: when the camera on its lane last pushed or polled (None: never, or no camera).
    camera_seen_at: datetime | None = None


def identity_key(identity: DeviceIdentity) -> str | None:
    """The serial when the device has one, else its MAC: what the device row is keyed by."""
    return identity.serial or identity.mac


def config_host(config: DeviceConfig) -> str | None:
    host = getattr(config, "host", None)
    return host if isinstance(host, str) else None


async def identify(config: DeviceConfig, timeout_s: float, deps: AdapterDeps | None = None) -> DeviceIdentity:
    """Raises DeviceError (DeviceUnavailable, DeviceTimeout, ...) when the device cannot tell who it is."""
    try:
        async with asyncio.timeout(timeout_s):
            return await probe_identity(config, deps)
    except TimeoutError as err:
        raise DeviceError(f"no identity within {timeout_s:g} s") from err
    except OSError as err:
        raise DeviceError(str(err)) from err


def failures_to_offline(config: DeviceConfig) -> int:
    return config.offline_after_failures if isinstance(config, SnmpConfig) else 1


async def observe(
    device: DeviceSnapshot, *, now: datetime, timeout_s: float, deps: AdapterDeps | None = None
) -> Observation | None:
    """One look at ``device``; None when this look can say nothing yet (a device registered moments ago)."""
    config = device.config
    limit = failures_to_offline(config)
    if device.retrying:
        return await _reach(config, now=now, timeout_s=timeout_s, deps=deps)
    if isinstance(config, PUSH_ONLY):
        return _heartbeat(device, config.offline_after_s, now)
    if isinstance(config, ON_CAMERA):
        return _camera_io(device, config.offline_after_s, now)
    spec = REGISTRY[str(getattr(config, "type", ""))]
    try:
        async with asyncio.timeout(timeout_s):
            if spec.role == "barrier":
                barrier = build_barrier(config, deps)
                try:
                    await barrier.state()
                finally:
                    await barrier.aclose()
                return Observation(online=True, seen_at=now)
            probe = build_health_probe(config, deps)
            try:
                health = await probe.probe()
            finally:
                await probe.aclose()
    except TimeoutError:
        return Observation(online=False, error=f"no answer within {timeout_s:g} s", failures_to_offline=limit)
    except (DeviceError, OSError) as err:
        return Observation(online=False, error=str(err) or type(err).__name__, failures_to_offline=limit)
    if health.online:
        return Observation(online=True, seen_at=now)
    return Observation(online=False, error=health.error or "offline", failures_to_offline=limit)


async def _reach(config: DeviceConfig, *, now: datetime, timeout_s: float, deps: AdapterDeps | None) -> Observation:
    try:
        identity = await identify(config, timeout_s, deps)
    except DeviceError as err:
        return Observation(online=False, error=str(err) or type(err).__name__)
    return Observation(
        online=True,
        seen_at=now,
        firmware=identity.firmware,
        ip=config_host(config),
        serial=identity_key(identity),
        mac=identity.mac,
    )


def _heartbeat(device: DeviceSnapshot, offline_after_s: float, now: datetime) -> Observation | None:
    """Push-only: the database's last push or heartbeat is the evidence; silence past the limit means offline."""
    limit = timedelta(seconds=offline_after_s)
    if device.last_seen_at is None:
        if now - device.created_at <= limit:
            return None  # just registered: give it one full period to say hello
        return Observation(online=False, error="never called")
    silent = now - device.last_seen_at
    if silent > limit:
        return Observation(
            online=False, error=f"silent for {silent.total_seconds():.0f} s (limit {offline_after_s:g} s)"
        )
    return Observation(online=True)


def _camera_io(device: DeviceSnapshot, offline_after_s: float, now: datetime) -> Observation | None:
    """The camera's relay or display answers nothing itself: the camera's last push or poll on its lane is the
    evidence."""
    limit = timedelta(seconds=offline_after_s)
    if device.camera_seen_at is None:
        if now - device.created_at <= limit:
            return None  # just registered: give its camera one full period to call
        return Observation(online=False, error="its camera has never pushed or polled")
    silent = now - device.camera_seen_at
    if silent > limit:
        return Observation(online=False, error=f"its camera silent for {silent.total_seconds():.0f} s")
    return Observation(online=True, seen_at=device.camera_seen_at)
