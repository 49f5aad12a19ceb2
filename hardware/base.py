"""Device Protocols and the value types they exchange; adapters in gates/ and health/, push codecs in cameras/."""

from __future__ import annotations

import enum
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol, TypeAlias, runtime_checkable

#: Monotonic seconds; injected so simulators and trackers can be driven by tests without sleeping.
Clock: TypeAlias = Callable[[], float]

#: A scalar read from a device (SNMP value, heartbeat field).
DeviceValue: TypeAlias = int | str | bytes | None


class GatePosition(enum.StrEnum):
    OPENING = "opening"
    OPEN = "open"
    CLOSING = "closing"
    CLOSED = "closed"
    UNKNOWN = "unknown"


class GateCommand(enum.StrEnum):
    OPEN = "open"
    CLOSE = "close"


@dataclass(frozen=True, slots=True)
class GateState:
    """What a barrier reports; ``loop_occupied`` is None when the adapter has no loop detector to read."""

    position: GatePosition
    loop_occupied: bool | None
    # What the device answered, in its own words, when it answers something (an ISAPI ResponseStatus).
    answer: str = ""


@dataclass(frozen=True, slots=True)
class Health:
    """One health observation; ``error`` says why a device is offline."""

    online: bool
    uptime_s: float | None = None
    if_oper_status: int | None = None
    values: Mapping[str, DeviceValue] = field(default_factory=dict)
    error: str | None = None


@dataclass(frozen=True, slots=True)
class HealthTransition:
    """An online/offline change; ``previous`` is None on the very first observation."""

    device: str
    previous: bool | None
    online: bool
    health: Health


#: Called on every online/offline transition; may be sync or async (awaited by the poller).
TransitionCallback: TypeAlias = Callable[[HealthTransition], Awaitable[None] | None]


@dataclass(frozen=True, slots=True)
class DeviceIdentity:
    """What a device says about itself when it is registered; fields it cannot report stay None."""

    kind: str
    serial: str | None = None
    mac: str | None = None
    sys_name: str | None = None
    vendor: str | None = None
    model: str | None = None
    firmware: str | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class WhitelistEntry:
    """A plate a camera may open for by itself (offline mode); ``plate`` is already normalised.

    Cameras keep wall-clock times: give the times in the lot's zone, they are written as they read there.
    None is "since always" / "for ever".
    """

    plate: str
    valid_until: datetime | None = None
    valid_from: datetime | None = None


@runtime_checkable
class Barrier(Protocol):
    async def open(self) -> GateState:
        """Send the open command; return the state read back once the device acknowledged it."""
        ...

    async def close(self) -> GateState:
        """Send the close command; raise DeviceRefused when the device will not close (vehicle on loop)."""
        ...

    async def state(self) -> GateState: ...

    async def wait_until_open(self, timeout_s: float) -> GateState:
        """Wait for the barrier to report open; raise GateFailedToOpen after ``timeout_s``."""
        ...

    async def aclose(self) -> None: ...


@runtime_checkable
class Rebootable(Protocol):
    async def reboot(self) -> GateState:
        """Restart the device (e.g. cut its power for a moment); return its state once it answers again."""
        ...


@runtime_checkable
class HealthProbe(Protocol):
    async def probe(self) -> Health:
        """Observe the device once; unreachable is ``Health(online=False, error=...)``, not an exception."""
        ...

    async def aclose(self) -> None: ...


@runtime_checkable
class Identifiable(Protocol):
    async def identity(self) -> DeviceIdentity:
        """Who the device says it is; raises DeviceUnavailable when it cannot be reached."""
        ...


class ManualClock:
    """A Clock that only moves when told to, for tests and accelerated simulations."""

    def __init__(self, start: float = 0.0) -> None:
        self._now = start

    def __call__(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("a clock cannot go backwards")
        self._now += seconds


class ScaledClock:
    """A Clock running ``speed`` times faster than the monotonic clock (simulations at 10x, 100x)."""

    def __init__(self, speed: float) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self._speed = speed
        self._origin = time.monotonic()

    def __call__(self) -> float:
        return (time.monotonic() - self._origin) * self._speed
