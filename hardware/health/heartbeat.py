"""Health of devices that only push (HTTP heartbeats): last seen, offline after N silent seconds."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from hardware.base import DeviceIdentity, DeviceValue, Health, HealthTransition, TransitionCallback
from hardware.errors import UnknownDevice

logger = logging.getLogger(__name__)


class HeartbeatConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["http_heartbeat"] = "http_heartbeat"
    serial: str = Field(min_length=1, max_length=64)
    offline_after_s: float = Field(default=60.0, gt=0, le=86_400)


def utc_now() -> datetime:
    return datetime.now(UTC)


def _aware(now: datetime) -> datetime:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("heartbeat times must be timezone-aware")
    return now


@dataclass(slots=True)
class _Device:
    offline_after: timedelta
    registered_at: datetime
    last_seen: datetime | None = None
    online: bool | None = None
    uptime_s: float | None = None
    values: dict[str, DeviceValue] = field(default_factory=dict)


class HeartbeatTracker:
    """One per process; ``sweep()`` is called periodically (or by tests with an explicit ``now``)."""

    def __init__(
        self,
        *,
        clock: Callable[[], datetime] = utc_now,
        on_transition: TransitionCallback | None = None,
    ) -> None:
        self._clock = clock
        self._on_transition = on_transition
        self._devices: dict[str, _Device] = {}

    def register(self, device: str, offline_after_s: float) -> None:
        if offline_after_s <= 0:
            raise ValueError("offline_after_s must be positive")
        known = self._devices.get(device)
        if known is None:
            self._devices[device] = _Device(timedelta(seconds=offline_after_s), self._clock())
        else:
            known.offline_after = timedelta(seconds=offline_after_s)

    def forget(self, device: str) -> None:
        self._devices.pop(device, None)

    async def beat(
        self,
        device: str,
        *,
        uptime_s: float | None = None,
        values: Mapping[str, DeviceValue] | None = None,
        now: datetime | None = None,
    ) -> Health:
        """Record a heartbeat; raises UnknownDevice for a device nobody registered."""
        state = self._device(device)
        state.last_seen = _aware(now) if now is not None else self._clock()
        state.uptime_s = uptime_s
        state.values = dict(values or {})
        health = self._health(state, state.last_seen)
        await self._transition(device, state, health)
        return health

    async def sweep(self, now: datetime | None = None) -> list[HealthTransition]:
        """Mark every device silent for too long offline; returns (and reports) the transitions."""
        at = _aware(now) if now is not None else self._clock()
        changes = []
        for device, state in self._devices.items():
            if state.last_seen is None and at - state.registered_at <= state.offline_after:
                continue  # just registered: give it one full period to say hello
            health = self._health(state, at)
            change = await self._transition(device, state, health)
            if change is not None:
                changes.append(change)
        return changes

    def health(self, device: str, now: datetime | None = None) -> Health:
        at = _aware(now) if now is not None else self._clock()
        return self._health(self._device(device), at)

    def last_seen(self, device: str) -> datetime | None:
        return self._device(device).last_seen

    def probe_for(self, config: HeartbeatConfig) -> HeartbeatProbe:
        self.register(config.serial, config.offline_after_s)
        return HeartbeatProbe(self, config)

    def _device(self, device: str) -> _Device:
        state = self._devices.get(device)
        if state is None:
            raise UnknownDevice(f"no heartbeat device registered as {device!r}")
        return state

    def _health(self, state: _Device, at: datetime) -> Health:
        if state.last_seen is None:
            return Health(online=False, error="never seen")
        silent = at - state.last_seen
        if silent > state.offline_after:
            return Health(online=False, error=f"silent for {silent.total_seconds():g} s")
        return Health(online=True, uptime_s=state.uptime_s, values=dict(state.values))

    async def _transition(self, device: str, state: _Device, health: Health) -> HealthTransition | None:
        if health.online == state.online:
            return None
        change = HealthTransition(device, state.online, health.online, health)
        state.online = health.online
        logger.info("heartbeat %s: %s -> %s", device, change.previous, "online" if health.online else "offline")
        if self._on_transition is not None:
            result = self._on_transition(change)
            if inspect.isawaitable(result):
                await result
        return change


class HeartbeatProbe:
    """The HealthProbe view of one pushed device (no I/O: it reads the tracker)."""

    def __init__(self, tracker: HeartbeatTracker, config: HeartbeatConfig) -> None:
        self._tracker = tracker
        self.config = config

    async def probe(self) -> Health:
        return self._tracker.health(self.config.serial)

    async def identity(self) -> DeviceIdentity:
        # A push-only device cannot be asked who it is: its configured serial is what its heartbeats carry.
        return DeviceIdentity(kind="http_heartbeat", serial=self.config.serial)

    async def aclose(self) -> None:
        return None
