"""Dramatiq actor of the report rollups, sent periodically by the worker.

``parkcloud worker`` sends ``refresh_rollups`` every ``PARKCLOUD_ROLLUP_INTERVAL_S`` seconds (a minute by default).
One run sweeps the source rows changed since the last run and marks the closed (lot, day)s they touched, computes
the marked days again, and computes each lot's previous day once its day is over (parking/reports/sweep.py).
Every step recomputes whole days from the source rows, so a retry or two workers at once change nothing twice.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from dataclasses import dataclass

import dramatiq
from sqlalchemy import select

from config.settings import Settings
from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.scope import Scope
from parking.payments.statement import previous_day
from parking.reports.models import ReportDay
from parking.reports.rollup import lot_days
from parking.reports.sweep import refresh_marked, refresh_previous_days, sweep
from workers.broker import broker
from workers.events import job_database
from workers.schedule import send_every

logger = logging.getLogger(__name__)

QUEUE = "reports"


@dataclass(frozen=True)
class RollupRun:
    marked: int
    refreshed: int
    previous_days: int


async def _previous_days_missing(db: Database) -> bool:
    """Whether some lot's day before today is not rolled up yet (it ended since the last run)."""
    now = utcnow()
    async with db.session(Scope.internal()) as s:
        lots = await lot_days(s)
        done = {
            (int(lot), day)
            for lot, day in await s.execute(
                select(ReportDay.lot_id, ReportDay.day).where(
                    ReportDay.day.in_(sorted({previous_day(now, lot.timezone) for lot in lots}))
                )
            )
        }
    return any((lot.id, previous_day(now, lot.timezone)) not in done for lot in lots)


async def run_rollups(db: Database) -> RollupRun:
    marked = await sweep(db, utcnow())
    refreshed = await refresh_marked(db, utcnow())
    previous = await refresh_previous_days(db, utcnow()) if await _previous_days_missing(db) else 0
    return RollupRun(marked, refreshed, previous)


async def _run(settings: Settings) -> RollupRun:
    async with job_database(settings) as db:
        return await run_rollups(db)


@dramatiq.actor(queue_name=QUEUE, max_retries=3, min_backoff=10_000, time_limit=3600 * 1000, broker=broker)
def refresh_rollups() -> None:
    """Keep the daily report rollups right: changed closed days again, and yesterday once it is over."""
    run = asyncio.run(_run(Settings.from_env()))
    if run.marked or run.refreshed or run.previous_days:
        logger.info("rollups: %s days marked, %s computed again, %s lots' previous day", *vars(run).values())


def schedule_rollups(interval_s: float, stop: threading.Event | None = None) -> threading.Thread | None:
    """Send ``refresh_rollups`` now and every ``interval_s`` seconds (0: off)."""
    return send_every(refresh_rollups, interval_s, stop)
