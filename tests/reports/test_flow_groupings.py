"""The flow report by area (分区: an area's lanes together, the lanes of no area as the lot's outer zone) and by
region (区域: a region's lots together), summed from the lane-level rollup, against the hand-counted seed
(tests/reports/seed.py): lot A1a's entry lane in area 东区 (50 spaces), its exit lane in 西区 (20 spaces); lot A1b's
lane in no area, with a stay of D0 11:00-12:00. A1a and B1a (customer B1's) lie in 南山区, A1b in 福田区."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import update

from parking.common.database import Database
from parking.common.scope import Scope, ScopeLevel
from parking.overview.service import DateRange
from parking.reports import reports
from parking.tenancy.models import Area, Lane, Lot
from tests.conftest import GraphQL
from tests.factories import World, build_world
from tests.reports.seed import SHANGHAI, Days, seed_reports
from tests.reports.test_daily_groupings import NANSHAN, regions_and_booths
from tests.reports.test_graphql_and_exports import _auth, _range, _xlsx_strings
from tests.reports.test_reports import DAYS, _customer_a1

FUTIAN = "福田区"


async def areas_and_regions(db: Database, world: World, days: Days, lanes: dict[str, int]) -> dict[str, int]:
    """The areas above and A1b moved to 福田区; the areas' ids by name."""
    await regions_and_booths(db, world, days)
    async with db.transaction(Scope.internal()) as s:
        lot = await s.get(Lot, world.ids["lot:A1a"])
        assert lot is not None
        owned = {"agent_id": lot.agent_id, "customer_id": lot.customer_id, "lot_id": lot.id}
        east, west = Area(**owned, name="东区", capacity=50), Area(**owned, name="西区", capacity=20)
        s.add_all([east, west])
        await s.flush()
        await s.execute(update(Lane).where(Lane.id == lanes["in"]).values(area_id=east.id))
        await s.execute(update(Lane).where(Lane.id == lanes["out"]).values(area_id=west.id))
        await s.execute(update(Lot).where(Lot.id == world.ids["lot:A1b"]).values(region=FUTIAN))
        return {"东区": east.id, "西区": west.id}


async def _seed(db: Database, days: Days) -> tuple[World, dict[str, int]]:
    world = await build_world(db)
    lanes = await seed_reports(db, world, days)
    return world, await areas_and_regions(db, world, days, lanes)


async def _flow(db: Database, scope: Scope, by: reports.FlowBy, lot_ids: list[int] | None = None) -> list[Any]:
    async with db.session(scope) as session:
        query = reports.Query(DateRange(DAYS.day(0), DAYS.day(2)), DAYS.now, lot_ids)
        return await reports.flow(db, session, query, by)


def _flow_fig(row: Any) -> tuple[Any, ...]:
    f = row.figures
    return f.entries, f.exits, f.stay_minutes, f.average_stay_minutes, row.turnover


async def test_by_area_sums_each_areas_lanes_and_the_outer_zone(db: Database) -> None:
    world, areas = await _seed(db, DAYS)
    rows = await _flow(db, _customer_a1(world), reports.FlowBy.AREA)
    # 东区 (the entry lane): S1..S5 entered, 5 / (50 spaces x 3 days); 西区 (the exit lane): S1..S4 left after
    # 120 + 570 + 720 + 30 = 1440 minutes, 360 on average, no entries; A1b's lane, in no area: the 60-minute stay,
    # no turnover (the outer zone's spaces are not known). A1a's outer zone only had the renewal (no traffic).
    assert [(r.lot_name, r.area_id, r.area_name, r.lane_id, *_flow_fig(r)) for r in rows] == [
        ("Lot A1a", areas["东区"], "东区", None, 5, 0, 0, None, 0.0333),
        ("Lot A1a", areas["西区"], "西区", None, 0, 4, 1440, 360, 0.0),
        ("Lot A1b", None, "", None, 1, 1, 60, 60, None),
    ]


async def test_by_region_sums_the_regions_lots_in_scope_only(db: Database) -> None:
    world, _ = await _seed(db, DAYS)
    rows = await _flow(db, _customer_a1(world), reports.FlowBy.REGION)
    # 南山区: A1a alone for customer A1 (B1a's stay is customer B1's), 5 / (100 spaces x 3 days); 福田区: A1b.
    assert [(r.region, r.lot_id, *_flow_fig(r)) for r in rows] == [
        (NANSHAN, None, 5, 4, 1440, 360, 0.0167),
        (FUTIAN, None, 1, 1, 60, 60, 0.0033),
    ]
    platform = await _flow(db, Scope.platform(), reports.FlowBy.REGION)
    # With B1a's stay (12:00-13:00) and its 100 spaces: 6 / (200 x 3).
    assert [(r.region, *_flow_fig(r)) for r in platform if r.region == NANSHAN] == [(NANSHAN, 6, 5, 1500, 300, 0.01)]
    async with db.transaction(Scope.internal()) as s:
        await s.execute(update(Lot).where(Lot.id == world.ids["lot:A1b"]).values(capacity=0))
    rows = await _flow(db, _customer_a1(world), reports.FlowBy.REGION)
    assert [(r.region, r.turnover) for r in rows] == [(NANSHAN, 0.0167), (FUTIAN, None)]  # spaces unknown


async def test_area_and_region_rows_add_up_to_the_lots(db: Database) -> None:
    world, _ = await _seed(db, DAYS)
    scope = _customer_a1(world)
    by_lot = await _flow(db, scope, reports.FlowBy.LOT)
    for by in (reports.FlowBy.AREA, reports.FlowBy.REGION):
        rows = await _flow(db, scope, by)
        assert sum(r.figures.entries for r in rows) == sum(r.figures.entries for r in by_lot) == 6
        assert sum(r.figures.stay_minutes for r in rows) == sum(r.figures.stay_minutes for r in by_lot) == 1500


async def test_another_customers_lot_leaks_nothing(db: Database) -> None:
    world, _ = await _seed(db, DAYS)
    other = [world.ids["lot:B1a"]]
    for by in (reports.FlowBy.AREA, reports.FlowBy.REGION):
        assert await _flow(db, _customer_a1(world), by, other) == []
    # B1a's own customer sees its stay in 南山区, in its outer zone, and nothing of A1a's.
    b1 = Scope(ScopeLevel.CUSTOMER, agent_id=world.ids["agent:B"], customer_id=world.ids["customer:B1"])
    rows = await _flow(db, b1, reports.FlowBy.REGION)
    assert [(r.region, r.figures.entries) for r in rows if r.region == NANSHAN] == [(NANSHAN, 1)]
    rows = await _flow(db, b1, reports.FlowBy.AREA)
    assert [(r.lot_name, r.area_id, r.figures.entries) for r in rows] == [("Lot B1a", None, 1)]


FLOW_BY = """query ($from: Date!, $to: Date!, $by: ReportFlowBy, $lotIds: [ID!]) {
  flowReport(from: $from, to: $to, by: $by, lotIds: $lotIds) {
    lotId lotName areaId areaName region turnover figures { entries exits averageStayMinutes }
  }
}"""


async def test_area_and_region_over_graphql_and_as_downloads(
    db: Database, gql: GraphQL, client: httpx.AsyncClient
) -> None:
    # Days that are over on the wall clock the server reads: D2 is the day before yesterday.
    days = Days(datetime.now(SHANGHAI).date() - timedelta(days=4))
    world, areas = await _seed(db, days)
    body = await gql(FLOW_BY, {**_range(days), "by": "AREA"}, token=world.tokens["custA1"])
    assert body.get("errors") is None, body
    assert [
        (r["lotName"], r["areaId"], r["areaName"], r["figures"]["entries"], r["figures"]["exits"], r["turnover"])
        for r in body["data"]["flowReport"]
    ] == [
        ("Lot A1a", str(areas["东区"]), "东区", 5, 0, 0.0333),
        ("Lot A1a", str(areas["西区"]), "西区", 0, 4, 0.0),
        ("Lot A1b", None, "", 1, 1, None),
    ]
    body = await gql(FLOW_BY, {**_range(days), "by": "REGION"}, token=world.tokens["custA1"])
    assert body.get("errors") is None, body
    assert [(r["lotId"], r["region"], r["figures"]["averageStayMinutes"]) for r in body["data"]["flowReport"]] == [
        (None, NANSHAN, 360),
        (None, FUTIAN, 60),
    ]
    other = [str(world.ids["lot:B1a"])]
    for by in ("AREA", "REGION"):
        body = await gql(FLOW_BY, {**_range(days), "by": by, "lotIds": other}, token=world.tokens["custA1"])
        assert (body.get("errors"), body["data"]["flowReport"]) == (None, [])
    headers = _auth(world, "custA1")
    answer = await client.get("/api/reports/flow.csv", params={**_range(days), "by": "area"}, headers=headers)
    assert answer.status_code == 200
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "车场",
        "分区",
        "入场车次",
        "出场车次",
        "停车总时长（分钟）",
        "平均停车时长（分钟）",
        "车位周转率（次/位/日）",
    ]
    assert [r[:4] + r[5:] for r in rows[1:]] == [
        ["Lot A1a", "东区", "5", "0", "", "0.0333"],
        ["Lot A1a", "西区", "0", "4", "360", "0.0"],
        ["Lot A1b", "外场（未分区）", "1", "1", "60", ""],
    ]
    answer = await client.get("/api/reports/flow.xlsx", params={**_range(days), "by": "region"}, headers=headers)
    assert answer.status_code == 200
    assert {"区域", "入场车次", "车位周转率（次/位/日）", NANSHAN, FUTIAN} <= set(_xlsx_strings(answer.content))
