"""The rollup job as the worker runs it (on the wall clock): yesterday rolled up once it is over, and a day closed
days ago computed again after a late offline replay, a run again changing nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from parking.common.database import Database
from parking.common.scope import Scope
from parking.reports.models import ReportDaily, ReportDay
from tests.factories import build_world
from tests.reports.seed import SHANGHAI, Days, late_replay, seed_reports
from workers.reports import run_rollups


async def _entries(db: Database, lot_id: int, day: object) -> int:
    async with db.session(Scope.internal()) as s:
        total = await s.scalar(
            select(func.sum(ReportDaily.entries)).where(ReportDaily.lot_id == lot_id, ReportDaily.day == day)
        )
    return int(total or 0)


async def test_the_job_rolls_up_yesterday_and_a_replayed_day(db: Database) -> None:
    world = await build_world(db)
    days = Days(datetime.now(SHANGHAI).date() - timedelta(days=5))
    ids = await seed_reports(db, world, days)
    first = await run_rollups(db)
    assert first.previous_days == 4  # every lot's yesterday
    async with db.session(Scope.internal()) as s:
        yesterday = (datetime.now(SHANGHAI) - timedelta(days=1)).date()
        assert await s.scalar(select(func.count()).select_from(ReportDay).where(ReportDay.day == yesterday)) == 4
    lot = world.ids["lot:A1a"]
    assert await _entries(db, lot, days.day(0)) == 0  # five days ago: not rolled up by the job, read will
    await late_replay(db, world, days, ids, datetime.now(UTC))
    again = await run_rollups(db)
    assert again.marked >= 1
    assert again.refreshed >= 1
    assert again.previous_days == 0
    # S1, S2, S3 and the replayed stay entered on D0.
    assert await _entries(db, lot, days.day(0)) == 4
    # The next run reads the last minutes again (the sweep's overlap) and may compute D0 once more: same figures.
    idle = await run_rollups(db)
    assert idle.previous_days == 0
    assert await _entries(db, lot, days.day(0)) == 4
