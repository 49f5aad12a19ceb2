"""A per-process memory of devices that recently proved who they are, so a camera's next pushes skip the
authentication transaction.

A lane camera pushes every reading and a keep-alive every few seconds; ``authenticate`` reads its row each time
(a transaction of its own, before the decision's) and writes ``last_seen_at`` at most every ``SEEN_EVERY``.
Remembered after a commit: the device's identity and credentials, for ``ttl_s`` seconds, which is what a change
made in another process (a rotated secret, a new allow-list, a camera moved to another lane, a poller marking it
offline) may take to show here. A change to a device committed through the ORM in this process forgets it at
once. Only a device that is online, whose ``last_seen_at`` write is not due, and whose credentials match is
answered from here; everything else (refusals and their alarms included) goes through ``authenticate``.
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row

from parking.common.committed_changes import on_committed_changes
from parking.common.domain_events import DomainEvent
from parking.common.services import Services
from parking.devices.auth import SEEN_EVERY, DeviceIdentity, credential_refusal
from parking.devices.models import Device

DEFAULT_TTL_S = 5.0
_caches: weakref.WeakSet[DeviceCache] = weakref.WeakSet()


@dataclass(frozen=True, slots=True)
class KnownDevice:
    """What authentication needs of a device, as committed."""

    id: int
    serial: str
    mac: str | None
    lane_id: int | None
    lot_id: int
    secret_hash: str
    allowed_ips: tuple[str, ...]
    last_seen_at: datetime

    @classmethod
    def of(cls, device: Device | Row[Any], seen_at: datetime) -> KnownDevice:
        """From a loaded device, or a row returning the same columns (a comet poll's end-of-hold look)."""
        return cls(
            id=device.id,
            serial=device.serial,
            mac=device.mac,
            lane_id=device.lane_id,
            lot_id=device.lot_id,
            secret_hash=device.secret_hash or "",
            allowed_ips=tuple(device.allowed_ips or ()),
            last_seen_at=seen_at,
        )

    def admits(self, secret: str | None, ip: str | None) -> bool:
        """``authenticate``'s rule, on the remembered credentials."""
        return credential_refusal(self.secret_hash, self.allowed_ips, secret, ip) is None


class DeviceCache:
    def __init__(self, ttl_s: float = DEFAULT_TTL_S, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl_s = ttl_s
        self._clock = clock
        self._devices: dict[str, tuple[float, KnownDevice]] = {}
        # Each ``forget`` is a new generation; what was read before a device changed is not stored after it.
        self._generation = 0
        self._changed_in: dict[int, int] = {}
        self._cleared_in = 0
        _caches.add(self)

    def identity(
        self, serial: str, secret: str | None, ip: str | None, now: datetime, *, need_lane: bool = True
    ) -> DeviceIdentity | None:
        """The pushing device if it is remembered and nothing about this push needs the database."""
        hit = self._devices.get(serial)
        if hit is None or hit[0] <= self._clock():
            return None
        known = hit[1]
        if now - known.last_seen_at >= SEEN_EVERY or not known.admits(secret, ip):
            return None
        if need_lane and known.lane_id is None:
            return None
        return DeviceIdentity(known.id, known.lane_id, known.lot_id)

    def seen(self, device: Device, seen_at: datetime) -> DeviceSeen:
        """The event that stores ``device`` as it is now (online, last seen at ``seen_at``) once committed."""
        return DeviceSeen(self, KnownDevice.of(device, seen_at), self._generation)

    def remember_seen(self, event: DeviceSeen) -> None:
        """Store what ``event`` read, unless the device changed (or everything was dropped) since."""
        if self._cleared_in > event.read_in or self._changed_in.get(event.known.id, -1) > event.read_in:
            return
        self.remember(event.known)

    def remember(self, known: KnownDevice) -> None:
        """Store a device as committed (a commit's after-action, or a comet camera's end-of-hold look at its row)."""
        for key in {known.serial, known.mac or known.serial}:  # pushes name a Hikvision camera by MAC
            self._devices[key] = (self._clock() + self.ttl_s, known)

    def forget(self, device_ids: set[int] | None = None) -> None:
        """Drop these devices (None: all)."""
        self._generation += 1
        if device_ids is None:
            self._cleared_in = self._generation
            self._devices.clear()
            return
        for device_id in device_ids:
            self._changed_in[device_id] = self._generation
        for serial, (_, known) in list(self._devices.items()):
            if known.id in device_ids:
                del self._devices[serial]


@dataclass(frozen=True, slots=True)
class DeviceSeen(DomainEvent):
    """A device proved who it is in a transaction: once committed, the cache it was read for remembers it."""

    cache: DeviceCache
    known: KnownDevice
    read_in: int  # the cache's generation when the row was read


async def remember_seen(event: DeviceSeen, _services: Services) -> None:
    """The handler of ``DeviceSeen``."""
    event.cache.remember_seen(event)


def _device_id(obj: object) -> int | None:
    return obj.id if isinstance(obj, Device) else None


def _forget_everywhere(device_ids: set[int]) -> None:
    for cache in list(_caches):
        cache.forget(device_ids)


# A new device is not remembered anywhere yet: only changes and deletions matter.
on_committed_changes(_device_id, _forget_everywhere, new_too=False)
