"""A real offline replay from the lot's edge agent (parking.lanes.edge_sync) into a day already rolled up: the
report keeps the rolled-up figures until the sweep marks the day, then counts the replayed stay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from parking.common.database import Database
from parking.common.scope import Scope
from parking.lanes.edge_sync import replay
from parking.overview.service import DateRange
from parking.reports import reports
from parking.reports.sweep import refresh_marked, sweep
from tests.lanes.site import T0, Site, build_site

DAY = T0.date()  # T0 is 09:00 in Shanghai: the same local day
LATER = T0 + timedelta(days=2)


def _records(site: Site, plate: str, entry: datetime, stay: timedelta) -> list[dict[str, Any]]:
    return [
        {"key": f"edge:{plate}:{lane}", "lane_id": site.ids[lane], "plate": plate, "at": at.isoformat()}
        for lane, at in (("in", entry), ("out", entry + stay))
    ]


async def _day(db: Database, site: Site) -> tuple[int, int, int]:
    query = reports.Query(DateRange(DAY, DAY), LATER, [site.lot_id])
    async with db.session(Scope.platform()) as session:
        (row,) = await reports.daily(db, session, query)
    return row.figures.entries, row.figures.exits, row.figures.stay_minutes


async def test_an_edge_replay_into_a_closed_day_reaches_the_rollup(db: Database) -> None:
    site = await build_site(db)
    await replay(db, site.lot_id, _records(site, "京A10001", T0, timedelta(minutes=30)), T0 + timedelta(minutes=30))
    assert await _day(db, site) == (1, 1, 30)  # the day is over: computed and stored
    # Two days later the edge, back online, replays a stay of that day it let through while offline.
    await replay(db, site.lot_id, _records(site, "京A10002", T0 + timedelta(hours=2), timedelta(hours=1)), LATER)
    assert await _day(db, site) == (1, 1, 30)  # the rollup, until the day is marked
    # The sweep reads the rows' updated_at, stamped on the wall clock by the replay.
    now = datetime.now(UTC)
    assert await sweep(db, now) >= 1
    assert await refresh_marked(db, now) >= 1
    assert await _day(db, site) == (2, 2, 90)
