"""The reports against the hand-counted seed (tests/reports/seed.py): each report's figures, past days read from
the rollup and today live, and the rollup made right again after a late offline replay and a refund learnt
after the day closed (by the worker's sweep, or by the next read)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import event, func, select

from parking.common.database import Database
from parking.common.scope import Scope, ScopeLevel
from parking.overview.service import DateRange
from parking.reports import reports
from parking.reports.models import ReportDaily, ReportDay, ReportDirtyDay
from parking.reports.sweep import refresh_marked, refresh_previous_days, sweep
from parking.sessions.models import ParkingSession
from parking.tenancy.models import Lot
from tests.factories import World, build_world
from tests.reports.seed import Days, late_replay, refund, seed_reports

DAYS = Days(date(2026, 11, 20))
D0, D1, D2 = DAYS.day(0), DAYS.day(1), DAYS.day(2)


async def _world(db: Database) -> tuple[World, dict[str, int]]:
    world = await build_world(db)
    return world, await seed_reports(db, world, DAYS)


def _customer_a1(world: World) -> Scope:
    # Customer A1's operator: lots A1a and A1b, never B1a.
    return Scope(ScopeLevel.CUSTOMER, agent_id=world.ids["agent:A"], customer_id=world.ids["customer:A1"])


async def _run(db: Database, world: World, report: Any, *args: Any, now: Any = None) -> Any:
    query = reports.Query(DateRange(D0, D2), now or DAYS.now)
    async with db.session(_customer_a1(world)) as session:
        return await report(db, session, query, *args)


def _fig(row: Any) -> tuple[int, ...]:
    f = row.figures
    return (f.entries, f.exits, f.stay_minutes, f.paid_fen, f.refunded_fen, f.discount_fen, f.waived_fen)


async def test_flow_by_lot_lane_class_and_day(db: Database) -> None:
    world, lanes = await _world(db)
    by_lot = await _run(db, world, reports.flow, reports.FlowBy.LOT)
    # A1a: S1..S5 entered, S1..S4 left after 120 + 570 + 720 + 30 minutes; 5 entries / (100 spaces x 3 days).
    assert [
        (r.lot_name, r.figures.entries, r.figures.exits, r.figures.average_stay_minutes, r.turnover) for r in by_lot
    ] == [("Lot A1a", 5, 4, 360, round(5 / 300, 4))]
    by_lane = await _run(db, world, reports.flow, reports.FlowBy.LANE)
    assert [(r.lane_id, r.lane_name, r.figures.entries, r.figures.exits) for r in by_lane] == [
        (lanes["in"], "In A1a", 5, 0),
        (lanes["out"], "Out A1a", 0, 4),
    ]
    by_class = await _run(db, world, reports.flow, reports.FlowBy.VEHICLE_CLASS)
    assert [
        (r.vehicle_class, r.figures.entries, r.figures.exits, r.figures.average_stay_minutes) for r in by_class
    ] == [("large", 1, 1, 720), ("small", 4, 3, 240)]
    by_day = await _run(db, world, reports.flow, reports.FlowBy.DAY)
    assert [(r.day, r.figures.entries, r.figures.exits, r.figures.stay_minutes) for r in by_day] == [
        (D0, 3, 2, 690),
        (D1, 1, 2, 750),
        (D2, 1, 0, 0),  # today, live: S5 is inside; its inner-lot stay is no entry into the lot
    ]


async def test_peak_hours(db: Database) -> None:
    world, _ = await _world(db)
    hours = await _run(db, world, reports.peak_hours)
    assert len(hours) == 24
    # 08h: S1 and S5 in, S3 out; 09h: S2 and S4 in, S4 out; then 10h (S1 out), 18h (S2 out), 20h (S3 in).
    assert [(h.hour, h.entries, h.exits) for h in hours[:5]] == [
        (8, 2, 1),
        (9, 2, 1),
        (10, 0, 1),
        (18, 0, 1),
        (20, 1, 0),
    ]


async def test_fees_by_channel_and_kind(db: Database) -> None:
    world, _ = await _world(db)
    channels = await _run(db, world, reports.fees_by_channel)
    assert [(r.channel, r.figures.payments, r.figures.paid_fen) for r in channels] == [
        ("alipay_qr", 1, 2000),
        ("cash", 1, 20000),  # the pass renewal: revenue too
        ("wechat_jsapi", 1, 1000),
    ]
    kinds = {r.kind: _fig(r) for r in await _run(db, world, reports.fees_by_kind)}
    # Temporary: S1, S3, S4, S5 (S3's 500 discounted, S4's 500 let out free); long-term: monthly S2 and the pass.
    assert kinds == {
        reports.FeeKind.TEMPORARY: (4, 3, 870, 3000, 0, 500, 500),
        reports.FeeKind.LONG_TERM: (1, 1, 570, 20000, 0, 0, 0),
        reports.FeeKind.COUPON_PACK: (0, 0, 0, 0, 0, 0, 0),
    }


async def test_daily_report_by_lot_and_lane(db: Database) -> None:
    world, lanes = await _world(db)
    by_lot = await _run(db, world, reports.daily)
    assert [(r.day, r.lot_name, *_fig(r)) for r in by_lot] == [
        (D0, "Lot A1a", 3, 2, 690, 1000, 0, 0, 0),
        (D1, "Lot A1a", 1, 2, 750, 22000, 0, 500, 500),
        (D2, "Lot A1a", 1, 0, 0, 0, 0, 0, 0),
    ]
    by_lane = await _run(db, world, reports.daily, reports.DailyBy.LANE)
    assert [(r.day, r.lane_name, *_fig(r)) for r in by_lane] == [
        (D0, "In A1a", 3, 0, 0, 0, 0, 0, 0),
        (D0, "Out A1a", 0, 2, 690, 1000, 0, 0, 0),
        (D1, "", 0, 0, 0, 20000, 0, 0, 0),  # the renewal passed no lane
        (D1, "In A1a", 1, 0, 0, 0, 0, 0, 0),
        (D1, "Out A1a", 0, 2, 750, 2000, 0, 500, 500),
        (D2, "In A1a", 1, 0, 0, 0, 0, 0, 0),
    ]
    assert by_lane[1].lane_id == lanes["out"]


async def _stored(db: Database) -> tuple[list[Any], int, list[Any]]:
    async with db.session(Scope.internal()) as s:
        days = (
            await s.execute(select(ReportDay.lot_id, ReportDay.day).order_by(ReportDay.lot_id, ReportDay.day))
        ).all()
        rows = int(await s.scalar(select(func.count()).select_from(ReportDaily)) or 0)
        marks = (await s.execute(select(ReportDirtyDay.lot_id, ReportDirtyDay.day))).all()
    return [tuple(d) for d in days], rows, [tuple(m) for m in marks]


async def test_past_days_are_stored_once_and_today_never(db: Database) -> None:
    world, _ = await _world(db)
    await _run(db, world, reports.daily)
    days, rows, _ = await _stored(db)
    a1a, a1b = world.ids["lot:A1a"], world.ids["lot:A1b"]
    # Customer A1's lots, the two closed days each (A1b's empty ones too, so they are not computed again).
    assert days == sorted([(a1a, D0), (a1a, D1), (a1b, D0), (a1b, D1)])
    await _run(db, world, reports.flow, reports.FlowBy.LOT)
    await refresh_previous_days(db, DAYS.now)  # the nightly job: D1 of every lot, again
    assert (await _stored(db))[1] == rows


def _daily(rows: list[Any]) -> list[tuple[Any, ...]]:
    return [(r.day, *_fig(r)) for r in rows]


async def test_late_replay_and_refund_after_the_day_closed_through_the_sweep(db: Database) -> None:
    world, ids = await _world(db)
    assert len(_daily(await _run(db, world, reports.daily))) == 3  # D0 and D1 are rolled up
    written = DAYS.at(2, 10, 30)
    await late_replay(db, world, DAYS, ids, written)
    await refund(db, ids["alipay"], 300, DAYS.at(1, 23, 50), written)  # completed on D1, learnt on D2
    await refund(db, ids["alipay"], 200, DAYS.at(2, 10, 45), written)  # completed today
    later = DAYS.at(2, 11)
    # Until the sweep has run, the closed days are what was rolled up.
    assert _daily(await _run(db, world, reports.daily, now=later))[0] == (D0, 3, 2, 690, 1000, 0, 0, 0)
    assert await sweep(db, later) >= 2
    assert await refresh_marked(db, later) >= 2
    assert (await _stored(db))[2] == []
    assert _daily(await _run(db, world, reports.daily, now=later)) == [
        (D0, 4, 3, 750, 1600, 0, 0, 0),
        (D1, 1, 2, 750, 22000, 300, 500, 500),
        (D2, 1, 0, 0, 0, 200, 0, 0),
    ]
    channels = await _run(db, world, reports.fees_by_channel, now=later)
    assert [(r.channel, r.figures.paid_fen, r.figures.refunds, r.figures.refunded_fen) for r in channels] == [
        ("alipay_qr", 2000, 2, 500),
        ("cash", 20600, 0, 0),
        ("wechat_jsapi", 1000, 0, 0),
    ]
    # A sweep with nothing new marks nothing.
    assert await sweep(db, later + timedelta(minutes=30)) == 0


async def test_a_marked_day_is_computed_again_on_read(db: Database) -> None:
    world, lanes = await _world(db)
    await _run(db, world, reports.daily)
    written = DAYS.at(2, 10, 30)
    await late_replay(db, world, DAYS, lanes, written)
    await sweep(db, DAYS.at(2, 11))  # marks D0; the job has not computed it yet
    rows = _daily(await _run(db, world, reports.daily, now=DAYS.at(2, 11)))
    assert rows[0] == (D0, 4, 3, 750, 1600, 0, 0, 0)
    # Read for customer A1: its marks are cleared; B1a's (its stay of D0 is in the sweep's first look) stays.
    assert (await _stored(db))[2] == [(world.ids["lot:B1a"], D0)]


async def test_other_customers_rows_are_left_out(db: Database) -> None:
    await _world(db)
    query = reports.Query(DateRange(D0, D2), DAYS.now)
    async with db.session(Scope.platform()) as session:
        rows = await reports.flow(db, session, query, reports.FlowBy.LOT)
    # The platform sees B1a's stay; customer A1 (above) never did.
    assert [(r.lot_name, r.figures.entries) for r in rows] == [("Lot A1a", 5), ("Lot B1a", 1)]


async def test_a_report_of_stored_days_costs_the_same_statements_whatever_the_days_and_lots(db: Database) -> None:
    await _world(db)
    closed = reports.Query(DateRange(D0 - timedelta(days=30), D1), DAYS.now)
    async with db.session(Scope.platform()) as session:
        await reports.daily(db, session, closed, reports.DailyBy.LANE)  # computes and stores every lot's 32 days
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        seen.append(sql)

    event.listen(db.engine.sync_engine, "before_cursor_execute", record)
    try:
        async with db.session(Scope.platform()) as session:
            rows = await reports.daily(db, session, closed, reports.DailyBy.LANE)
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", record)
    assert len(rows) == 6  # A1a: five lane days of D0 and D1 (as above, less today); B1a: D0 on no lane
    # The lots, the days stored, the dirty marks, the grouped rollup rows and the lanes' names.
    assert len([sql for sql in seen if sql.lstrip().upper().startswith("SELECT")]) == 5


async def test_a_day_over_in_one_time_zone_and_today_in_another(db: Database) -> None:
    world, _ = await _world(db)
    async with db.transaction(Scope.internal()) as s:
        lot = await s.get(Lot, world.ids["lot:A1b"])
        assert lot is not None
        lot.timezone = "America/New_York"  # at DAYS.now (D2 10:00 Shanghai) it is D1 21:00 there
        noon = datetime.combine(D1, time(12), ZoneInfo("America/New_York")).astimezone(UTC)
        s.add(
            ParkingSession(
                agent_id=lot.agent_id, customer_id=lot.customer_id, lot_id=lot.id, plate="NY1", entry_at=noon
            )
        )
    rows = await _run(db, world, reports.daily)
    # D1 is computed (and stored) for A1a, counted live for A1b, in the same read.
    assert [(r.day, r.lot_name, r.figures.entries) for r in rows if r.day == D1] == [
        (D1, "Lot A1a", 1),
        (D1, "Lot A1b", 1),
    ]
    days, _, _ = await _stored(db)
    assert (world.ids["lot:A1b"], D1) not in days
