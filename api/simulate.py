"""Live simulated traffic for `make run` and `parkcloud simulate`: demo cameras push real HTTP readings.

Simulated cameras (demo devices with ``config.simulated``) get a secret derived from the platform key, so the
simulator needs no stored plaintext. Cars enter, stay, and leave; a car held at the exit for a fee calls the
intercom and the simulated cloud seat waives it with a reason, as operators do for visitors, which keeps the
demo lots from filling up while payments run only against the local fakes.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import logging
import random
from dataclasses import dataclass, field

import httpx
from sqlalchemy import select

from hardware.cameras.types import PlateColorName
from hardware.simulators.camera import CameraSimulator
from parking.accounts.actor import Actor
from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.scope import Scope
from parking.lanes import context, seat
from parking.lanes.device_auth import hash_secret
from parking.plates import LETTERS
from parking.sessions.enums import SessionState
from parking.sessions.models import ParkingSession
from parking.tenancy.enums import DeviceKind, LaneDirection
from parking.tenancy.models import Area, Device, Lane, Lot
from parking.vehicles.models import Vehicle

logger = logging.getLogger(__name__)

PROVINCES = "沪浙苏京粤川"


def derived_secret(secret_key: str, serial: str) -> str:
    return hmac.new(secret_key.encode(), f"simulated-camera:{serial}".encode(), hashlib.sha256).hexdigest()[:32]


@dataclass
class SimLot:
    lot_id: int
    capacity: int
    entry_serials: list[str] = field(default_factory=list)
    exit_serials: list[str] = field(default_factory=list)
    monthly: list[str] = field(default_factory=list)
    inside: set[str] = field(default_factory=set)


async def provision(db: Database, secret_key: str) -> list[SimLot]:
    """Give simulated cameras their derived secrets; describe each lot's simulated lanes and plates."""
    lots: dict[int, SimLot] = {}
    async with db.transaction(Scope.internal()) as s:
        rows = await s.execute(
            select(Device, Lane, Lot)
            .join(Lane, Lane.id == Device.lane_id)
            .join(Lot, Lot.id == Device.lot_id)
            .outerjoin(Area, Area.id == Lane.area_id)
            .where(Device.kind == DeviceKind.CAMERA, Area.is_inner.is_not(True))
        )
        for device, lane, lot in rows:
            if not (device.config or {}).get("simulated"):
                continue
            wanted = hash_secret(derived_secret(secret_key, device.serial))
            if device.secret_hash != wanted:
                device.secret_hash = wanted
            sim = lots.setdefault(lot.id, SimLot(lot.id, lot.capacity))
            (sim.entry_serials if lane.direction is LaneDirection.ENTRY else sim.exit_serials).append(device.serial)
        for sim in lots.values():
            sim.monthly = list(await s.scalars(select(Vehicle.plate).where(Vehicle.lot_id == sim.lot_id).limit(200)))
            sim.inside = set(
                await s.scalars(
                    select(ParkingSession.plate).where(
                        ParkingSession.lot_id == sim.lot_id,
                        ParkingSession.state == SessionState.IN_LOT,
                        ParkingSession.parent_id.is_(None),
                    )
                )
            )
    return [sim for sim in lots.values() if sim.entry_serials and sim.exit_serials]


def _plate(rng: random.Random) -> str:
    tail = "".join(rng.choice("0123456789" + LETTERS[:10]) for _ in range(5))
    return f"{rng.choice(PROVINCES)}{rng.choice(LETTERS[:12])}{tail}"


async def _intercom_waive(db: Database, session_id: int) -> None:
    actor = Actor(name="simulated cloud seat", scope=Scope.internal())
    async with db.transaction(Scope.internal()) as s:
        await seat.waive_fee(s, actor, str(session_id), "simulated: visitor on the intercom", utcnow())


async def run_traffic(
    db: Database,
    base_url: str,
    secret_key: str,
    *,
    events_per_s: float = 0.5,
    seed: int | None = None,
    stop: asyncio.Event | None = None,
    max_events: int | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> int:
    """Push readings until ``stop`` is set (or ``max_events``); returns how many readings were pushed."""
    rng = random.Random(seed)
    lots = await provision(db, secret_key)
    if not lots:
        logger.warning("no simulated cameras: load the demo first (parkcloud demo)")
        return 0
    url = f"{base_url.rstrip('/')}/devices/vzenith/push"
    cameras: dict[str, CameraSimulator] = {}

    def camera(serial: str) -> CameraSimulator:
        if serial not in cameras:
            cameras[serial] = CameraSimulator(
                url,
                serial=serial,
                token=derived_secret(secret_key, serial),
                token_header="X-Device-Key",
                transport=transport,
            )
        return cameras[serial]

    pushed = 0
    stop = stop or asyncio.Event()
    try:
        while not stop.is_set() and (max_events is None or pushed < max_events):
            sim = rng.choice(lots)
            entering = not sim.inside or (len(sim.inside) < sim.capacity * 0.6 and rng.random() < 0.55)
            if entering:
                plate = rng.choice(sim.monthly) if sim.monthly and rng.random() < 0.3 else _plate(rng)
                if plate in sim.inside:
                    continue
                reply = await camera(rng.choice(sim.entry_serials)).push(plate, PlateColorName.BLUE)
                if reply is not None and reply.open:
                    sim.inside.add(plate)
            else:
                plate = rng.choice(sorted(sim.inside))
                reply = await camera(rng.choice(sim.exit_serials)).push(plate, PlateColorName.BLUE)
                if reply is not None and reply.open:
                    sim.inside.discard(plate)
                elif reply is not None:
                    await _release_later(db, sim, plate)
            pushed += 1
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=rng.expovariate(events_per_s))
    finally:
        for cam in cameras.values():
            await cam.aclose()
    return pushed


async def _release_later(db: Database, sim: SimLot, plate: str) -> None:
    async with db.session(Scope.internal()) as s:
        stay = await context.open_stay(s, sim.lot_id, plate)
    if stay is not None:
        await _intercom_waive(db, stay.id)
        sim.inside.discard(plate)
