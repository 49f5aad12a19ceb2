"""The migration to month partitions on a database with traffic in it: nothing moves, nothing is lost, the unique
rules still hold, and the downgrade gives the plain tables back with every row."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.pool import NullPool

from parking.common.database import Database
from parking.common.partitions import Month
from tests.conftest import POSTGRES_URL, _ensure_postgres_database
from tests.lanes.site import build_site
from tests.test_migrations import _downgrade, _upgrade

pytestmark = [pytest.mark.anyio, pytest.mark.parametrize("backend", ["postgres"], indirect=True)]

URL = POSTGRES_URL + "_partmig"
BEFORE = "0135g"


async def _state(conn: AsyncConnection) -> dict[str, object]:
    async def value(sql: str) -> object:
        return await conn.scalar(text(sql))

    return {
        "stays": await value("SELECT array_agg(id ORDER BY id) FROM parking_sessions"),
        "open": await value("SELECT array_agg(id ORDER BY id) FROM parking_sessions WHERE state = 'in_lot'"),
        "events": await value("SELECT array_agg(dedup_key ORDER BY id) FROM lane_events"),
        "payments": await value("SELECT count(*) FROM gate_commands WHERE session_id IS NOT NULL"),
    }


async def test_partitioning_a_database_with_traffic_keeps_every_row_and_rule(backend: str) -> None:
    await _ensure_postgres_database(URL)
    db = Database.from_url(URL, poolclass=NullPool)
    async with db.engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
        await conn.run_sync(_upgrade, BEFORE)
    try:
        site = await build_site(db)
        now = datetime.now(UTC) - timedelta(hours=3)
        for n in range(6):
            await site.read("in", f"皖A2000{n}", now + timedelta(minutes=n), key=f"before:in:{n}")
        for n in range(3):
            await site.read("out", f"皖A2000{n}", now + timedelta(hours=1, minutes=n), key=f"before:out:{n}")
        async with db.engine.connect() as conn:
            before = await _state(conn)

        async with db.engine.begin() as conn:
            await conn.run_sync(_upgrade, "head")
        async with db.engine.connect() as conn:
            assert await _state(conn) == before
            legacy = await conn.scalar(text("SELECT count(*) FROM parking_sessions_legacy"))
            assert legacy == len(before["stays"])  # type: ignore[arg-type]
            keys = await conn.scalar(text("SELECT count(*) FROM open_session_keys"))
            assert keys == len(before["open"])  # type: ignore[arg-type]
            assert await conn.scalar(text("SELECT count(*) FROM lane_event_keys")) == len(before["events"])  # type: ignore[arg-type]

        # After: a car still inside from before is not let in twice, a replayed old push replays, a new car gets
        # this month's id.
        later = datetime.now(UTC)
        again = await site.read("in", "皖A20004", later, key="after:in:4")
        replay = await site.read("in", "皖A20001", later, key="before:in:1")
        fresh = await site.read("in", "皖A29999", later, key="after:in:new")
        assert replay.duplicate
        assert fresh.session_id is not None
        assert Month.of(later).first_id <= fresh.session_id < Month.of(later).plus(1).first_id
        open_ids = {s.id for s in await site.open_sessions("皖A20004")}
        assert len(open_ids) == 1
        assert again.session_id in open_ids | {None}
        async with db.engine.connect() as conn:
            after = await _state(conn)

        async with db.engine.begin() as conn:
            await conn.run_sync(_downgrade, BEFORE)
        async with db.engine.connect() as conn:
            assert await _state(conn) == after
            kind = await conn.scalar(text("SELECT relkind::text FROM pg_class WHERE relname = 'parking_sessions'"))
            assert kind == "r"
            unique = await conn.scalar(
                text(
                    "SELECT count(*) FROM pg_indexes "
                    "WHERE indexname IN ('uq_open_session_plate', 'uq_lane_events_dedup_key')"
                )
            )
            assert unique == 2
    finally:
        await db.dispose()
