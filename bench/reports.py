"""Reports over a year of generated traffic on PostgreSQL: what `bench reports` prints.

The generator writes N exited stays spread over the L lots and the last ``--days`` local days (ending yesterday),
with one paid order for each temporary stay that owed a fee and a refund for one order in a hundred, with
``INSERT ... SELECT`` over ``generate_series``, so the database makes the rows itself (``generate_s``): the plain
indexes are dropped first and built once afterwards, the foreign keys are not checked row by row (the rows are
right by construction), and the work runs on ``PARTS`` connections at once. The tables stay logged: what is
measured reads and writes the same tables a server has. Then the days are rolled up once (``backfill_s``: every
day, or the last ``--backfill-days``), and the figures the issue asks for are timed, each the median of several
runs:

- ``lot_month_ms``: the daily report of one lot over its last 30 closed days;
- ``all_lots_day_ms``: the daily report of every lot for yesterday;
- ``rollup_day_s``: computing yesterday again for every lot (what the job does when a day changed everywhere).

Usage: ``python -m bench reports [--stays 500000] [--lots 200] [--days 365] [--backfill-days N] [--database
NAME]`` (the issue's goal: 5 million stays across 200 lots). It needs PostgreSQL (``PARKCLOUD_TEST_POSTGRES_URL``
names the server; the database is ``parkcloud_bench_<NAME>``, ``reports`` by default, dropped and made again).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import text

from bench.common import scratch_database
from parking.common.database import Database
from parking.common.scope import Scope
from parking.overview.service import DateRange
from parking.reports import reports
from parking.reports.rollup import WINDOW, lot_days, refresh, refresh_days
from parking.tenancy.enums import LaneDirection
from parking.tenancy.models import Agent, Customer, Lane, Lot

ZONE = "Asia/Shanghai"
RUNS = 7
# The load runs on this many connections at once (the stays in as many ranges, the indexes shared out): a server
# with two cores or more is kept busy.
PARTS = 2
# Each load transaction's settings. The rows are consistent by construction, so their foreign keys are not
# checked row by row (replica role: no triggers; the load is what skips them, the measured queries run with
# them), a commit need not wait for its WAL flush, and an index build sorts in memory.
_LOAD_SETTINGS = (
    "SET LOCAL session_replication_role = replica",
    "SET LOCAL synchronous_commit = off",
    "SET LOCAL maintenance_work_mem = '256MB'",
)

# $1 stays, $2 lots, $3 first instant, $4 seconds in the period. Lot i has lanes 2i-1 (in) and 2i (out) as made
# below; a stay lasts 5 minutes to about 10 hours; one in five is a monthly car that pays nothing.
_STAYS = """
INSERT INTO parking_sessions (agent_id, customer_id, lot_id, plate, plate_color, vehicle_class, category, state,
    entry_at, exit_at, entry_lane_id, exit_lane_id, fee_due_fen, paid_fen, discount_fen, arrears_fen,
    release_method, release_reason, note, group_overflow, created_at, updated_at)
SELECT l.agent_id, l.customer_id, l.id, 'B' || g, 'blue',
    CASE WHEN g % 10 = 0 THEN 'large' WHEN g % 10 = 1 THEN 'new_energy' ELSE 'small' END,
    CASE WHEN g % 5 = 0 THEN 'monthly' ELSE 'temporary' END, 'exited',
    e.entry_at, e.entry_at + e.stay, l.lane_in, l.lane_out,
    f.fee, f.fee - f.discount, f.discount, 0, 'automatic', '', '', false, e.entry_at, e.entry_at + e.stay
FROM generate_series(CAST(:first AS bigint), :last) AS g
JOIN bench_lots l ON l.n = g % :lots
CROSS JOIN LATERAL (SELECT CAST(:start AS timestamptz) + make_interval(secs => (g * 7919 % :seconds)) AS entry_at,
                           make_interval(mins => (5 + g * 104729 % 600)::int) AS stay) e
CROSS JOIN LATERAL (SELECT CASE WHEN g % 5 = 0 THEN 0 ELSE 500 * (1 + g % 8) END AS fee,
                           CASE WHEN g % 17 = 0 AND g % 5 <> 0 THEN 200 ELSE 0 END AS discount) f
"""
_ORDERS = """
INSERT INTO payment_orders (agent_id, customer_id, lot_id, out_trade_no, channel, purpose, status, session_id,
    plate, payer_key, amount_fen, channel_fee_fen, refunded_fen, channel_trade_no, paid_at, details, on_behalf,
    payer_note, created_at, updated_at)
SELECT s.agent_id, s.customer_id, s.lot_id, 'BO' || s.id,
    (ARRAY['wechat_jsapi', 'alipay_qr', 'wechat_parking', 'cash'])[1 + s.id % 4], 'parking_exit',
    CASE WHEN s.id % 100 = 0 THEN 'partly_refunded' ELSE 'paid' END, s.id, s.plate, '', s.paid_fen, 0,
    CASE WHEN s.id % 100 = 0 THEN 100 ELSE 0 END, '', s.exit_at - interval '2 minutes', '{}', false, '',
    s.exit_at, s.exit_at
FROM parking_sessions s WHERE s.paid_fen > 0 AND s.id % :parts = :part
"""
_REFUNDS = """
INSERT INTO refunds (agent_id, customer_id, lot_id, order_id, out_refund_no, amount_fen, reason, status,
    decision_note, completed_at, created_at, updated_at)
SELECT o.agent_id, o.customer_id, o.lot_id, o.id, 'BR' || o.id, 100, 'bench', 'succeeded', '',
    o.paid_at + interval '1 day', o.paid_at + interval '1 day', o.paid_at + interval '1 day'
FROM payment_orders o WHERE o.status = 'partly_refunded'
"""


async def _lots(db: Database, count: int) -> None:
    """The lots, two lanes each, and a table numbering them for the generator."""
    async with db.transaction(Scope.internal()) as s:
        agent = Agent(name="bench")
        s.add(agent)
        await s.flush()
        customers = [Customer(agent_id=agent.id, name=f"bench {i}") for i in range((count + 19) // 20)]
        s.add_all(customers)
        await s.flush()
        lots = [
            Lot(agent_id=agent.id, customer_id=customers[i // 20].id, name=f"lot {i}", code=f"B{i:04d}", capacity=500)
            for i in range(count)
        ]
        s.add_all(lots)
        await s.flush()
        lanes = [
            Lane(
                agent_id=lot.agent_id,
                customer_id=lot.customer_id,
                lot_id=lot.id,
                name=f"{lot.code} {d.value}",
                direction=d,
                qr_token=f"qr-{lot.code}-{d.value}",
            )
            for lot in lots
            for d in (LaneDirection.ENTRY, LaneDirection.EXIT)
        ]
        s.add_all(lanes)
        await s.flush()
        await s.execute(
            text(
                "CREATE TABLE bench_lots AS SELECT row_number() OVER (ORDER BY l.id) - 1 AS n, l.id, l.agent_id,"
                " l.customer_id, min(a.id) FILTER (WHERE a.direction = 'entry') AS lane_in,"
                " min(a.id) FILTER (WHERE a.direction = 'exit') AS lane_out"
                " FROM lots l JOIN lanes a ON a.lot_id = l.id GROUP BY l.id"
            )
        )


async def _at_once(db: Database, statements: list[tuple[str, dict[str, Any]]]) -> None:
    """Run ``statements``, each in its own transaction, ``PARTS`` at a time: a bulk load's settings in each."""
    pending = list(statements)

    async def worker() -> None:
        while pending:
            statement, params = pending.pop(0)
            async with db.transaction(Scope.internal()) as s:
                for setting in _LOAD_SETTINGS:
                    await s.execute(text(setting))
                await s.execute(text(statement), params)

    await asyncio.gather(*(worker() for _ in range(PARTS)))


async def generate(db: Database, stays: int, lots: int, days: int, today: datetime) -> None:
    start = today - timedelta(days=days)
    await _lots(db, lots)
    tables = ("parking_sessions", "payment_orders", "refunds")
    async with db.transaction(Scope.internal()) as s:
        # A bulk load: building each index once afterwards is cheaper than keeping it up row by row.
        indexes = (
            await s.execute(
                text(
                    "SELECT i.indexname, i.indexdef FROM pg_indexes i JOIN pg_index x"
                    " ON x.indexrelid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass"
                    " WHERE i.tablename = ANY(:tables) AND NOT x.indisprimary AND NOT x.indisunique"
                ),
                {"tables": list(tables)},
            )
        ).all()
        for name, _ in indexes:
            await s.execute(text(f'DROP INDEX "{name}"'))
    seconds = days * 86400 - 11 * 3600
    share = -(-stays // PARTS)
    await _at_once(
        db,
        [
            (
                _STAYS,
                {
                    "first": first,
                    "last": min(first + share - 1, stays),
                    "lots": lots,
                    "start": start,
                    "seconds": seconds,
                },
            )
            for first in range(1, stays + 1, share)
        ],
    )
    await _at_once(db, [(_ORDERS, {"parts": PARTS, "part": part}) for part in range(PARTS)])
    await _at_once(db, [(_REFUNDS, {}), ("DROP TABLE bench_lots", {})])
    await _at_once(db, [(definition, {}) for _, definition in indexes])
    async with db.engine.connect() as c:
        await c.execution_options(isolation_level="AUTOCOMMIT")
        await c.execute(text("VACUUM ANALYZE parking_sessions, payment_orders, refunds"))


async def backfill(db: Database, days: int, today: datetime, now: datetime) -> None:
    async with db.session(Scope.internal()) as s:
        lots = await lot_days(s)
    # A window of days per transaction (refresh_days computes them with a few statements).
    every = [(today - timedelta(days=back)).date() for back in range(days, 0, -1)]
    for i in range(0, len(every), WINDOW):
        async with db.transaction(Scope.internal()) as tx:
            await refresh_days(tx, dict.fromkeys(every[i : i + WINDOW], lots), now)
    async with db.engine.connect() as c:
        await c.execution_options(isolation_level="AUTOCOMMIT")
        await c.execute(text("VACUUM ANALYZE report_daily, report_days"))


async def _median_ms(run: Callable[[], Awaitable[Any]]) -> float:
    await run()  # warm: plans, caches
    samples = []
    for _ in range(RUNS):
        began = time.perf_counter()
        await run()
        samples.append((time.perf_counter() - began) * 1000)
    return statistics.median(samples)


async def measure(
    stays: int, lots: int, days: int, backfill_days: int | None = None, database: str = "reports"
) -> dict[str, Any]:
    db, url = await scratch_database(database)
    if not url.startswith("postgresql"):
        raise SystemExit("bench reports needs PostgreSQL (PARKCLOUD_TEST_POSTGRES_URL)")
    now = datetime.now(UTC)
    today = datetime.combine(now.astimezone(ZoneInfo(ZONE)).date(), datetime.min.time(), ZoneInfo(ZONE))
    yesterday = (today - timedelta(days=1)).date()
    try:
        began = time.perf_counter()
        await generate(db, stays, lots, days, today)
        generated = time.perf_counter() - began
        began = time.perf_counter()
        await backfill(db, min(days, backfill_days or days), today, now)
        backfilled = time.perf_counter() - began
        async with db.session(Scope.internal()) as s:
            first_lot = int((await s.execute(text("SELECT min(id) FROM lots"))).scalar_one())
            every = await lot_days(s)

        async def lot_month() -> None:
            query = reports.Query(DateRange(yesterday - timedelta(days=29), yesterday), now, [first_lot])
            async with db.session(Scope.platform()) as s:
                assert await reports.daily(db, s, query)

        async def all_lots_day() -> None:
            async with db.session(Scope.platform()) as s:
                rows = await reports.daily(db, s, reports.Query(DateRange(yesterday, yesterday), now))
                assert len(rows) == lots

        async def rollup_day() -> None:
            async with db.transaction(Scope.internal()) as tx:
                await refresh(tx, every, yesterday, now)

        lot_month_ms = await _median_ms(lot_month)
        all_lots_day_ms = await _median_ms(all_lots_day)
        began = time.perf_counter()
        await rollup_day()
        rollup_day_s = time.perf_counter() - began
    finally:
        await db.dispose()
    load1 = os.getloadavg()[0]  # the machine's load while it ran: the figures are worth what it left them
    return {
        "bench": "reports",
        "stays": stays,
        "lots": lots,
        "lot_month_ms": round(lot_month_ms, 1),
        "all_lots_day_ms": round(all_lots_day_ms, 1),
        "rollup_day_s": round(rollup_day_s, 2),
        "generate_s": round(generated, 1),
        "backfill_s": round(backfilled, 1),
        "backfill_days": min(days, backfill_days or days),
        "load1": round(load1, 2),
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench reports")
    parser.add_argument("--stays", type=int, default=500_000, help="stays to generate (the issue's goal: 5000000)")
    parser.add_argument("--lots", type=int, default=200)
    parser.add_argument("--days", type=int, default=365)
    # The timed reads look at the last 30 days only; rolling up the whole year is what backfill_s measures.
    parser.add_argument("--backfill-days", type=int, help="roll up only the last N days (at least 30; default all)")
    parser.add_argument(
        "--database", default="reports", help="the scratch database is parkcloud_bench_<this> (one per concurrent run)"
    )
    args = parser.parse_args(argv)
    if args.backfill_days is not None and args.backfill_days < 30:
        parser.error("--backfill-days must be at least 30: the lot-month report reads 30 days")
    print(json.dumps(asyncio.run(measure(args.stays, args.lots, args.days, args.backfill_days, args.database))))
