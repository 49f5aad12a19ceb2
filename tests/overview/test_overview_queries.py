"""The home overview's aggregates: sums equal to the seeded rows counted by hand, each lot bucketed in its own
time zone, other tenants' rows left out, and one SQL statement per figure."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event

from parking.accounts.permissions import Perm
from parking.common.database import Database
from parking.common.scope import Scope
from parking.tariffs.document import VehicleClass
from parking.tariffs.models import TariffVersion
from parking.tenancy.models import Lot
from tests.api.helpers import operators_lacking
from tests.conftest import GraphQL
from tests.factories import World, build_world
from tests.lanes.site import flat_tariff
from tests.overview.seed import seed_overview

REVENUE = """query ($lotIds: [ID!]) {
  revenueByDay(from: "2026-11-20", to: "2026-11-21", lotIds: $lotIds) { day channel paidFen refundedFen orders }
}"""
TRAFFIC = """query ($bucket: TrafficBucket!) {
  traffic(from: "2026-11-20", to: "2026-11-21", bucket: $bucket) { day hour entries exits }
}"""
OCCUPANCY = "{ occupancy { name capacity occupied freeSpaces } }"
ALARMS = "{ openAlarmsByKind { kind open acknowledged } }"


async def _world(db: Database) -> World:
    world = await build_world(db)
    await seed_overview(db, world)
    return world


@contextmanager
def statements(db: Database, table: str) -> Iterator[list[str]]:
    """The SELECTs that read ``table`` (signing in reads the operator first, which is not counted)."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        if sql.lstrip().upper().startswith("SELECT") and f" {table}" in sql:
            seen.append(sql)

    event.listen(db.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", record)


async def _data(gql: GraphQL, world: World, who: str, query: str, **variables: Any) -> Any:
    body = await gql(query, variables, token=world.tokens[who])
    assert body.get("errors") is None, body
    return next(iter(body["data"].values()))


def _revenue(rows: list[dict[str, Any]]) -> list[tuple[str, str, int, int, int]]:
    return sorted((r["day"], r["channel"], r["paidFen"], r["refundedFen"], r["orders"]) for r in rows)


async def test_revenue_per_local_day_and_channel_for_a_customer(db: Database, gql: GraphQL) -> None:
    world = await _world(db)
    with statements(db, "payment_orders") as seen:
        rows = await _data(gql, world, "custA1", REVENUE)
    # A1a 500 (11-20 23:30 Shanghai) + A1b 300 (11-20 22:00 New York); A1a 700 at 00:30 Shanghai is 11-21.
    assert _revenue(rows) == [
        ("2026-11-20", "WECHAT_JSAPI", 500 + 300, 0, 2),
        ("2026-11-21", "ALIPAY_QR", 1200, 200, 1),
        ("2026-11-21", "WECHAT_JSAPI", 700, 0, 1),
    ]
    assert len(seen) == 1


async def test_revenue_for_the_platform_adds_the_other_customers(db: Database, gql: GraphQL) -> None:
    world = await _world(db)
    rows = await _data(gql, world, "platform", REVENUE)
    assert _revenue(rows) == [
        ("2026-11-20", "WECHAT_JSAPI", 800, 0, 2),
        ("2026-11-21", "ALIPAY_QR", 1200, 200, 1),
        ("2026-11-21", "WECHAT_JSAPI", 700 + 4000 + 8000, 0, 3),
    ]


async def test_revenue_of_named_lots_stays_inside_the_callers_scope(db: Database, gql: GraphQL) -> None:
    world = await _world(db)
    # Agent B asks for A1a's and its own lot: A1a is not its to see.
    rows = await _data(gql, world, "agentB", REVENUE, lotIds=[world.id("lot:A1a"), world.id("lot:B1a")])
    assert _revenue(rows) == [("2026-11-21", "WECHAT_JSAPI", 8000, 0, 1)]
    rows = await _data(gql, world, "custA1", REVENUE, lotIds=[world.id("lot:A1b")])
    assert _revenue(rows) == [("2026-11-20", "WECHAT_JSAPI", 300, 0, 1)]


async def test_traffic_per_local_day(db: Database, gql: GraphQL) -> None:
    world = await _world(db)
    with statements(db, "parking_sessions") as seen:
        rows = await _data(gql, world, "custA1", TRAFFIC, bucket="DAY")
    assert rows == [
        {"day": "2026-11-20", "hour": None, "entries": 2, "exits": 0},
        {"day": "2026-11-21", "hour": None, "entries": 1, "exits": 2},
    ]
    assert len(seen) == 1


async def test_traffic_per_local_hour(db: Database, gql: GraphQL) -> None:
    world = await _world(db)
    rows = await _data(gql, world, "custA1", TRAFFIC, bucket="HOUR")
    assert [(r["day"], r["hour"], r["entries"], r["exits"]) for r in rows] == [
        ("2026-11-20", 22, 1, 0),  # A1b in, New York
        ("2026-11-20", 23, 1, 0),  # A1a in, Shanghai
        ("2026-11-21", 0, 0, 1),  # A1a out
        ("2026-11-21", 9, 1, 1),  # A1a in (Shanghai), A1b out (New York)
    ]


async def test_traffic_of_agent_b_counts_only_its_lot(db: Database, gql: GraphQL) -> None:
    world = await _world(db)
    rows = await _data(gql, world, "agentB", TRAFFIC, bucket="DAY")
    assert rows == [{"day": "2026-11-21", "hour": None, "entries": 1, "exits": 0}]


async def test_occupancy_per_lot_now(db: Database, gql: GraphQL) -> None:
    world = await _world(db)
    with statements(db, "lots") as seen:
        rows = await _data(gql, world, "custA1", OCCUPANCY)
    assert rows == [
        {"name": "Lot A1a", "capacity": 100, "occupied": 30, "freeSpaces": 70},
        {"name": "Lot A1b", "capacity": 100, "occupied": 100, "freeSpaces": 0},
    ]
    assert len(seen) == 1


async def test_open_alarms_by_kind(db: Database, gql: GraphQL) -> None:
    world = await _world(db)
    with statements(db, "alarms") as seen:
        rows = await _data(gql, world, "custA1", ALARMS)
    assert rows == [
        {"kind": "GATE_FAILED", "open": 1, "acknowledged": 0},
        {"kind": "LOW_CONFIDENCE", "open": 2, "acknowledged": 1},
    ]
    assert len(seen) == 1
    only_b = await _data(gql, world, "agentB", ALARMS)
    assert only_b == [{"kind": "GATE_FAILED", "open": 1, "acknowledged": 0}]


async def test_a_backwards_or_too_long_range_is_refused(db: Database, gql: GraphQL) -> None:
    world = await _world(db)
    backwards = '{ traffic(from: "2026-11-21", to: "2026-11-20") { day } }'
    too_long = '{ revenueByDay(from: "2026-01-01", to: "2026-11-20") { day } }'
    for query, words in ((backwards, "ends before it starts"), (too_long, "at most 92 days")):
        body = await gql(query, token=world.tokens["custA1"])
        assert body["data"] is None
        assert words in body["errors"][0]["message"]


async def test_an_operator_without_finance_permission_is_refused_revenue(db: Database, gql: GraphQL) -> None:
    world = await _world(db)
    body = await gql(REVENUE, token=world.tokens["viewer"])
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"


async def test_occupancy_lists_the_tariff_in_force_now_per_lot(db: Database, gql: GraphQL) -> None:
    world = await _world(db)
    async with db.transaction(Scope.internal()) as s:
        lot = await s.get(Lot, world.ids["lot:A1a"])
        assert lot is not None
        owned = {"agent_id": lot.agent_id, "customer_id": lot.customer_id, "lot_id": lot.id}
        document = flat_tariff().model_dump(mode="json")
        for version, starts in ((1, datetime(2026, 1, 1, tzinfo=UTC)), (2, datetime(2026, 6, 1, tzinfo=UTC))):
            s.add(
                TariffVersion(
                    **owned,
                    vehicle_class=VehicleClass.SMALL,
                    name=f"flat v{version}",
                    version=version,
                    effective_from=starts,
                    document=document,
                )
            )
        s.add(
            TariffVersion(
                **owned,
                vehicle_class=VehicleClass.SMALL,
                name="next year",
                version=3,
                effective_from=datetime(2099, 1, 1, tzinfo=UTC),
                document=document,
            )
        )
    with statements(db, "tariff_versions") as seen:
        rows = await _data(gql, world, "custA1", "{ occupancy { name tariffs { name vehicleClass } } }")
    assert rows == [
        {"name": "Lot A1a", "tariffs": [{"name": "flat v2", "vehicleClass": "SMALL"}]},
        {"name": "Lot A1b", "tariffs": []},
    ]
    assert len(seen) == 1  # one dataloader batch for all lots


async def test_an_operator_without_tariff_permission_is_refused_the_tariffs_of_occupancy(
    db: Database, gql: GraphQL
) -> None:
    await _world(db)
    tokens = await operators_lacking(db, {frozenset({Perm.TARIFFS_VIEW.value})})
    token = tokens[frozenset({Perm.TARIFFS_VIEW.value})]
    plain = await gql("{ occupancy { name } }", token=token)
    assert plain.get("errors") is None
    body = await gql("{ occupancy { name tariffs { name } } }", token=token)
    assert plain["data"]["occupancy"]  # the lots themselves are visible
    assert body["data"] is None
    assert {e["extensions"]["code"] for e in body["errors"]} == {"PERMISSION_DENIED"}
    assert {tuple(e["path"][::2]) for e in body["errors"]} == {("occupancy", "tariffs")}
