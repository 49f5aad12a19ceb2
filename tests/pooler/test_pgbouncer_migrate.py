"""``parkcloud migrate`` through pgbouncer in transaction mode: its advisory lock is transaction-level and the
whole upgrade one transaction, so two started at once through the pooler both succeed and migrate once."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import asyncpg
import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory

from tests.pooler.bouncer import Bouncer
from tests.test_migration_lock import ROOT, _dsn, scratch  # noqa: F401 (scratch: a fixture)

pytestmark = pytest.mark.postgres


async def test_two_migrations_at_once_through_pgbouncer_both_succeed_and_migrate_once(
    pgbouncer: Bouncer,
    scratch: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    url = f"{pgbouncer.plain_url.rpartition('/')[0]}/{scratch}?pooler=transaction"
    env = {**os.environ, "PARKCLOUD_DATABASE_URL": url, "PARKCLOUD_VAR_DIR": str(tmp_path)}
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-m", "api.cli", "migrate", cwd=ROOT, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )
        for _ in range(2)
    ]  # fmt: skip
    outputs = [await proc.communicate() for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], [err.decode()[-2000:] for _, err in outputs]
    head = ScriptDirectory.from_config(Config(str(ROOT / "alembic.ini"))).get_current_head()
    conn = await asyncpg.connect(_dsn(scratch), timeout=10)
    try:
        assert [r["version_num"] for r in await conn.fetch("SELECT version_num FROM alembic_version")] == [head]
        assert await conn.fetchval("SELECT to_regclass('public.lots') IS NOT NULL")
    finally:
        await conn.close()
