"""Executing a device command through its hardware adapter; claimed once, its result recorded once."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hardware.base import GateState, Rebootable
from hardware.errors import DeviceError, DeviceRefused, DeviceUnavailable, GateFailedToOpen, InvalidDeviceConfig
from hardware.registry import AdapterDeps, build_barrier, parse_device_config
from parking.alarms.models import AlarmKind
from parking.alarms.service import LotRef, raise_alarm
from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.scope import Scope
from parking.devices import texts
from parking.devices.camera_relay import open_via_camera_poll
from parking.devices.commands import DELIVERED_BY_POLL, OPENED_BY_CAMERA_POLL
from parking.devices.models import Device, DeviceCommand, DeviceCommandKind, DeviceCommandStatus
from parking.devices.status import Observation, record_observation

logger = logging.getLogger(__name__)

#: How long an opened barrier may take to report open before GATE_FAILED (the arm travels in about 1 s).
DEFAULT_OPEN_TIMEOUT_S = 5.0


@dataclass(frozen=True, slots=True)
class Outcome:
    status: DeviceCommandStatus
    result: str
    alarm: AlarmKind | None = None
    reachable: bool | None = None  # what the attempt proved about the device, None when nothing


async def execute_command(
    db: Database,
    command_id: int,
    *,
    now: Callable[[], datetime] = utcnow,
    deps: AdapterDeps | None = None,
    open_timeout_s: float = DEFAULT_OPEN_TIMEOUT_S,
) -> DeviceCommandStatus | None:
    """Run one pending command; None when another executor already took it (safe to call twice)."""
    claimed = await _claim(db, command_id, now())
    if claimed is None:
        return None
    command, device_config, lane_id = claimed
    if command.status is DeviceCommandStatus.EXPIRED:
        return command.status
    if command.kind is DeviceCommandKind.OPEN_GATE and device_config.get("type") in OPENED_BY_CAMERA_POLL:
        outcome = await _open_camera_io(db, command, lane_id, open_timeout_s, now)
    else:
        outcome = await _run(command.kind, device_config, deps, open_timeout_s)
    await _finish(db, command, outcome, now())
    return outcome.status


async def _claim(
    db: Database, command_id: int, at: datetime
) -> tuple[DeviceCommand, dict[str, object], int | None] | None:
    async with db.transaction(Scope.internal()) as s:
        # Compare-and-set on the status: of two executors handed the same id, exactly one goes on.
        taken = await s.execute(
            update(DeviceCommand)
            .where(
                DeviceCommand.id == command_id,
                DeviceCommand.status == DeviceCommandStatus.PENDING,
                DeviceCommand.kind.not_in(DELIVERED_BY_POLL),  # the camera's poll takes these itself
            )
            .values(status=DeviceCommandStatus.SENT, sent_at=at)
        )
        if taken.rowcount != 1:  # type: ignore[attr-defined]
            return None
        command = await s.get(DeviceCommand, command_id, populate_existing=True)
        device = await s.get(Device, command.device_id) if command is not None else None
        if command is None or device is None:
            return None
        if at >= command.expires_at:
            command.status = DeviceCommandStatus.EXPIRED
            command.result = "expired before it could be sent"
            command.completed_at = at
        return command, dict(device.config), device.lane_id


async def _open_camera_io(
    db: Database, command: DeviceCommand, lane_id: int | None, timeout_s: float, now: Callable[[], datetime]
) -> Outcome:
    why_not = await open_via_camera_poll(
        db,
        lane_id,
        reason=f"device command {command.id}: {command.reason}"[:200],
        operator_id=command.operator_id,
        timeout_s=timeout_s,
        now=now,
    )
    if why_not is None:
        return Outcome(DeviceCommandStatus.DONE, "taken by the camera's poll", reachable=True)
    return Outcome(DeviceCommandStatus.FAILED, why_not, AlarmKind.GATE_FAILED)


async def _run(
    kind: DeviceCommandKind, raw_config: dict[str, object], deps: AdapterDeps | None, open_timeout_s: float
) -> Outcome:
    try:
        barrier = build_barrier(parse_device_config(raw_config), deps)
    except InvalidDeviceConfig as err:
        return Outcome(DeviceCommandStatus.FAILED, f"device config: {err}")
    try:
        if kind is DeviceCommandKind.OPEN_GATE:
            opened = await barrier.open()
            state = await barrier.wait_until_open(open_timeout_s)
            state = state if state.answer else replace(state, answer=opened.answer)
        elif kind is DeviceCommandKind.CLOSE_GATE:
            state = await barrier.close()
        elif kind is DeviceCommandKind.REBOOT and isinstance(barrier, Rebootable):
            state = await barrier.reboot()
        else:
            return Outcome(DeviceCommandStatus.FAILED, f"{kind.value} is not supported by this device")
    except GateFailedToOpen as err:
        return Outcome(DeviceCommandStatus.FAILED, str(err), AlarmKind.GATE_FAILED, reachable=True)
    except DeviceUnavailable as err:
        return Outcome(DeviceCommandStatus.FAILED, str(err), AlarmKind.DEVICE_OFFLINE, reachable=False)
    except DeviceRefused as err:
        return Outcome(DeviceCommandStatus.FAILED, str(err), reachable=True)
    except DeviceError as err:
        return Outcome(DeviceCommandStatus.FAILED, str(err) or type(err).__name__, reachable=True)
    finally:
        await barrier.aclose()
    return Outcome(DeviceCommandStatus.DONE, _describe(state), reachable=True)


def _describe(state: GateState) -> str:
    loop = "" if state.loop_occupied is None else f", loop {'occupied' if state.loop_occupied else 'clear'}"
    # A device that answers in words (an ISAPI ResponseStatus) is recorded as it answered.
    answered = f", device answered {state.answer}" if state.answer else ""
    return f"{state.position.value}{loop}{answered}"


async def _finish(db: Database, command: DeviceCommand, outcome: Outcome, at: datetime) -> None:
    async with db.transaction(Scope.internal()) as s:
        done = await s.execute(
            update(DeviceCommand)
            .where(DeviceCommand.id == command.id, DeviceCommand.status == DeviceCommandStatus.SENT)
            .values(status=outcome.status, result=outcome.result[:200], completed_at=at)
        )
        if done.rowcount != 1:  # type: ignore[attr-defined]
            logger.warning("command %s was finished by someone else; result %r dropped", command.id, outcome.result)
            return
        device = await s.scalar(select(Device).where(Device.id == command.device_id).with_for_update())
        if device is None:
            return
        await _device_after(s, device, command, outcome, at)


async def _device_after(
    s: AsyncSession, device: Device, command: DeviceCommand, outcome: Outcome, at: datetime
) -> None:
    if outcome.reachable is not None:
        # A command is a probe too: the device answered (or did not) just now.
        if outcome.reachable:
            seen = Observation(online=True, seen_at=at)
        else:
            seen = Observation(online=False, error=outcome.result)
        await record_observation(s, device, seen, now=at)
    if outcome.alarm is AlarmKind.GATE_FAILED:
        await raise_alarm(
            s,
            LotRef.of(device),
            AlarmKind.GATE_FAILED,
            texts.text(texts.DeviceText.GATE_FAILED, device=device.name),
            now=at,
            lane_id=device.lane_id,
            device_id=device.id,
            details={"command_id": command.id, "result": outcome.result[:200]},
        )


class InProcessDispatcher:
    """Runs each command as a task in this process (no Redis); ``drain()`` waits for the ones under way."""

    def __init__(
        self, db: Database, *, deps: AdapterDeps | None = None, open_timeout_s: float = DEFAULT_OPEN_TIMEOUT_S
    ) -> None:
        self.db = db
        self.deps = deps
        self.open_timeout_s = open_timeout_s
        self._tasks: set[asyncio.Task[DeviceCommandStatus | None]] = set()

    async def __call__(self, command_id: int) -> None:
        task = asyncio.create_task(
            execute_command(self.db, command_id, deps=self.deps, open_timeout_s=self.open_timeout_s)
        )
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[DeviceCommandStatus | None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("device command task failed", exc_info=task.exception())

    async def drain(self) -> None:
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)


async def sweep_pending(db: Database, *, now: Callable[[], datetime] = utcnow) -> list[int]:
    """Commands still pending (lost dispatch, restart): expire the stale ones, return the ids still runnable."""
    at = now()
    async with db.transaction(Scope.internal()) as s:
        await s.execute(
            update(DeviceCommand)
            .where(DeviceCommand.status == DeviceCommandStatus.PENDING, DeviceCommand.expires_at <= at)
            .values(status=DeviceCommandStatus.EXPIRED, result="expired before it could be sent", completed_at=at)
        )
        ids = list(
            await s.scalars(
                select(DeviceCommand.id)
                .where(
                    DeviceCommand.status == DeviceCommandStatus.PENDING,
                    DeviceCommand.kind.not_in(DELIVERED_BY_POLL),
                )
                .order_by(DeviceCommand.id)
                .limit(100)
            )
        )
    return ids
