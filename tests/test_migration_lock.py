"""Two ``parkcloud migrate`` at once (two processes starting together) on PostgreSQL: neither crashes, the second
waits for the first's advisory lock and then finds nothing to do, and the database is at head once."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory

from tests.conftest import POSTGRES_URL, need_service

ROOT = Path(__file__).resolve().parent.parent
# migrations/env.py's key, spelt again so a changed key fails here rather than silently locking nothing.
MIGRATION_LOCK = 0x7061726B6D6967

pytestmark = pytest.mark.postgres


def _dsn(name: str) -> str:
    base = POSTGRES_URL.replace("postgresql+asyncpg://", "postgresql://").rpartition("/")[0]
    return f"{base}/{name}"


@pytest.fixture
async def scratch() -> AsyncIterator[str]:
    """A fresh, empty PostgreSQL database of its own (not the suite's), dropped afterwards; yields its name."""
    name = POSTGRES_URL.rpartition("/")[2] + "_miglock"
    try:
        admin = await asyncpg.connect(_dsn("postgres"), timeout=3)
    except (OSError, asyncpg.PostgresError) as err:
        need_service("PostgreSQL", f"{type(err).__name__}: {err}")
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield name
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def _waiting_for_lock(conn: asyncpg.Connection, count: int, procs: list[asyncio.subprocess.Process]) -> bool:
    """Whether ``count`` other sessions wait for the migration lock (polled: each process must start first)."""
    for _ in range(600):
        if any(proc.returncode is not None for proc in procs):
            return False
        waiting = await conn.fetchval(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
            "AND ((classid::bigint << 32) | objid::bigint) = $1 "
            # this database's waiters only: another run's (or xdist worker's) migration waits in its own
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            MIGRATION_LOCK,
        )
        if waiting == count:
            return True
        await asyncio.sleep(0.1)
    return False


async def test_two_migrations_at_once_both_succeed_and_migrate_once(scratch: str, tmp_path: Path) -> None:
    url = POSTGRES_URL.rpartition("/")[0] + f"/{scratch}"
    env = {**os.environ, "PARKCLOUD_DATABASE_URL": url, "PARKCLOUD_VAR_DIR": str(tmp_path)}
    holder = await asyncpg.connect(_dsn(scratch), timeout=3)
    try:
        # Given the migration lock held elsewhere, so both processes are surely inside `migrate` together
        holding = holder.transaction()
        await holding.start()
        await holder.execute("SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK)
        # When two `parkcloud migrate` start against the fresh database
        procs = [
            await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "api.cli",
                "migrate",
                cwd=ROOT,
                env=env,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
            )
            for _ in range(2)
        ]
        try:
            # Then both wait for the lock rather than racing to create the same tables
            assert await _waiting_for_lock(holder, 2, procs)
        finally:
            await holding.rollback()
        outputs = [await proc.communicate() for proc in procs]
        # And once it is free, both exit 0: one upgrades, the other finds the database at head
        assert [proc.returncode for proc in procs] == [0, 0], [err.decode()[-2000:] for _, err in outputs]
        head = ScriptDirectory.from_config(Config(str(ROOT / "alembic.ini"))).get_current_head()
        assert [r["version_num"] for r in await holder.fetch("SELECT version_num FROM alembic_version")] == [head]
        # And the schema is there, made once
        assert await holder.fetchval("SELECT to_regclass('public.lots') IS NOT NULL")
    finally:
        await holder.close()
