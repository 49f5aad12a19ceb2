"""Live simulated traffic for `make run` and `parkcloud simulate`: demo cameras push real HTTP readings.

Simulated cameras (demo devices with ``config.simulated``) get a secret derived from the platform key, so the
simulator needs no stored plaintext. Cars enter, stay, and leave; some drive on into the inner lot (a garage
with its own gates) and back out. A car held at the exit for a fee calls the intercom and the simulated cloud
seat waives it with a reason, as operators do for visitors, which keeps the demo lots from filling up while
payments run only against the local fakes.

Every simulated camera also sends its keep-alive, as a real one does; now and then one goes dark for longer
than its silence limit, so the console shows a device going offline, an alarm, and the device coming back.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
from sqlalchemy import select

from hardware.cameras.types import PlateColorName
from hardware.simulators.camera import CameraSimulator
from parking.common.actor import Actor
from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.scope import Scope
from parking.devices.auth import hash_secret
from parking.devices.models import Device, DeviceKind
from parking.lanes import context, seat
from parking.plates import LETTERS
from parking.sessions.enums import SessionState
from parking.sessions.models import ParkingSession
from parking.tenancy.enums import LaneDirection
from parking.tenancy.models import Area, Lane, Lot
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
    inner_entry_serials: list[str] = field(default_factory=list)
    inner_exit_serials: list[str] = field(default_factory=list)
    monthly: list[str] = field(default_factory=list)
    inside: set[str] = field(default_factory=set)
    in_inner: set[str] = field(default_factory=set)  # also in ``inside``: the inner lot is within the lot

    @property
    def serials(self) -> list[str]:
        return self.entry_serials + self.exit_serials + self.inner_entry_serials + self.inner_exit_serials


async def provision(db: Database, secret_key: str) -> list[SimLot]:
    """Give simulated cameras their derived secrets; describe each lot's simulated lanes and plates."""
    lots: dict[int, SimLot] = {}
    async with db.transaction(Scope.internal()) as s:
        rows = await s.execute(
            select(Device, Lane, Lot, Area.is_inner)
            .join(Lane, Lane.id == Device.lane_id)
            .join(Lot, Lot.id == Device.lot_id)
            .outerjoin(Area, Area.id == Lane.area_id)
            .where(Device.kind == DeviceKind.CAMERA)
            .order_by(Device.id)
        )
        for device, lane, lot, is_inner in rows:
            if not (device.config or {}).get("simulated"):
                continue
            wanted = hash_secret(derived_secret(secret_key, device.serial))
            if device.secret_hash != wanted:
                device.secret_hash = wanted
            sim = lots.setdefault(lot.id, SimLot(lot.id, lot.capacity))
            entering = lane.direction is LaneDirection.ENTRY
            if is_inner:
                (sim.inner_entry_serials if entering else sim.inner_exit_serials).append(device.serial)
            else:
                (sim.entry_serials if entering else sim.exit_serials).append(device.serial)
        for sim in lots.values():
            sim.monthly = list(await s.scalars(select(Vehicle.plate).where(Vehicle.lot_id == sim.lot_id).limit(200)))
            stays = await s.execute(
                select(ParkingSession.plate, ParkingSession.parent_id).where(
                    ParkingSession.lot_id == sim.lot_id, ParkingSession.state == SessionState.IN_LOT
                )
            )
            for plate, parent_id in stays:
                (sim.inside if parent_id is None else sim.in_inner).add(plate)
            sim.in_inner &= sim.inside
    return [sim for sim in lots.values() if sim.entry_serials and sim.exit_serials]


def _plate(rng: random.Random) -> str:
    tail = "".join(rng.choice("0123456789" + LETTERS[:10]) for _ in range(5))
    return f"{rng.choice(PROVINCES)}{rng.choice(LETTERS[:12])}{tail}"


async def _intercom_waive(db: Database, session_id: int) -> None:
    actor = Actor(name="simulated cloud seat", scope=Scope.internal())
    async with db.transaction(Scope.internal()) as s:
        await seat.waive_fee(s, actor, str(session_id), "simulated: visitor on the intercom", utcnow())


@dataclass
class TrafficStats:
    """When each reading was sent (seconds after the start) and how long its camera waited for the reply."""

    sent_at: list[float] = field(default_factory=list)
    reply_s: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class _Move:
    sim: SimLot
    entering: bool
    plate: str
    serial: str
    inner: bool = False  # through the inner lot's gates


# Of the moves at a lot with an inner lot, this share goes through its gates.
INNER_SHARE = 0.3


def _inner_move(rng: random.Random, sim: SimLot, busy: set[str]) -> _Move | None:
    """A car inside the lot drives into the inner lot (a pass holder, mostly), or one in there comes back out."""
    leaving = sorted(sim.in_inner - busy)
    if leaving and rng.random() < 0.5:
        return _Move(sim, False, rng.choice(leaving), rng.choice(sim.inner_exit_serials), inner=True)
    outside_inner = sorted(sim.inside - sim.in_inner - busy)
    if not outside_inner:
        return None
    holders = [plate for plate in outside_inner if plate in set(sim.monthly)]
    plate = rng.choice(holders if holders and rng.random() < 0.8 else outside_inner)
    return _Move(sim, True, plate, rng.choice(sim.inner_entry_serials), inner=True)


def _next_move(rng: random.Random, lots: list[SimLot], busy: set[str]) -> _Move | None:
    """The next car to move, or None to draw again (a monthly car already inside, or every car busy)."""
    sim = rng.choice(lots)
    if sim.inner_entry_serials and sim.inner_exit_serials and rng.random() < INNER_SHARE:
        return _inner_move(rng, sim, busy)
    # A car in the inner lot has to come out of it before it can leave the lot.
    outside = sorted(sim.inside - sim.in_inner - busy)
    entering = not outside or (len(sim.inside) < sim.capacity * 0.6 and rng.random() < 0.55)
    if entering:
        plate = rng.choice(sim.monthly) if sim.monthly and rng.random() < 0.3 else _plate(rng)
        if plate in sim.inside or plate in busy:
            return None
        return _Move(sim, True, plate, rng.choice(sim.entry_serials))
    return _Move(sim, False, rng.choice(outside), rng.choice(sim.exit_serials))


@dataclass
class KeepAlive:
    """The simulated cameras' keep-alives: each camera calls every ``every_s``; every ``outage_every_s`` on
    average one camera goes dark for ``outage_s`` (longer than its silence limit), then calls again."""

    every_s: float = 15.0
    outage_every_s: float = 600.0
    outage_s: float = 120.0
    dark: dict[str, float] = field(default_factory=dict)  # serial -> when (loop time) it calls again

    def go_dark(self, serial: str, until: float) -> None:
        self.dark[serial] = until

    def _maybe_outage(self, rng: random.Random, serials: list[str], now: float) -> None:
        if serials and not self.dark and rng.random() < self.every_s / self.outage_every_s:
            serial = rng.choice(serials)
            logger.info("simulated camera %s goes dark for %g s", serial, self.outage_s)
            self.go_dark(serial, now + self.outage_s)

    async def round(
        self, cameras: Callable[[str], CameraSimulator], serials: list[str], now: float, rng: random.Random | None
    ) -> list[str]:
        """One keep-alive from every camera not dark at ``now``; returns the serials that called."""
        if rng is not None:
            self._maybe_outage(rng, serials, now)
        for serial, until in list(self.dark.items()):
            if now >= until:
                del self.dark[serial]
        called = [serial for serial in serials if serial not in self.dark]
        for serial in called:
            await cameras(serial).heartbeat()
        return called


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
    paced: bool = False,
    stats: TrafficStats | None = None,
    keep_alive: KeepAlive | None = None,
    reply_timeout_s: float = 2.0,
    replay_missed: bool = False,
) -> int:
    """Push readings until ``stop`` is set (or ``max_events``); returns how many readings were pushed.

    By default one reading at a time with random (exponential) gaps, as a quiet lot looks. ``paced`` offers
    exactly ``events_per_s`` by the wall clock instead: reading n is sent at n / events_per_s seconds whether
    or not earlier replies have come back, so a slow server cannot lower the offered rate (a load test).
    A car is never pushed again while its previous reading is in flight. ``keep_alive`` paces the cameras'
    keep-alives alongside (None: readings only, as load tests want). ``reply_timeout_s`` is how long each
    camera waits for a reply before it keeps the reading for offline replay (a miss); with ``replay_missed`` the
    cameras then send what they kept, as firmware does once the server answers again, so every reading offered
    reaches the server (a load test on a starved machine still stores each one, exactly once).
    """
    rng = random.Random(seed)
    outages = random.Random(None if seed is None else seed + 1)  # its own draws: moves stay as the seed says
    lots = await provision(db, secret_key)
    if not lots:
        logger.warning("no simulated cameras: load the demo first (parkcloud demo)")
        return 0
    url = f"{base_url.rstrip('/')}/devices/vzenith/push"
    cameras: dict[str, CameraSimulator] = {}
    loop = asyncio.get_running_loop()
    started = loop.time()
    busy: set[str] = set()

    def camera(serial: str) -> CameraSimulator:
        if serial not in cameras:
            cameras[serial] = CameraSimulator(
                url,
                serial=serial,
                token=derived_secret(secret_key, serial),
                token_header="X-Device-Key",
                transport=transport,
                timeout_s=reply_timeout_s,
            )
        return cameras[serial]

    serials = [serial for sim in lots for serial in sim.serials]

    async def keep_alives(plan: KeepAlive, stopping: asyncio.Event) -> None:
        while not stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), timeout=plan.every_s)
            if not stopping.is_set():
                await plan.round(camera, serials, loop.time(), outages)

    async def push(move: _Move) -> None:
        busy.add(move.plate)
        sent = loop.time()
        try:
            reply = await camera(move.serial).push(move.plate, PlateColorName.BLUE)
            if stats is not None:
                stats.sent_at.append(sent - started)
                stats.reply_s.append(loop.time() - sent)
            if move.inner:
                if reply is not None and reply.open:
                    (move.sim.in_inner.add if move.entering else move.sim.in_inner.discard)(move.plate)
            elif move.entering and reply is not None and reply.open:
                move.sim.inside.add(move.plate)
            elif not move.entering and reply is not None and reply.open:
                move.sim.inside.discard(move.plate)
            elif not move.entering and reply is not None:
                await _release_later(db, move.sim, move.plate)
        finally:
            busy.discard(move.plate)

    pushed = 0
    stop = stop or asyncio.Event()
    in_flight: set[asyncio.Task[None]] = set()
    beating: asyncio.Task[None] | None = None
    try:
        if keep_alive is not None:
            # Cameras announce themselves when they boot, before the first car: one round, then every period.
            await keep_alive.round(camera, serials, loop.time(), outages)
            beating = asyncio.create_task(keep_alives(keep_alive, stop))
        while not stop.is_set() and (max_events is None or pushed < max_events):
            move = _next_move(rng, lots, busy)
            if move is None:
                await asyncio.sleep(0)  # let in-flight pushes finish before drawing again
                continue
            if paced:
                task = asyncio.create_task(push(move))
                in_flight.add(task)
                task.add_done_callback(in_flight.discard)
            else:
                await push(move)
            pushed += 1
            wait = max(0.0, started + pushed / events_per_s - loop.time()) if paced else rng.expovariate(events_per_s)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=wait)
        if in_flight:
            await asyncio.gather(*in_flight)
        if replay_missed:
            for cam in cameras.values():
                await cam.replay_offline()
    finally:
        if beating is not None:
            beating.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await beating
        for cam in cameras.values():
            await cam.aclose()
    return pushed


async def _release_later(db: Database, sim: SimLot, plate: str) -> None:
    async with db.session(Scope.internal()) as s:
        stay = await context.open_stay(s, sim.lot_id, plate)
    if stay is not None:
        await _intercom_waive(db, stay.id)
        sim.inside.discard(plate)
        sim.in_inner.discard(plate)
