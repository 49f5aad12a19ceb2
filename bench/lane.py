"""Lane decisions on PostgreSQL: sustained decisions/s from concurrent lanes, latency at 100/s, and the ceiling.

Simulated lanes push readings straight into ``handle_reading`` (the camera endpoint's work minus HTTP): each
lane alternates a new car's entry with an earlier car's exit, so the lot neither fills nor empties. The ceiling
is a raw asyncpg transaction doing the same reads and writes per reading with no ORM, run at the same
concurrency: ``ratio`` says how much of what the database allows the flow gets.
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

from bench.common import percentile, scratch_database
from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.scope import Scope
from parking.lanes.flow import LaneInput, handle_reading
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


async def _build(db: Database, lanes: int) -> Site:
    async with db.transaction(Scope.internal()) as s:
        agent = Agent(name="Bench agent")
        s.add(agent)
        await s.flush()
        customer = Customer(agent_id=agent.id, name="Bench customer")
        s.add(customer)
        await s.flush()
        lot = Lot(agent_id=agent.id, customer_id=customer.id, name="Bench lot", code="BENCH", capacity=1_000_000)
        s.add(lot)
        await s.flush()
        tenant = {"agent_id": agent.id, "customer_id": customer.id, "lot_id": lot.id}
        ids: dict[LaneDirection, list[int]] = {LaneDirection.ENTRY: [], LaneDirection.EXIT: []}
        for i in range(lanes):
            for direction in (LaneDirection.ENTRY, LaneDirection.EXIT):
                lane = Lane(**tenant, name=f"{direction.value} {i}", direction=direction, qr_token=f"b-{direction}-{i}")
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
    return Site(lot.id, ids[LaneDirection.ENTRY], ids[LaneDirection.EXIT])


def _plates() -> itertools.cycle[str]:
    """Distinct valid plates (京A00000, 京A00001, ...), cycling after 7.6 million."""
    return itertools.cycle(f"{p}{letter}{n:05d}" for p in PROVINCES for letter in LETTERS for n in range(100_000))


@dataclass
class Traffic:
    """Cars for the simulated lanes: every reading is a new car's entry or the exit of the oldest car inside."""

    site: Site
    plates: itertools.cycle[str] = field(default_factory=_plates)
    inside: deque[str] = field(default_factory=deque)
    keys: itertools.count[int] = field(default_factory=itertools.count)
    flip: itertools.cycle[bool] = field(default_factory=lambda: itertools.cycle([True, False]))
    # Cars kept inside, so an exit is never for a car whose entry is still being decided.
    backlog: int = 500

    def next(self, lane_no: int) -> tuple[bool, int, str]:
        entering = len(self.inside) < self.backlog or next(self.flip)
        if entering:
            plate = next(self.plates)
            self.inside.append(plate)
            return True, self.site.entries[lane_no % len(self.site.entries)], plate
        return False, self.site.exits[lane_no % len(self.site.exits)], self.inside.popleft()

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


async def _closed_loop(lanes: int, seconds: float, one: Callable[[int], Awaitable[None]]) -> int:
    """``lanes`` workers each doing one reading after another for ``seconds``: the number done."""
    done = 0
    stop = time.perf_counter() + seconds

    async def worker(lane_no: int) -> None:
        nonlocal done
        while time.perf_counter() < stop:
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


# The ceiling: what handle_reading reads and writes for a temporary car, as hand-written SQL on asyncpg.
_SITE = """SELECT l.id, l.agent_id, l.customer_id, l.lot_id, l.direction, l.mode, l.allowed_categories, o.capacity,
 o.occupied, o.timezone, o.payment_settings, o.duplicate_entry_policy, o.prepay_grace_minutes, a.id
 FROM lanes l JOIN lots o ON o.id = l.lot_id LEFT JOIN areas a ON a.id = l.area_id WHERE l.id = $1"""
_PASSES = """SELECT p.id FROM passes p JOIN pass_products pp ON pp.id = p.product_id
 JOIN vehicles v ON v.id = p.vehicle_id OR v.group_id = p.group_id
 WHERE v.lot_id = $1 AND v.plate = $2 AND p.status = 'active'"""
_CLASS = "SELECT vehicle_class FROM vehicles WHERE lot_id = $1 AND plate = $2 LIMIT 1"
_LISTS = "SELECT id FROM list_entries WHERE lot_id = $1 AND plate = $2"
_OPEN = """SELECT id, entry_at FROM parking_sessions WHERE lot_id = $1 AND plate = $2 AND state = 'in_lot'
 AND parent_id IS NULL AND driver_key IS NULL"""
_ARREARS = """SELECT coalesce(sum(arrears_fen), 0) FROM parking_sessions WHERE customer_id = $1 AND plate = $2
 AND driver_key IS NULL AND arrears_fen > 0"""
_CLAIM = """INSERT INTO lane_events (agent_id, customer_id, lot_id, lane_id, kind, at, received_at, plate,
 plate_color, confidence, source, image_ref, dedup_key, is_offline, opened, decision_reason)
 VALUES ($1, $2, $3, $4, $5, $6, $6, $7, 'blue', 0.95, 'camera', '', $8, false, false, '')
 ON CONFLICT (dedup_key) DO NOTHING RETURNING id"""
_NEW_STAY = """INSERT INTO parking_sessions (agent_id, customer_id, lot_id, plate, plate_color, vehicle_class,
 category, state, entry_at, entry_lane_id, fee_due_fen, paid_fen, discount_fen, arrears_fen, release_reason, note,
 group_overflow, created_at, updated_at)
 VALUES ($1, $2, $3, $4, 'blue', 'small', 'temporary', 'in_lot', $5, $6, 0, 0, 0, 0, '', '', false, $5, $5)
 RETURNING id"""
_CHILDREN = """SELECT s.id FROM parking_sessions s JOIN areas a ON a.id = s.area_id WHERE s.parent_id = $1"""
_TARIFFS = """SELECT document, version, area_id, vehicle_class FROM tariff_versions WHERE lot_id = $1
 AND vehicle_class IN ('small')"""
_CLOSE = """UPDATE parking_sessions SET state = 'exited', exit_at = $2, exit_lane_id = $3, fee_due_fen = 0,
 release_method = 'free', updated_at = $2 WHERE id = $1 AND state = 'in_lot'"""
_CLOSE_CHILDREN = """UPDATE parking_sessions SET state = 'exited', exit_at = $2 WHERE parent_id = $1
 AND state = 'in_lot' RETURNING area_id"""
_VOID = """UPDATE gate_commands SET status = 'expired', completed_at = $2, result = 'another car'
 WHERE lane_id = $1 AND status = 'pending'"""
_MARK = "UPDATE lane_events SET session_id = $2, opened = true, decision_reason = $3 WHERE id = $1"
_COMMAND = """INSERT INTO gate_commands (agent_id, customer_id, lot_id, lane_id, kind, status, issued_at,
 expires_at, completed_at, session_id, reason, result, lane_event_id, image_ref)
 VALUES ($1, $2, $3, $4, 'open', 'done', $5, $5, $5, $6, '', 'camera_reply', $7, '')"""
_OCCUPY_IN = "UPDATE lots SET occupied = occupied + 1 WHERE id = $1"
_OCCUPY_OUT = "UPDATE lots SET occupied = CASE WHEN occupied > 0 THEN occupied - 1 ELSE 0 END WHERE id = $1"


async def _raw_reading(conn: object, entering: bool, lane_id: int, plate: str, key: str) -> None:
    import asyncpg

    assert isinstance(conn, asyncpg.Connection)
    now = utcnow()
    async with conn.transaction():
        lane = await conn.fetchrow(_SITE, lane_id)
        assert lane is not None
        agent_id, customer_id, lot_id = lane[1], lane[2], lane[3]
        await conn.fetch(_PASSES, lot_id, plate)
        await conn.fetchval(_CLASS, lot_id, plate)
        await conn.fetch(_LISTS, lot_id, plate)
        stay = await conn.fetchrow(_OPEN, lot_id, plate)
        kind = "entry" if entering else "exit"
        if entering:
            await conn.fetchval(_ARREARS, customer_id, plate)
        event_id = await conn.fetchval(_CLAIM, agent_id, customer_id, lot_id, lane_id, kind, now, plate, key)
        session_id = None
        if entering:
            session_id = await conn.fetchval(_NEW_STAY, agent_id, customer_id, lot_id, plate, now, lane_id)
        elif stay is not None:
            session_id = stay[0]
            await conn.fetch(_CHILDREN, session_id)
            await conn.fetch(_TARIFFS, lot_id)
            await conn.fetchval(_ARREARS, customer_id, plate)
            await conn.execute(_CLOSE, session_id, now, lane_id)
            await conn.fetch(_CLOSE_CHILDREN, session_id, now)
        await conn.execute(_VOID, lane_id, now)
        await conn.execute(_MARK, event_id, session_id, "welcome" if entering else "nothing_due")
        await conn.execute(_COMMAND, agent_id, customer_id, lot_id, lane_id, now, session_id, event_id)
        await conn.execute(_OCCUPY_IN if entering else _OCCUPY_OUT, lot_id)


async def _ceiling(url: str, site: Site, lanes: int, seconds: float) -> int:
    import asyncpg

    dsn = url.replace("postgresql+asyncpg://", "postgresql://")
    pool = await asyncpg.create_pool(dsn, min_size=lanes, max_size=lanes)
    traffic = Traffic(site, plates=itertools.cycle(f"沪{letter}{n:05d}" for letter in LETTERS for n in range(100_000)))
    try:

        async def one(lane_no: int) -> None:
            entering, lane_id, plate = traffic.next(lane_no)
            async with pool.acquire() as conn:
                await _raw_reading(conn, entering, lane_id, plate, f"raw:{next(traffic.keys)}")

        return await _closed_loop(lanes, seconds, one)
    finally:
        await pool.close()


async def _run(lanes: int, seconds: float, latency_seconds: float, rate: float) -> dict[str, object]:
    db, url = await scratch_database("lane")
    if db.is_sqlite:
        logger.warning("PostgreSQL unavailable: measuring SQLite, not comparable with the goals")
    try:
        site = await _build(db, lanes)
        traffic = Traffic(site)

        async def one(lane_no: int) -> None:
            await handle_reading(db, traffic.reading(lane_no))

        await _closed_loop(lanes, min(5.0, seconds), one)  # warm-up: connections, caches, plans
        done = await _closed_loop(lanes, seconds, one)
        samples, failed = await _open_loop(rate, latency_seconds, one)
        ceiling = await _ceiling(url, site, lanes, seconds) if not db.is_sqlite else 0
    finally:
        await db.dispose()
    decisions = done / seconds
    ceiling_per_s = ceiling / seconds
    return {
        "bench": "lane",
        "decisions_per_s": round(decisions, 1),
        "p50_ms": round(percentile(samples, 50), 2),
        "p99_ms": round(percentile(samples, 99), 2),
        "ceiling_per_s": round(ceiling_per_s, 1),
        "ratio": round(decisions / ceiling_per_s, 3) if ceiling_per_s else None,
        "lanes": lanes,
        "seconds": seconds,
        "latency_rate_per_s": rate,
        "latency_failed": failed,
        # The machine's load while measuring: on a shared box the absolute numbers move with it, the ratio less.
        "load_avg_1m": round(os.getloadavg()[0], 1),
        "database": "sqlite" if db.is_sqlite else "postgresql",
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench lane")
    parser.add_argument("--lanes", type=int, default=8, help="concurrent simulated lanes (each entry and exit)")
    parser.add_argument("--seconds", type=float, default=60.0, help="sustained run and ceiling run, each")
    parser.add_argument("--latency-seconds", type=float, default=20.0)
    parser.add_argument("--rate", type=float, default=100.0, help="readings/s for the latency run")
    args = parser.parse_args(argv)
    result = asyncio.run(_run(args.lanes, args.seconds, args.latency_seconds, args.rate))
    print(json.dumps(result, separators=(",", ":")))
