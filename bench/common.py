"""Helpers shared by benchmarks: a scratch database of their own, a bench tenant and latency statistics."""

from __future__ import annotations

import os
import statistics
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.pool import NullPool

from parking.common.database import Database
from parking.models import Base
from parking.tenancy.models import Agent, Customer, Lot

POSTGRES_URL = os.environ.get(
    "PARKCLOUD_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/parkcloud_test"
)


async def scratch_database(name: str) -> tuple[Database, str]:
    """A fresh database for one benchmark: PostgreSQL when it answers (the tests' server), else SQLite."""
    import asyncpg

    base = POSTGRES_URL.rsplit("/", 1)[0]
    url = f"{base}/parkcloud_bench_{name}"
    try:
        conn = await asyncpg.connect(base.replace("postgresql+asyncpg://", "postgresql://") + "/postgres", timeout=3)
    except (OSError, asyncpg.PostgresError):
        path = Path("var") / f"bench_{name}.sqlite3"
        path.parent.mkdir(exist_ok=True)
        path.unlink(missing_ok=True)
        url = f"sqlite+aiosqlite:///{path}"
    else:
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "parkcloud_bench_{name}" WITH (FORCE)')
            await conn.execute(f'CREATE DATABASE "parkcloud_bench_{name}"')
        finally:
            await conn.close()
    db = Database.from_url(url, poolclass=NullPool)
    async with db.engine.begin() as c:
        await c.run_sync(Base.metadata.create_all)
    await db.dispose()
    return Database.from_url(url), url


def percentile(samples: Sequence[float], q: float) -> float:
    if len(samples) < 2:
        return samples[0] if samples else 0.0
    return statistics.quantiles(samples, n=100, method="inclusive")[int(q) - 1]


async def bench_lot(s: AsyncSession, code: str, capacity: int) -> dict[str, int]:
    """An agent, customer and lot named "bench"; returns the tenant columns that every row in the lot carries."""
    agent = Agent(name="bench")
    s.add(agent)
    await s.flush()
    customer = Customer(agent_id=agent.id, name="bench")
    s.add(customer)
    await s.flush()
    lot = Lot(agent_id=agent.id, customer_id=customer.id, name="bench", code=code, capacity=capacity)
    s.add(lot)
    await s.flush()
    return {"agent_id": agent.id, "customer_id": customer.id, "lot_id": lot.id}
