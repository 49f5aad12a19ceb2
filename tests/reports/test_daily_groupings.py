"""The daily report by region (区域: a region's lots together) and by booth (岗亭: the lanes of a lot naming the
same booth together), against the hand-counted seed (tests/reports/seed.py) plus one stay in lot A1b, over
GraphQL and as CSV; another customer's lot in the same region never leaks into customer A1's figures."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx
from sqlalchemy import update

from parking.common.database import Database
from parking.common.scope import Scope
from parking.overview.service import DateRange
from parking.reports import reports
from parking.sessions.enums import ReleaseMethod, SessionState
from parking.sessions.models import ParkingSession
from parking.tenancy.models import Lane, Lot
from tests.conftest import GraphQL
from tests.factories import World, build_world
from tests.reports.seed import Days, seed_reports
from tests.reports.test_graphql_and_exports import _auth, _range, _seeded
from tests.reports.test_reports import DAYS, _customer_a1, _fig

D0, D1, D2 = DAYS.day(0), DAYS.day(1), DAYS.day(2)
NANSHAN = "南山区"


async def regions_and_booths(db: Database, world: World, days: Days) -> None:
    """Lots A1a, A1b and B1a (customer B1's) in 南山区; A1b: a stay of D0 11:00-12:00."""
    async with db.transaction(Scope.internal()) as s:
        ids = [world.ids["lot:A1a"], world.ids["lot:A1b"], world.ids["lot:B1a"]]
        await s.execute(update(Lot).where(Lot.id.in_(ids)).values(region=NANSHAN))
        lot = await s.get(Lot, world.ids["lot:A1b"])
        assert lot is not None
        lane = world.ids["lane:A1b"]
        s.add(
            ParkingSession(
                agent_id=lot.agent_id,
                customer_id=lot.customer_id,
                lot_id=lot.id,
                plate="沪AB7",
                entry_at=days.at(0, 11),
                entry_lane_id=lane,
                exit_at=days.at(0, 12),
                exit_lane_id=lane,
                state=SessionState.EXITED,
                release_method=ReleaseMethod.AUTOMATIC,
                updated_at=days.at(0, 12),
            )
        )


async def booth(db: Database, world: World, name: str) -> None:
    """Lot A1a's two lanes name the booth ``name`` (read when the report is: past days regroup at once)."""
    async with db.transaction(Scope.internal()) as s:
        await s.execute(update(Lane).where(Lane.lot_id == world.ids["lot:A1a"]).values(booth=name))


async def _daily(db: Database, scope: Scope, by: reports.DailyBy) -> list[Any]:
    async with db.session(scope) as session:
        return await reports.daily(db, session, reports.Query(DateRange(D0, D2), DAYS.now), by)


async def test_by_region_sums_the_regions_lots_in_scope(db: Database) -> None:
    world = await build_world(db)
    await seed_reports(db, world, DAYS)
    await regions_and_booths(db, world, DAYS)
    rows = await _daily(db, _customer_a1(world), reports.DailyBy.REGION)
    # D0: A1a's 3 entries, 2 exits (690 min, 1000 paid) and A1b's stay (1 in, 1 out, 60 min); B1a's stay is not
    # customer A1's and is left out although B1a is in the same region.
    assert [(r.day, r.region, r.lot_id, *_fig(r)) for r in rows] == [
        (D0, NANSHAN, None, 4, 3, 750, 1000, 0, 0, 0),
        (D1, NANSHAN, None, 1, 2, 750, 22000, 0, 500, 500),
        (D2, NANSHAN, None, 1, 0, 0, 0, 0, 0, 0),
    ]
    platform = await _daily(db, Scope.platform(), reports.DailyBy.REGION)
    assert next((r.day, r.region, r.figures.entries) for r in platform) == (D0, NANSHAN, 5)  # with B1a's stay


async def test_a_lot_with_no_region_is_its_own_group(db: Database) -> None:
    world = await build_world(db)
    await seed_reports(db, world, DAYS)
    rows = await _daily(db, _customer_a1(world), reports.DailyBy.REGION)
    assert [(r.day, r.region, r.figures.entries) for r in rows] == [(D0, "", 3), (D1, "", 1), (D2, "", 1)]


async def test_by_booth_sums_the_booths_lanes_and_a_lane_naming_none_is_its_own(db: Database) -> None:
    world = await build_world(db)
    await seed_reports(db, world, DAYS)
    await regions_and_booths(db, world, DAYS)
    by_lane = await _daily(db, _customer_a1(world), reports.DailyBy.LANE)
    by_own_booth = await _daily(db, _customer_a1(world), reports.DailyBy.BOOTH)
    # No lane names a booth yet: each lane is its own, with its id.
    assert [(r.day, r.booth, r.lane_id, _fig(r)) for r in by_own_booth] == [
        (r.day, r.lane_name, r.lane_id, _fig(r)) for r in sorted(by_lane, key=lambda r: (r.day, not r.lane_name))
    ]
    await booth(db, world, "东门岗亭")
    rows = await _daily(db, _customer_a1(world), reports.DailyBy.BOOTH)
    assert [(r.day, r.lot_name, r.booth, r.lane_id, *_fig(r)) for r in rows] == [
        (D0, "Lot A1a", "东门岗亭", None, 3, 2, 690, 1000, 0, 0, 0),
        (D0, "Lot A1b", "In A1b", world.ids["lane:A1b"], 1, 1, 60, 0, 0, 0, 0),
        (D1, "Lot A1a", "东门岗亭", None, 1, 2, 750, 2000, 0, 500, 500),
        (D1, "Lot A1a", "", None, 0, 0, 0, 20000, 0, 0, 0),  # the renewal passed no lane
        (D2, "Lot A1a", "东门岗亭", None, 1, 0, 0, 0, 0, 0, 0),
    ]


DAILY_BY = """query ($from: Date!, $to: Date!, $by: ReportDailyBy, $lotIds: [ID!]) {
  dailyReport(from: $from, to: $to, by: $by, lotIds: $lotIds) { day lotId region booth figures { entries paidFen } }
}"""


async def test_region_and_booth_over_graphql_and_as_csv(db: Database, gql: GraphQL, client: httpx.AsyncClient) -> None:
    world, days = await _seeded(db)
    await regions_and_booths(db, world, days)
    await booth(db, world, "东门岗亭")
    body = await gql(DAILY_BY, {**_range(days), "by": "REGION"}, token=world.tokens["custA1"])
    assert body.get("errors") is None, body
    assert [(r["lotId"], r["region"], r["figures"]["entries"]) for r in body["data"]["dailyReport"]] == [
        (None, NANSHAN, 4),
        (None, NANSHAN, 1),
        (None, NANSHAN, 1),
    ]
    body = await gql(DAILY_BY, {**_range(days), "by": "BOOTH"}, token=world.tokens["lotA1a"])
    assert body.get("errors") is None, body
    # The lot operator of A1a: its booth and the renewal's no-lane row, never A1b's booth.
    assert [(r["booth"], r["figures"]["entries"], r["figures"]["paidFen"]) for r in body["data"]["dailyReport"]] == [
        ("东门岗亭", 3, 1000),
        ("东门岗亭", 1, 2000),
        ("", 0, 20000),
        ("东门岗亭", 1, 0),
    ]
    answer = await client.get(
        "/api/reports/daily.csv", params={**_range(days), "by": "region"}, headers=_auth(world, "custA1")
    )
    assert answer.status_code == 200
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["日期", "区域", "入场车次", "出场车次"]
    assert [r[1:4] for r in rows[1:]] == [[NANSHAN, "4", "3"], [NANSHAN, "1", "2"], [NANSHAN, "1", "0"]]
    answer = await client.get(
        "/api/reports/daily.csv", params={**_range(days), "by": "booth"}, headers=_auth(world, "custA1")
    )
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["日期", "车场", "岗亭"]
    assert ["Lot A1a", "（无车道）"] in [r[1:3] for r in rows[1:]]
    bad = await client.get(
        "/api/reports/daily.csv", params={**_range(days), "by": "city"}, headers=_auth(world, "custA1")
    )
    assert (bad.status_code, bad.json()["field"]) == (400, "by")


async def test_another_customers_lot_asked_by_id_leaks_nothing(db: Database, gql: GraphQL) -> None:
    world, days = await _seeded(db)
    await regions_and_booths(db, world, days)
    await booth(db, world, "东门岗亭")
    other = [str(world.ids["lot:B1a"])]
    for by in ("REGION", "BOOTH"):
        body = await gql(DAILY_BY, {**_range(days), "by": by, "lotIds": other}, token=world.tokens["custA1"])
        assert body.get("errors") is None, body
        assert body["data"]["dailyReport"] == []
