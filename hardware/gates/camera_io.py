"""Barrier driven through the plate camera's relay: the command rides on the camera's next HTTP reply."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from hardware.base import Clock, DeviceIdentity, GateCommand, GatePosition, GateState
from hardware.cameras.configs import MIN_OFFLINE_AFTER_S
from hardware.errors import GateFailedToOpen

logger = logging.getLogger(__name__)

# The camera's relay gives no feedback: position and loop are never known through this path.
_NO_FEEDBACK = GateState(position=GatePosition.UNKNOWN, loop_occupied=None)


class CameraIoConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["camera_io"] = "camera_io"
    lane_id: str = Field(min_length=1, max_length=64)
    validity_s: float = Field(default=30.0, gt=0, le=300)
    # The relay gives no feedback, so the barrier is as alive as its camera: silent this long (no push, no
    # poll) means offline. The floor is every push-judged device's (see hardware.cameras.configs).
    offline_after_s: float = Field(default=120.0, ge=MIN_OFFLINE_AFTER_S, le=3600)


@dataclass(slots=True)
class PendingCommand:
    """A command waiting for the camera; ``taken`` is set when the reply builder takes it."""

    command: GateCommand
    expires_at: float
    taken: asyncio.Event = field(default_factory=asyncio.Event)


class CommandMailbox:
    """Per-lane pending-command slots; a newer command replaces an older one, each is taken at most once."""

    def __init__(self, clock: Clock = time.monotonic) -> None:
        self._clock = clock
        self._slots: dict[str, PendingCommand] = {}

    def put(self, lane_id: str, command: GateCommand, validity_s: float) -> PendingCommand:
        pending = PendingCommand(command, self._clock() + validity_s)
        self._slots[lane_id] = pending
        return pending

    def take(self, lane_id: str) -> GateCommand | None:
        """Called by the camera-reply builder: the pending command, or None (none, already taken, expired)."""
        slot = self._slots.pop(lane_id, None)
        if slot is None:
            return None
        if self._clock() >= slot.expires_at:
            logger.warning("lane %s: %s command expired before the camera asked", lane_id, slot.command)
            return None
        slot.taken.set()
        return slot.command

    def pending(self, lane_id: str) -> GateCommand | None:
        slot = self._slots.get(lane_id)
        return slot.command if slot is not None and self._clock() < slot.expires_at else None


class CameraIoBarrier:
    """``wait_until_open`` returning means the camera took the command: the only confirmation there is."""

    def __init__(self, config: CameraIoConfig, mailbox: CommandMailbox) -> None:
        self.config = config
        self._mailbox = mailbox
        self._last: PendingCommand | None = None

    async def open(self) -> GateState:
        self._last = self._mailbox.put(self.config.lane_id, GateCommand.OPEN, self.config.validity_s)
        return _NO_FEEDBACK

    async def close(self) -> GateState:
        self._last = self._mailbox.put(self.config.lane_id, GateCommand.CLOSE, self.config.validity_s)
        return _NO_FEEDBACK

    async def state(self) -> GateState:
        return _NO_FEEDBACK

    async def wait_until_open(self, timeout_s: float) -> GateState:
        slot = self._last
        lane = self.config.lane_id
        if slot is None or slot.command is not GateCommand.OPEN:
            raise GateFailedToOpen(f"lane {lane}: no open command was sent", _NO_FEEDBACK)
        try:
            async with asyncio.timeout(timeout_s):
                await slot.taken.wait()
        except TimeoutError:
            raise GateFailedToOpen(
                f"lane {lane}: camera did not take the open command within {timeout_s:g} s", _NO_FEEDBACK
            ) from None
        return _NO_FEEDBACK

    async def identity(self) -> DeviceIdentity:
        return DeviceIdentity(kind="camera_io", description=f"relay of the camera on lane {self.config.lane_id}")

    async def aclose(self) -> None:
        return None
