"""A database that drops the pool's connections (restart, failover) costs a camera no decision.

The engine does not ping before each checkout (a round trip on the hot path); the lane flow instead repeats a
reading whose connection was lost, on a fresh one. PostgreSQL only: SQLite has no server to lose.
"""

from __future__ import annotations

import asyncpg
import pytest
from sqlalchemy import select, text

from parking.common.database import Database
from parking.common.scope import Scope
from parking.sessions.models import LaneEvent
from tests.conftest import POSTGRES_URL
from tests.lanes.site import T0, build_site

pytestmark = pytest.mark.anyio


async def _drop_other_connections() -> int:
    """What a server restart does to the pool: every other backend on the test database is terminated."""
    conn = await asyncpg.connect(POSTGRES_URL.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        return int(
            await conn.fetchval(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    finally:
        await conn.close()


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
async def test_a_reading_on_a_dropped_connection_is_decided_once_on_a_new_one(db: Database) -> None:
    await db.dispose()  # the fixture emptied the tables; the test's own engine is pooled
    pooled = Database.from_url(POSTGRES_URL)  # the API's engine: a pool, no pre-ping
    try:
        site = await build_site(pooled, capacity=10)
        first = await site.read("in", "京A12345", T0)
        async with pooled.session(Scope.internal()) as s:  # the pool now holds connections the server will drop
            await s.execute(text("SELECT 1"))
        assert await _drop_other_connections() >= 1

        second = await site.read("in", "京B54321", T0, key="after-restart")

        assert first.decision.opens
        assert second.decision.opens
        assert second.session_id is not None
        assert second.session_id != first.session_id
        async with pooled.session(Scope.internal()) as s:
            keys = (await s.scalars(select(LaneEvent.dedup_key).where(LaneEvent.lot_id == site.lot_id))).all()
        assert len(keys) == 2
        assert keys.count("after-restart") == 1
        assert await site.occupied() == (2, 2)
    finally:
        await pooled.dispose()
