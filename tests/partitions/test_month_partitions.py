"""Lane events and stays partitioned by month on PostgreSQL: where rows land, the unique rules across months,
the job that makes the months ahead, and the plans of the hot queries (EXPLAIN)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from parking.common.database import Database
from parking.common.partitions import PARTITIONED, Month, ensure_partitions
from parking.common.scope import Scope
from parking.lanes.context import _PLATE_STAYS
from parking.sessions.enums import SessionState
from parking.sessions.models import LaneEvent, ParkingSession
from tests.lanes.site import Site, build_site

pytestmark = [pytest.mark.anyio, pytest.mark.parametrize("backend", ["postgres"], indirect=True)]


def _now() -> datetime:
    return datetime.now(UTC)


async def _partition_of(db: Database, table: str, row_id: int) -> str:
    async with db.engine.connect() as conn:
        name = await conn.scalar(text(f"SELECT tableoid::regclass::text FROM {table} WHERE id = :id"), {"id": row_id})
    return str(name)


async def _count(db: Database, table: str) -> int:
    async with db.engine.connect() as conn:
        return int(await conn.scalar(text(f"SELECT count(*) FROM {table}")) or 0)


async def _clone(db: Database, table: str, template: int, new_id: int, **changes: Any) -> None:
    """A copy of a row of ``table`` with another id (so another month) and ``changes``, written as SQL would be."""
    overrides = ", ".join(f"'{k}', CAST(:{k} AS text)" for k in changes)
    async with db.engine.begin() as conn:
        await conn.execute(
            text(
                f"INSERT INTO {table} SELECT (jsonb_populate_record(NULL::{table}, to_jsonb(t) "
                f"|| jsonb_build_object('id', CAST(:new_id AS bigint){', ' + overrides if overrides else ''}))).* "
                f"FROM {table} t WHERE id = :template"
            ),
            {"template": template, "new_id": new_id, **{k: str(v) for k, v in changes.items()}},
        )


async def test_new_stays_and_events_get_this_months_ids_and_land_in_its_partition(db: Database) -> None:
    site = await build_site(db)
    now = _now()
    outcome = await site.read("in", "皖A12345", now)
    month = Month.of(now)
    assert outcome.session_id is not None
    for table, row_id in (("parking_sessions", outcome.session_id), ("lane_events", outcome.event_id)):
        assert month.first_id <= row_id < month.plus(1).first_id
        assert await _partition_of(db, table, row_id) == month.partition(table)
        assert row_id < 2**53  # JavaScript numbers hold it exactly


async def test_one_open_stay_per_plate_holds_across_months(db: Database) -> None:
    """An open stay in an older month still refuses a second open stay of the plate in this month."""
    site = await build_site(db)
    now = _now()
    first = await site.read("in", "皖A11111", now)
    assert first.session_id is not None
    older = Month.of(now).plus(-1).first_id + 7  # an older partition than this month's
    await _clone(db, "parking_sessions", first.session_id, older, plate="皖B22222")
    stays = await _count(db, "parking_sessions")

    # The same plate again, written directly into this month: the side table's key refuses it.
    with pytest.raises(IntegrityError):
        await _clone(db, "parking_sessions", first.session_id, Month.of(now).first_id + 10**6, plate="皖B22222")
    assert await _count(db, "parking_sessions") == stays

    # Once the older stay is closed, its key goes and the plate may enter again.
    async with db.transaction(Scope.internal()) as s:
        stay = await s.get(ParkingSession, older)
        assert stay is not None
        stay.state, stay.exit_at = SessionState.EXITED, now
    again = await site.read("in", "皖B22222", now + timedelta(minutes=1))
    assert again.session_id is not None
    assert again.session_id != older
    open_ids = {s.id for s in await site.open_sessions("皖B22222")}
    assert open_ids == {again.session_id}


async def test_a_second_entry_of_a_plate_inside_keeps_one_open_stay_and_one_key(db: Database) -> None:
    """Two entries of one plate through the flow: the second sees the first's stay, never a second one (two
    lanes at the same moment: tests/lanes' concurrency tests, which run on the partitioned tables too)."""
    site = await build_site(db)
    now = _now()
    await site.read("in", "皖A33333", now)
    await site.read("in", "皖A33333", now + timedelta(seconds=30))
    assert len(await site.open_sessions("皖A33333")) == 1
    async with db.engine.connect() as conn:
        keys = await conn.scalar(text("SELECT count(*) FROM open_session_keys WHERE key LIKE :k"), {"k": "plate:%"})
    assert keys == 1


async def test_a_dedup_key_recorded_in_an_older_month_replays_instead_of_recording_twice(db: Database) -> None:
    site = await build_site(db)
    now = _now()
    first = await site.read("in", "皖A44444", now)
    # A reading recorded last month (a copy of this one in an older partition), replayed now by the edge.
    older = Month.of(now).plus(-1).first_id + 3
    await _clone(db, "lane_events", first.event_id, older, dedup_key="cam:replayed")
    assert await _partition_of(db, "lane_events", older) != Month.of(now).partition("lane_events")
    events = await _count(db, "lane_events")
    again = await site.read("in", "皖A44444", now + timedelta(minutes=5), key="cam:replayed")
    assert again.duplicate
    assert again.event_id == older
    assert await _count(db, "lane_events") == events


async def test_deleting_events_and_stays_frees_their_keys(db: Database) -> None:
    site = await build_site(db)
    now = _now()
    outcome = await site.read("in", "皖A55555", now, key="cam:gone")
    async with db.engine.begin() as conn:
        await conn.execute(text("DELETE FROM gate_commands WHERE session_id = :id"), {"id": outcome.session_id})
        await conn.execute(text("DELETE FROM lane_events WHERE id = :id"), {"id": outcome.event_id})
        await conn.execute(text("DELETE FROM parking_sessions WHERE id = :id"), {"id": outcome.session_id})
        left = await conn.execute(
            text("SELECT (SELECT count(*) FROM lane_event_keys), (SELECT count(*) FROM open_session_keys)")
        )
    assert left.one() == (0, 0)


async def test_the_job_makes_the_months_ahead_once(db: Database) -> None:
    later = _now() + timedelta(days=200)  # past the months made at creation
    async with db.engine.begin() as conn:
        created = await ensure_partitions(conn, later)
    expected = {Month.of(later).plus(k).partition(t) for t in PARTITIONED for k in range(4)}
    assert expected <= set(await _partitions(db))
    assert set(created) <= expected
    assert created
    async with db.engine.begin() as conn:
        assert await ensure_partitions(conn, later) == []


async def _partitions(db: Database) -> list[str]:
    async with db.engine.connect() as conn:
        rows = await conn.scalars(text("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"))
        return list(rows)


# EXPLAIN of the hot queries over five partitions of 1,500 rows each: the legacy one, this month and the three ahead
# (the months that exist in a new database; their ids are written out, as months of traffic would have made them).

SEEDED_MONTHS = 5
PER_MONTH = 1500


async def _seed_months(db: Database, site: Site) -> list[Month]:
    """PER_MONTH closed stays with an event each in each partition; returns the months, newest last."""
    now = _now()
    first = await site.read("in", "皖A66666", now)
    assert first.session_id is not None
    months = [Month.of(now).plus(k) for k in range(-1, SEEDED_MONTHS - 1)]
    async with db.engine.begin() as conn:
        for month in months:
            params = {"base": month.first_id + 1000, "n": PER_MONTH, "stay": first.session_id, "event": first.event_id}
            await conn.execute(
                text(
                    "INSERT INTO parking_sessions SELECT (jsonb_populate_record(NULL::parking_sessions, to_jsonb(s) "
                    "|| jsonb_build_object('id', CAST(:base AS bigint) + g, 'plate', '皖C' || lpad(g::text, 5, '0'), "
                    "'state', 'exited', 'exit_at', s.entry_at))).* "
                    "FROM parking_sessions s, generate_series(1, :n) g WHERE s.id = :stay"
                ),
                params,
            )
            await conn.execute(
                text(
                    "INSERT INTO lane_events SELECT (jsonb_populate_record(NULL::lane_events, to_jsonb(e) "
                    "|| jsonb_build_object('id', CAST(:base AS bigint) + g, 'session_id', CAST(:base AS bigint) + g, "
                    "'dedup_key', 'seed:' || (CAST(:base AS bigint) + g)::text))).* "
                    "FROM lane_events e, generate_series(1, :n) g WHERE e.id = :event"
                ),
                params,
            )
        await conn.execute(text("ANALYZE parking_sessions"))
        await conn.execute(text("ANALYZE lane_events"))
    return months


def _nodes(plan: dict[str, Any]) -> list[dict[str, Any]]:
    found = [plan]
    for child in plan.get("Plans", []):
        found += _nodes(child)
    return found


async def _explain(conn: AsyncConnection, sql: str, *, analyze: bool = False) -> list[dict[str, Any]]:
    options = "ANALYZE, FORMAT JSON" if analyze else "FORMAT JSON"
    result = await conn.scalar(text(f"EXPLAIN ({options}) {sql}"))
    return _nodes(result[0]["Plan"])


def _sql(statement: Any) -> str:
    dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
    return str(statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))


def _seq_scanned(nodes: list[dict[str, Any]], months: list[Month], table: str) -> set[str]:
    """The seeded partitions read whole (an empty partition made ahead is read whole at no cost, and may be)."""
    seeded = {m.partition(table) for m in months} | {f"{table}_legacy"}
    return {n["Relation Name"] for n in nodes if n["Node Type"] == "Seq Scan"} & seeded


def _scanned(nodes: list[dict[str, Any]], *, executed_only: bool = False) -> set[str]:
    return {
        n["Relation Name"]
        for n in nodes
        if "Relation Name" in n and not (executed_only and n.get("Actual Loops", 1) == 0)
    }


async def test_hot_queries_use_indexes_and_prune_months(db: Database) -> None:
    site = await build_site(db)
    months = await _seed_months(db, site)
    now = _now()
    this_month, newest = Month.of(now), months[-1]
    async with db.engine.connect() as conn:
        # A stay by id (payments, the console, the lane's writes): its month's partition only.
        stay_id = this_month.plus(1).first_id + 1042
        nodes = await _explain(conn, _sql(select(ParkingSession).where(ParkingSession.id == stay_id)))
        assert _scanned(nodes) == {this_month.plus(1).partition("parking_sessions")}
        assert not _seq_scanned(nodes, months, "parking_sessions")

        # The plate's stays at a reading (open stay, just left, arrears): an index probe in each month, no scan.
        plate_stays = _PLATE_STAYS.params(
            plate="皖C00042", lot_id=site.lot_id, customer_id=site.ids["customer"], since=now - timedelta(minutes=10)
        )
        nodes = await _explain(conn, _sql(plate_stays))
        assert not _seq_scanned(nodes, months, "parking_sessions"), nodes
        assert {m.partition("parking_sessions") for m in months[1:]} | {"parking_sessions_legacy"} <= _scanned(nodes)

        # An event by its dedup key (a replayed push): the index, no scan.
        key_lookup = select(LaneEvent).where(LaneEvent.dedup_key == "seed:1001")
        nodes = await _explain(conn, _sql(key_lookup))
        assert not _seq_scanned(nodes, months, "lane_events"), nodes

        # The records page, newest first (过车记录 / 停车记录): each month's index in order, cut at the page; the
        # newest month fills it, so the older ones are never read.
        page = select(LaneEvent).where(LaneEvent.lot_id == site.lot_id).order_by(LaneEvent.id.desc()).limit(50)
        nodes = await _explain(conn, _sql(page), analyze=True)
        assert all(n["Node Type"] != "Sort" for n in nodes), nodes
        assert not _seq_scanned(nodes, months, "lane_events"), nodes
        executed = _scanned(nodes, executed_only=True) & {m.partition("lane_events") for m in months}
        assert executed == {newest.partition("lane_events")}
