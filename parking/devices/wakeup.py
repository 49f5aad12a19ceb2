"""Waking a camera's held comet poll when a command for it is queued, in this process or in another one.

A comet camera's poll is held open until a command is due. Whoever queues a command (a gate open for a lane, a
whitelist push for a camera) calls ``wake_on_commit``: after commit the in-process ``Wakeups`` hear it at once
(``CameraWorkQueued``), and the event bus carries it to every other process (a ``Broadcast``, Redis pub/sub when
configured). A notification that finds no poll waiting is kept as a hint for a short while, so the camera's next
poll takes the command at once.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from parking.common.domain_events import DomainEvent, emit
from parking.common.events import Broadcast, EventBus, Payload
from parking.common.services import ServiceKey, Services

logger = logging.getLogger(__name__)

CAMERA_WORK_TOPIC = "camera-work"
# A hint outlives every command it can stand for (a gate open is valid 30 s).
HINT_TTL_S = 60.0
# Bus listener restarts after a dropped connection are spaced so a dead Redis is not hammered.
RELISTEN_AFTER_S = 1.0

Key = tuple[str, int]


def lane_key(lane_id: int) -> Key:
    return ("lane", lane_id)


def device_key(device_id: int) -> Key:
    return ("device", device_id)


def _keys(payload: Payload) -> list[Key]:
    keys = []
    for kind in ("lane", "device"):
        value = payload.get(f"{kind}_id")
        if isinstance(value, int) and not isinstance(value, bool):
            keys.append((kind, value))
    return keys


@dataclass(frozen=True, slots=True)
class CameraWorkQueued(DomainEvent):
    """A command waits for the cameras of a lane (or for one device): their held polls should look now."""

    payload: Payload


class Wakeups:
    """Per-process: held polls wait here, notifications wake them (or leave a hint for the next poll)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._waiters: dict[Key, set[asyncio.Future[None]]] = {}
        self._hints: dict[Key, float] = {}
        self.notified = 0  # for the bench and tests

    def notify(self, payload: Payload) -> None:
        self.notified += 1
        now = self._clock()
        for key in _keys(payload):
            waiters = self._waiters.get(key)
            for future in list(waiters or ()):
                if not future.done():
                    future.set_result(None)
            if not waiters:  # (a woken poll still registered has the news: no hint for the next one)
                self._hints[key] = now + HINT_TTL_S
        if len(self._hints) > 10_000:
            self._hints = {k: until for k, until in self._hints.items() if until > now}

    def has_hint(self, key: Key) -> bool:
        """Whether a notification for ``key`` is waiting for a poll (without taking it)."""
        until = self._hints.get(key)
        return until is not None and until > self._clock()

    def take_hint(self, keys: Iterable[Key]) -> bool:
        """Whether a notification came for ``keys`` while no poll was waiting (and forget it)."""
        now = self._clock()
        found = False
        for key in keys:
            until = self._hints.pop(key, None)
            found = found or (until is not None and until > now)
        return found

    async def wait(self, keys: Iterable[Key], timeout_s: float) -> bool:
        """True when woken by a notification for one of ``keys`` (or a hint was waiting), False on timeout."""
        keys = list(keys)
        if self.take_hint(keys):
            return True
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        for key in keys:
            self._waiters.setdefault(key, set()).add(future)
        try:
            await asyncio.wait_for(future, timeout_s)
        except TimeoutError:
            return False
        finally:
            for key in keys:
                waiters = self._waiters.get(key)
                if waiters is not None:
                    waiters.discard(future)
                    if not waiters:
                        del self._waiters[key]
        return True

    @property
    def waiting(self) -> int:
        return sum(len(w) for w in self._waiters.values())

    async def listen(self, bus: EventBus) -> None:
        """Hear notifications from other processes until cancelled; a dropped subscription is renewed."""
        while True:
            try:
                async with bus.listen([CAMERA_WORK_TOPIC]) as stream:
                    async for _topic, payload in stream:
                        self.notify(payload)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning("camera wake-up listener lost its subscription; renewing", exc_info=True)
            await asyncio.sleep(RELISTEN_AFTER_S)


#: This process's held polls; one per database, made by the camera endpoints.
WAKEUPS_SERVICE = ServiceKey[Wakeups]("camera_wakeups")


def wake_on_commit(session: AsyncSession, *, lane_id: int | None = None, device_id: int | None = None) -> None:
    """After commit, wake the held polls of the lane's cameras (or of the device): here and in other processes."""
    payload: dict[str, Any] = {}
    if lane_id is not None:
        payload["lane_id"] = lane_id
    if device_id is not None:
        payload["device_id"] = device_id
    # The local wake-up first: another process re-checks anyway.
    emit(session, CameraWorkQueued(payload))
    emit(session, Broadcast(CAMERA_WORK_TOPIC, payload))


async def wake_held_polls(event: CameraWorkQueued, services: Services) -> None:
    """The handler of ``CameraWorkQueued``: this process's polls hear it at once."""
    wakeups = services.get(WAKEUPS_SERVICE)
    if wakeups is not None:
        wakeups.notify(event.payload)
