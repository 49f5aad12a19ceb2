"""Gate opens decided by the lane flow, sent on to the lane's hardware barriers after commit.

A Vzenith camera opens its own relay from the reply to its push; a Modbus relay barrier, or the barrier of a
Hikvision camera (which ignores the reply's body), needs a device command of its own. Each open becomes one
device command per hardware barrier of the lane, linked to the gate command through ``args``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.scope import Scope
from parking.devices.commands import COMMAND_TTL, dispatch_on_commit
from parking.devices.gates import OpenRef
from parking.devices.models import Device, DeviceCommand, DeviceCommandKind, GateCommand, GateCommandStatus

#: Adapter types that open only when told to directly (not through the camera's reply).
HARDWARE_BARRIERS = frozenset({"modbus_relay", "hikvision_isapi"})


@dataclass(frozen=True, slots=True)
class _Barrier:
    device_id: int
    agent_id: int
    customer_id: int
    lot_id: int


class GateRelay:
    """Installed in ``Database.services`` under ``parking.devices.gates.GATE_RELAY_SERVICE`` by the app.

    Which lanes have hardware barriers is cached per process for ``ttl_s``: most lanes have none, and an open
    must not cost them a query. A barrier added to a lane is used at the latest ``ttl_s`` later.
    """

    def __init__(self, db: Database, *, ttl_s: float = 10.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.db = db
        self.ttl_s = ttl_s
        self._clock = clock
        self._lanes: dict[int, tuple[float, tuple[_Barrier, ...]]] = {}

    async def _barriers(self, lane_id: int) -> tuple[_Barrier, ...]:
        cached = self._lanes.get(lane_id)
        if cached is not None and self._clock() < cached[0]:
            return cached[1]
        async with self.db.session(Scope.internal()) as s:
            rows = await s.execute(
                select(Device.id, Device.agent_id, Device.customer_id, Device.lot_id, Device.config).where(
                    Device.lane_id == lane_id
                )
            )
            found = tuple(
                _Barrier(row.id, row.agent_id, row.customer_id, row.lot_id)
                for row in rows
                if (row.config or {}).get("type") in HARDWARE_BARRIERS
            )
        self._lanes[lane_id] = (self._clock() + self.ttl_s, found)
        return found

    async def __call__(self, lane_id: int, ref: OpenRef) -> None:
        barriers = await self._barriers(lane_id)
        if not barriers:
            return
        await self._send(barriers, lane_id, ref, utcnow())

    async def _send(self, barriers: tuple[_Barrier, ...], lane_id: int, ref: OpenRef, now: datetime) -> None:
        async with self.db.transaction(Scope.internal()) as s:
            gate_command_id = ref.command_id
            if gate_command_id is None:
                gate_command_id = await s.scalar(
                    select(GateCommand.id).where(
                        GateCommand.lane_id == lane_id, GateCommand.lane_event_id == ref.lane_event_id
                    )
                )
                if gate_command_id is None:
                    return
            # A pending open is taken here exactly once (a camera poll may race for it); one already delivered
            # in the camera's reply is sent to the barrier as well.
            names = ", ".join(str(b.device_id) for b in barriers)
            taken = await s.execute(
                update(GateCommand)
                .where(GateCommand.id == gate_command_id, GateCommand.status == GateCommandStatus.PENDING)
                .values(status=GateCommandStatus.DONE, completed_at=now, result=f"sent to barrier {names}"[:200])
                .execution_options(synchronize_session=False)
            )
            if not getattr(taken, "rowcount", 0):
                replied = await s.execute(
                    update(GateCommand)
                    .where(
                        GateCommand.id == gate_command_id,
                        GateCommand.status == GateCommandStatus.DONE,
                        GateCommand.result == "camera_reply",
                    )
                    .values(result=f"camera_reply; sent to barrier {names}"[:200])
                    .execution_options(synchronize_session=False)
                )
                if not getattr(replied, "rowcount", 0):
                    return  # voided, expired, or already taken by the camera's poll: nothing to open
            commands = [
                DeviceCommand(
                    agent_id=barrier.agent_id,
                    customer_id=barrier.customer_id,
                    lot_id=barrier.lot_id,
                    device_id=barrier.device_id,
                    kind=DeviceCommandKind.OPEN_GATE,
                    reason="lane decision",
                    args={"gate_command_id": gate_command_id},
                    issued_at=now,
                    expires_at=now + COMMAND_TTL,
                )
                for barrier in barriers
            ]
            s.add_all(commands)
            await s.flush()
            for command in commands:
                dispatch_on_commit(s, command.id)
