"""Opening a camera-IO barrier from the cloud: the open becomes the lane's pending gate command, which the lane
camera takes with its next poll (the relay is the camera's, and a camera only listens in its replies).

Going through the database, not a process-local mailbox, lets the command be sent from one process and taken by
the camera's poll in another. An open the camera did not take in time is voided, so it never opens for a later car.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select, update

from parking.common.database import Database
from parking.common.scope import Scope
from parking.devices import gates
from parking.devices.models import GateCommand, GateCommandStatus
from parking.tenancy.models import Lane

# How often the executor looks whether the camera took the open; a camera polls about once a second.
LOOK_EVERY_S = 0.05


async def open_via_camera_poll(
    db: Database,
    lane_id: int | None,
    *,
    reason: str,
    operator_id: int | None,
    timeout_s: float,
    now: Callable[[], datetime],
) -> str | None:
    """Queue the open and wait for the camera to take it: None when it did, else why it did not."""
    if lane_id is None:
        return "the barrier is on no lane: no camera can take the open"
    async with db.transaction(Scope.internal()) as tx:
        lane = await tx.get(Lane, lane_id)
        if lane is None:
            return f"lane {lane_id} is gone"
        gate = gates.queue_open(
            tx, lane, now(), reason=reason, operator_id=operator_id, validity=timedelta(seconds=timeout_s)
        )
        await tx.flush()
        gate_id = gate.id
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while loop.time() < deadline:
        await asyncio.sleep(LOOK_EVERY_S)
        async with db.session(Scope.internal()) as s:
            status = await s.scalar(select(GateCommand.status).where(GateCommand.id == gate_id))
        if status is GateCommandStatus.DONE:
            return None
        if status is not GateCommandStatus.PENDING:
            return f"lane {lane_id}: the open was voided before the camera took it ({status})"
    async with db.transaction(Scope.internal()) as tx:
        voided = await tx.execute(
            update(GateCommand)
            .where(GateCommand.id == gate_id, GateCommand.status == GateCommandStatus.PENDING)
            .values(status=GateCommandStatus.EXPIRED, completed_at=now(), result="the camera did not take it in time")
        )
    if not getattr(voided, "rowcount", 0):
        return None  # taken in the last moment: the camera has it
    return f"lane {lane_id}: camera did not take the open command within {timeout_s:g} s"
