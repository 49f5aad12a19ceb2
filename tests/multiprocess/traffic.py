"""Cameras pushing to the deployment as firmware does, and what the database recorded of them.

A camera whose push fails (refused, cut, a 5xx, an unreadable answer) keeps the reading and sends it again
flagged offline once the platform answers (``CameraSimulator.replay_offline``): the platform must record every
reading exactly once however many times it arrives.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select

from hardware.simulators.camera import CameraSimulator
from parking.common.database import Database
from parking.common.scope import Scope
from parking.sessions.enums import SessionState
from parking.sessions.models import LaneEvent, ParkingSession
from tests.lanes.site import Site

PUSH = "/devices/vzenith/push"
# A bound on waiting for the platform to answer again after a fault: a hang fails instead of blocking the run.
RECOVER_S = 60.0


def camera(base_url: str, site: Site, lane: str) -> CameraSimulator:
    """The Vzenith camera of ``lane`` (build_site's serials end with the lane's name), pushing to ``base_url``."""
    serial = next(s for s in site.secrets if s.endswith(f"-{lane}"))
    return CameraSimulator(
        base_url + PUSH,
        serial=serial,
        token=site.secrets[serial],
        token_header="X-Device-Key",
        send_scene=False,
        timeout_s=10.0,
        max_queue=1000,
    )


@dataclass
class Pushes:
    """What a camera saw: how many pushes were answered and how many failed (to be sent again)."""

    answered: int = 0
    failed: int = 0
    closed: int = 0  # answered, but the barrier stayed shut: a wrong decision, not a retryable answer
    errors: Counter[str] = field(default_factory=Counter)
    answered_at: list[float] = field(default_factory=list)  # time.monotonic() of each answer

    def recovered_after(self, fault_at: float) -> float:
        """Seconds from the fault (or the end of it) to the first push answered after it: the time to recover."""
        return min(t for t in self.answered_at if t > fault_at) - fault_at

    def retryable(self) -> bool:
        """Whether every failed push failed as a camera retries: no answer, a 5xx, never a 4xx or garbage."""
        return all(e.startswith(("HTTP 5", "Connect", "Read", "Remote", "Write", "Pool")) for e in self.errors)


async def push_plates(cam: CameraSimulator, plates: list[str], seen: Pushes, pause_s: float = 0.0) -> None:
    for plate in plates:
        reply = await cam.push(plate)
        if reply is None:
            seen.failed += 1
            seen.errors[cam.last_error or "?"] += 1
        else:
            seen.answered += 1
            seen.answered_at.append(time.monotonic())
            seen.closed += not reply.open
            if cam.queued:
                await cam.replay_offline()
        if pause_s:
            await asyncio.sleep(pause_s)


async def drain(cams: list[CameraSimulator], seen: Pushes) -> None:
    """Replay every camera's backlog until the platform took all of it (each answer counts in ``seen``)."""
    deadline = time.monotonic() + RECOVER_S
    for cam in cams:
        while cam.queued:
            assert time.monotonic() < deadline, f"camera {cam.serial} still holds {len(cam.queued)}: {cam.last_error}"
            if await cam.replay_offline():
                seen.answered_at.append(time.monotonic())
            else:
                await asyncio.sleep(0.1)


async def until_answered(cam: CameraSimulator, plate: str) -> float:
    """Push ``plate`` until the platform answers it; returns the seconds that took (the time to recover)."""
    started = time.monotonic()
    while await cam.push(plate) is None:
        assert time.monotonic() - started < RECOVER_S, f"no answer within {RECOVER_S} s: {cam.last_error}"
        await asyncio.sleep(0.1)
    return time.monotonic() - started


@dataclass(frozen=True)
class Recorded:
    events: Counter[str]  # lane events per plate
    event_keys: Counter[str]  # lane events per dedup key (a reading recorded twice shows as 2)
    stays: Counter[str]  # stays (top level, not the inner lot's) per plate
    open_stays: int


async def recorded(db: Database, site: Site) -> Recorded:
    async with db.session(Scope.internal()) as s:
        events = (
            await s.execute(select(LaneEvent.plate, LaneEvent.dedup_key).where(LaneEvent.lot_id == site.lot_id))
        ).all()
        stays = (
            await s.execute(
                select(ParkingSession.plate, ParkingSession.state).where(
                    ParkingSession.lot_id == site.lot_id, ParkingSession.parent_id.is_(None)
                )
            )
        ).all()
    return Recorded(
        events=Counter(plate for plate, _ in events),
        event_keys=Counter(key for _, key in events),
        stays=Counter(plate for plate, _ in stays),
        open_stays=sum(1 for _, state in stays if state is SessionState.IN_LOT),
    )


def plates(prefix: str, count: int) -> list[str]:
    """``count`` distinct valid plates: 沪 + a letter + five digits."""
    return [f"沪{prefix}{n:05d}" for n in range(count)]
