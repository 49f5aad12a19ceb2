"""Lane decisions on PostgreSQL: sustained decisions/s from concurrent lanes, latency at 100/s, and the ceiling.

Simulated lanes push readings straight into ``handle_reading`` (the camera endpoint's work minus HTTP): each
lane alternates a new car's entry with an earlier car's exit, so the lot neither fills nor empties. The ceiling
is a raw asyncpg transaction doing the same reads and writes per reading (the same statements, down to the
one-statement last writes) with no ORM, run at the same concurrency: ``ratio`` says how much of what the
database allows the flow gets.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import logging
import os
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from datetime import time as clock

from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeoutError

from api.heap import settle_heap
from bench._lane_purge import seed_old, timed_purge
from bench.common import percentile, scratch_database
from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.scope import Scope
from parking.lanes.decisions import REPEAT_WINDOW
from parking.lanes.flow import LaneInput, handle_reading
from parking.lanes.sites import SiteCache
from parking.plates import LETTERS, PROVINCES, PlateColor
from parking.tariffs.document import ClassTariff, FreeTime, Period, Tariff, TimedRule, VehicleClass
from parking.tariffs.models import TariffVersion
from parking.tenancy.enums import LaneDirection
from parking.tenancy.models import Agent, Customer, Lane, Lot

logger = logging.getLogger(__name__)


@dataclass
class Site:
    lot_id: int
    entries: list[int]
    exits: list[int]


def _tariff() -> Tariff:
    rule = TimedRule(
        free=FreeTime(minutes=15, mode="charge_from_start"),
        periods=[Period(name="全天", start=clock(0), end=clock(0), unit_minutes=30, unit_price_fen=200)],
    )
    return Tariff(
        name="flat",
        effective_from=datetime(2026, 1, 1, tzinfo=UTC),
        classes={VehicleClass.SMALL: ClassTariff(rule=rule)},
    )


async def build_sites(db: Database, lanes: int, lots: int = 1) -> list[Site]:
    """``lots`` lots of one customer sharing ``lanes`` lanes (each an entry and an exit) between them."""
    sites = []
    async with db.transaction(Scope.internal()) as s:
        agent = Agent(name="Bench agent")
        s.add(agent)
        await s.flush()
        customer = Customer(agent_id=agent.id, name="Bench customer")
        s.add(customer)
        await s.flush()
        for n in range(lots):
            lot = Lot(
                agent_id=agent.id, customer_id=customer.id, name=f"Bench lot {n}", code=f"BENCH{n}", capacity=1_000_000
            )
            s.add(lot)
            await s.flush()
            tenant = {"agent_id": agent.id, "customer_id": customer.id, "lot_id": lot.id}
            ids: dict[LaneDirection, list[int]] = {LaneDirection.ENTRY: [], LaneDirection.EXIT: []}
            for i in range(n, lanes, lots):
                for direction in (LaneDirection.ENTRY, LaneDirection.EXIT):
                    lane = Lane(
                        **tenant, name=f"{direction.value} {i}", direction=direction, qr_token=f"b-{direction}-{i}"
                    )
                    s.add(lane)
                    await s.flush()
                    ids[direction].append(lane.id)
            s.add(
                TariffVersion(
                    **tenant,
                    vehicle_class=VehicleClass.SMALL,
                    name="flat",
                    version=1,
                    effective_from=datetime(2026, 1, 1, tzinfo=UTC),
                    document=_tariff().model_dump(mode="json"),
                )
            )
            sites.append(Site(lot.id, ids[LaneDirection.ENTRY], ids[LaneDirection.EXIT]))
    return sites


def _plates() -> itertools.cycle[str]:
    """Distinct valid plates (京A00000, 京A00001, ...), cycling after 7.6 million."""
    return itertools.cycle(f"{p}{letter}{n:05d}" for p in PROVINCES for letter in LETTERS for n in range(100_000))


@dataclass
class LotTraffic:
    """One lot's cars: every reading is a new car's entry or the exit of the oldest car inside."""

    site: Site
    inside: deque[str] = field(default_factory=deque)
    flip: itertools.cycle[bool] = field(default_factory=lambda: itertools.cycle([True, False]))
    # Cars kept inside, so an exit is never for a car whose entry is still being decided.
    backlog: int = 500

    def next(self, lane_no: int, plates: itertools.cycle[str]) -> tuple[bool, int, str]:
        entering = len(self.inside) < self.backlog or next(self.flip)
        if entering:
            plate = next(plates)
            self.inside.append(plate)
            return True, self.site.entries[lane_no % len(self.site.entries)], plate
        return False, self.site.exits[lane_no % len(self.site.exits)], self.inside.popleft()


@dataclass
class Traffic:
    """Cars for the simulated lanes, lane ``n`` in lot ``n % lots``; plates are never reused across lots."""

    sites: list[Site]
    plates: itertools.cycle[str] = field(default_factory=_plates)
    keys: itertools.count[int] = field(default_factory=itertools.count)
    backlog: int = 500  # cars kept inside each lot (LotTraffic.backlog)
    lots: list[LotTraffic] = field(init=False)

    def __post_init__(self) -> None:
        self.lots = [LotTraffic(site, backlog=self.backlog) for site in self.sites]

    def next(self, lane_no: int) -> tuple[bool, int, str]:
        return self.lots[lane_no % len(self.lots)].next(lane_no // len(self.lots), self.plates)

    def reading(self, lane_no: int) -> LaneInput:
        _, lane_id, plate = self.next(lane_no)
        return LaneInput(
            lane_id=lane_id,
            plate=plate,
            color=PlateColor.BLUE,
            confidence=0.95,
            at=utcnow(),
            dedup_key=f"bench:{next(self.keys)}",
        )


async def _closed_loop(
    lanes: int, seconds: float, one: Callable[[int], Awaitable[None]], beside: asyncio.Task[object] | None = None
) -> int:
    """``lanes`` workers each doing one reading after another for ``seconds``, and on until ``beside`` (a task
    running alongside) is over: the number done."""
    done = 0
    stop = time.perf_counter() + seconds

    async def worker(lane_no: int) -> None:
        nonlocal done
        while time.perf_counter() < stop or (beside is not None and not beside.done()):
            await one(lane_no)
            done += 1

    await asyncio.gather(*(worker(i) for i in range(lanes)))
    return done


async def _open_loop(rate: float, seconds: float, one: Callable[[int], Awaitable[None]]) -> tuple[list[float], int]:
    """Readings started at a fixed rate whatever the answers take (cameras do not wait): their latencies in ms,
    and how many failed (an overloaded server times out waiting for a connection)."""
    samples: list[float] = []
    failed = 0
    tasks: list[asyncio.Task[None]] = []

    async def timed(n: int) -> None:
        nonlocal failed
        started = time.perf_counter()
        try:
            await one(n)
        except (SQLAlchemyTimeoutError, OSError):
            failed += 1
            return
        samples.append((time.perf_counter() - started) * 1000)

    start = time.perf_counter()
    for n in range(int(rate * seconds)):
        delay = start + n / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(timed(n)))
    await asyncio.gather(*tasks)
    return samples, failed


# The ceiling: what handle_reading reads and writes for a temporary car, as hand-written SQL on asyncpg. Like the
# flow with the API's cache, it reads the lane and the lot's settings once and the tariffs not at all.
_SITE = """SELECT l.id, l.agent_id, l.customer_id, l.lot_id FROM lanes l WHERE l.id = $1"""
_CLAIM = """INSERT INTO lane_events (agent_id, customer_id, lot_id, lane_id, kind, at, received_at, plate,
 plate_color, confidence, source, image_ref, dedup_key, is_offline, opened, decision_reason)
 VALUES ($1, $2, $3, $4, $5, $6, $6, $7, 'blue', 0.95, 'camera', '', $8, false, false, '')
 RETURNING id"""  # a known dedup key is skipped by the partitioned table's trigger, as in the flow
_PLATE = """SELECT o.occupied, v.vehicle_class, p.id, p.starts_at, p.ends_at, p.group_id, pp.category,
 pp.window_start, pp.window_end, g.spaces, e.id, e.category, e.valid_from, e.valid_until, e.window_start,
 e.window_end, e.reason
 FROM lots o LEFT JOIN vehicles v ON v.lot_id = o.id AND v.plate = $2
 LEFT JOIN passes p ON (p.vehicle_id = v.id OR p.group_id = v.group_id) AND p.status = 'active'
 LEFT JOIN pass_products pp ON pp.id = p.product_id LEFT JOIN vehicle_groups g ON g.id = p.group_id
 LEFT JOIN list_entries e ON e.lot_id = o.id AND e.plate = $2 WHERE o.id = $1 ORDER BY p.id, e.id"""
_STAYS = """SELECT * FROM parking_sessions WHERE plate = $1 AND ((lot_id = $2 AND parent_id IS NULL
 AND driver_key IS NULL AND (state = 'in_lot' OR exit_at >= $3)) OR (customer_id = $4 AND arrears_fen > 0))"""
_NEW_STAY = """INSERT INTO parking_sessions (agent_id, customer_id, lot_id, plate, plate_color, vehicle_class,
 category, state, entry_at, entry_lane_id, fee_due_fen, paid_fen, discount_fen, arrears_fen, release_reason, note,
 group_overflow, created_at, updated_at)
 VALUES ($1, $2, $3, $4, 'blue', 'small', 'temporary', 'in_lot', $5, $6, 0, 0, 0, 0, '', '', false, $5, $5)
 RETURNING id"""
_CLOSE = """UPDATE parking_sessions SET state = 'exited', exit_at = $2, exit_lane_id = $3, fee_due_fen = 0,
 release_method = 'free', updated_at = $2 WHERE id = $1 AND state = 'in_lot'"""
_LAST = """WITH mark AS (UPDATE lane_events SET session_id = $2, opened = true, decision_reason = $3 WHERE id = $1
 RETURNING id),
 void AS (UPDATE gate_commands SET status = 'expired', completed_at = $5, result = 'another car'
 WHERE lane_id = $4 AND status = 'pending' RETURNING id),
 command AS (INSERT INTO gate_commands (agent_id, customer_id, lot_id, lane_id, kind, status, issued_at,
 expires_at, completed_at, session_id, reason, result, lane_event_id, image_ref)
 VALUES ($6, $7, $8, $4, 'open', 'done', $5, $5, $5, $2, '', 'camera_reply', $1, '') RETURNING id),
 lot AS (UPDATE lots SET occupied = {occupied}, updated_at = $5 WHERE id = $8 RETURNING id)
 SELECT (SELECT count(*) FROM mark), (SELECT count(*) FROM void), (SELECT count(*) FROM command),
 (SELECT count(*) FROM lot)"""
_LAST_IN = _LAST.format(occupied="occupied + 1")
_LAST_OUT = _LAST.format(occupied="CASE WHEN occupied > 0 THEN occupied - 1 ELSE 0 END")


async def _raw_reading(
    conn: object, lane: tuple[int, int, int], entering: bool, lane_id: int, plate: str, key: str
) -> None:
    import asyncpg

    assert isinstance(conn, asyncpg.Connection)
    now = utcnow()
    agent_id, customer_id, lot_id = lane
    async with conn.transaction():
        kind = "entry" if entering else "exit"
        event_id = await conn.fetchval(_CLAIM, agent_id, customer_id, lot_id, lane_id, kind, now, plate, key)
        await conn.fetch(_PLATE, lot_id, plate)
        stays = await conn.fetch(_STAYS, plate, lot_id, now - REPEAT_WINDOW, customer_id)
        stay = next((s for s in stays if s["state"] == "in_lot" and s["lot_id"] == lot_id), None)
        session_id = None
        if entering:
            session_id = await conn.fetchval(_NEW_STAY, agent_id, customer_id, lot_id, plate, now, lane_id)
        elif stay is not None:
            session_id = stay["id"]
            await conn.execute(_CLOSE, session_id, now, lane_id)
        reason = "welcome" if entering else "nothing_due"
        last = _LAST_IN if entering else _LAST_OUT
        await conn.fetchrow(last, event_id, session_id, reason, lane_id, now, agent_id, customer_id, lot_id)


async def _ceiling(url: str, sites: list[Site], lanes: int, seconds: float) -> int:
    import asyncpg

    dsn = url.replace("postgresql+asyncpg://", "postgresql://")
    pool = await asyncpg.create_pool(dsn, min_size=lanes, max_size=lanes)
    traffic = Traffic(sites, plates=itertools.cycle(f"沪{letter}{n:05d}" for letter in LETTERS for n in range(100_000)))
    try:
        lanes_read: dict[int, tuple[int, int, int]] = {}

        async def one(lane_no: int) -> None:
            entering, lane_id, plate = traffic.next(lane_no)
            async with pool.acquire() as conn:
                if lane_id not in lanes_read:
                    row = await conn.fetchrow(_SITE, lane_id)
                    lanes_read[lane_id] = (row[1], row[2], row[3])
                await _raw_reading(conn, lanes_read[lane_id], entering, lane_id, plate, f"raw:{next(traffic.keys)}")

        return await _closed_loop(lanes, seconds, one)
    finally:
        await pool.close()


async def _run(
    lanes: int, seconds: float, latency_seconds: float, rate: float, lots: int = 1, purge_stays: int = 0
) -> dict[str, object]:
    db, url = await scratch_database("lane_purge" if purge_stays else "lane")
    if db.is_sqlite:
        logger.warning("PostgreSQL unavailable: measuring SQLite, not comparable with the goals")
    try:
        sites = await build_sites(db, lanes, lots)
        if purge_stays:
            await seed_old(db, [(site.lot_id, site.entries[0]) for site in sites], purge_stays)
        traffic = Traffic(sites)
        cache = SiteCache()  # as the API's camera endpoints have
        settle_heap()  # as ``parkcloud serve`` does before its first request

        async def one(lane_no: int) -> None:
            await handle_reading(db, traffic.reading(lane_no), sites=cache)

        await _closed_loop(lanes, min(5.0, seconds), one)  # warm-up: connections, caches, plans
        # With --with-purge the retention purge runs beside the lanes, which go on until it is over.
        purging = asyncio.create_task(timed_purge(db)) if purge_stays else None
        began = time.perf_counter()
        done = await _closed_loop(lanes, seconds, one, purging)
        sustained = time.perf_counter() - began
        purged = await purging if purging else None
        samples, failed = await _open_loop(rate, latency_seconds, one)
        ceiling = await _ceiling(url, sites, lanes, seconds) if not db.is_sqlite else 0
    finally:
        await db.dispose()
    decisions = done / sustained
    ceiling_per_s = ceiling / seconds
    return {
        "bench": "lane",
        "decisions_per_s": round(decisions, 1),
        "p50_ms": round(percentile(samples, 50), 2),
        "p99_ms": round(percentile(samples, 99), 2),
        "ceiling_per_s": round(ceiling_per_s, 1),
        "ratio": round(decisions / ceiling_per_s, 3) if ceiling_per_s else None,
        "lanes": lanes,
        "lots": lots,
        "seconds": seconds,
        "latency_rate_per_s": rate,
        "latency_failed": failed,
        # The machine's load while measuring: on a shared box the absolute numbers move with it, the ratio less.
        "load_avg_1m": round(os.getloadavg()[0], 1),
        "database": "sqlite" if db.is_sqlite else "postgresql",
        **(
            {
                "purge_rows": purged.rows,
                "purge_s": round(purged.seconds, 1),
                "purge_rows_per_s": round(purged.rows / purged.seconds, 1),
                "sustained_s": round(sustained, 1),  # decisions_per_s is over this: the purge's whole run
            }
            if purged
            else {}
        ),
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench lane")
    parser.add_argument("--lanes", type=int, default=8, help="concurrent simulated lanes (each entry and exit)")
    parser.add_argument("--seconds", type=float, default=60.0, help="sustained run and ceiling run, each")
    parser.add_argument("--latency-seconds", type=float, default=20.0)
    parser.add_argument("--rate", type=float, default=100.0, help="readings/s for the latency run")
    # Every decision updates its lot's occupancy row, so one lot's decisions queue on that row lock; a platform's
    # load comes from many lots at once.
    parser.add_argument("--lots", type=int, default=1, help="lots the lanes are spread over (lane n in lot n %% lots)")
    parser.add_argument(
        "--with-purge",
        type=int,
        nargs="?",
        const=20_000,
        default=0,
        metavar="STAYS",
        help="seed STAYS (20000) stays past retention with their events and purge them during the sustained run",
    )
    args = parser.parse_args(argv)
    if not 1 <= args.lots <= args.lanes:
        parser.error("--lots must be between 1 and --lanes")
    result = asyncio.run(_run(args.lanes, args.seconds, args.latency_seconds, args.rate, args.lots, args.with_purge))
    print(json.dumps(result, separators=(",", ":")))
