"""``/healthz`` is liveness (the process answers, whatever its dependencies); ``/readyz`` is readiness: the database
and Redis, each bounded by ``ready_timeout_s``; 503 when the database fails, Redis reported but not required. A
Redis that is down is a closed port; a hung one, a server that accepts connections and never answers."""

from __future__ import annotations

import asyncio
import dataclasses
import socket
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import insert
from sqlalchemy.pool import NullPool

from api.app import create_app
from api.health import check_redis
from config.settings import Settings
from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.outbox import JOB_PREFIX, OUTBOX
from tests.conftest import REDIS_URL, need_service


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then closed)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
async def redis_url() -> str:
    """The test Redis (skipped locally when it is down, a failure in CI)."""
    if (answer := await check_redis(REDIS_URL, 2)) != "ok":
        need_service("Redis", answer)
    return REDIS_URL


@pytest.fixture
async def hung_port() -> AsyncIterator[int]:
    """A server that accepts every connection and never writes a byte: a hung Redis (or anything)."""
    held: list[asyncio.StreamWriter] = []

    async def accept(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(accept, "127.0.0.1", 0)
    try:
        yield int(server.sockets[0].getsockname()[1])
    finally:
        for writer in held:
            writer.close()
        server.close()
        await server.wait_closed()


# Healthy services get as long as a busy machine may need to answer (a 0.3 s bound once failed a full run at
# load 10); the hung ones are given up at HUNG_TIMEOUT_S whatever the bound, so theirs stays short.
HEALTHY_TIMEOUT_S = 10.0
HUNG_TIMEOUT_S = 3.0


async def probe(
    db: Database, settings: Settings, path: str = "/readyz", timeout_s: float = HEALTHY_TIMEOUT_S
) -> httpx.Response:
    app = create_app(dataclasses.replace(settings, ready_timeout_s=timeout_s), db)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as http:
        return await http.get(path)


async def test_ready_without_redis_checks_the_database_only(db: Database, settings: Settings) -> None:
    answer = await probe(db, settings)
    assert (answer.status_code, answer.json()) == (200, {"database": "ok", "redis": "off"})
    assert answer.headers["cache-control"] == "no-store"


@pytest.mark.redis
async def test_ready_with_redis_answering(db: Database, settings: Settings, redis_url: str) -> None:
    answer = await probe(db, dataclasses.replace(settings, redis_url=redis_url))
    empty = {"status": "ok", "pending": 0, "oldest_age_s": 0.0}
    assert (answer.status_code, answer.json()) == (200, {"database": "ok", "redis": "ok", "outbox": empty})


async def test_redis_down_is_reported_and_the_process_stays_ready_and_alive(db: Database, settings: Settings) -> None:
    down = dataclasses.replace(settings, redis_url=f"redis://127.0.0.1:{closed_port()}/0")
    answer = await probe(db, down)
    # Every process shares the one Redis: failing readiness on it would take them all out of the balancer while
    # the lanes, which need only the database, could still be answered.
    assert answer.status_code == 200
    assert {key: answer.json()[key] for key in ("database", "redis")} == {"database": "ok", "redis": "down"}
    # Liveness does not depend on Redis: restarting the process would not bring Redis back.
    alive = await probe(db, down, "/healthz")
    assert (alive.status_code, alive.json()) == (200, {"status": "ok"})


async def test_a_hung_redis_is_reported_within_the_timeout(db: Database, settings: Settings, hung_port: int) -> None:
    hung = dataclasses.replace(settings, redis_url=f"redis://127.0.0.1:{hung_port}/0")
    answer = await probe(db, hung, timeout_s=HUNG_TIMEOUT_S)
    assert answer.status_code == 200
    assert {key: answer.json()[key] for key in ("database", "redis")} == {"database": "ok", "redis": "timeout"}


async def test_a_database_down_is_not_ready(settings: Settings) -> None:
    db = Database.from_url(f"postgresql+asyncpg://postgres@127.0.0.1:{closed_port()}/none", poolclass=NullPool)
    try:
        answer = await probe(db, settings)
    finally:
        await db.dispose()
    assert (answer.status_code, answer.json()) == (503, {"database": "down", "redis": "off"})


async def test_a_hung_database_answers_503_within_the_timeout(settings: Settings, hung_port: int) -> None:
    db = Database.from_url(f"postgresql+asyncpg://postgres@127.0.0.1:{hung_port}/none", poolclass=NullPool)
    try:
        answer = await probe(db, settings, timeout_s=HUNG_TIMEOUT_S)
    finally:
        await db.dispose()
    assert (answer.status_code, answer.json()) == (503, {"database": "timeout", "redis": "off"})


async def _pending(db: Database, count: int, age: timedelta) -> None:
    """``count`` unpublished outbox rows (events and a job), written ``age`` ago: what a Redis outage leaves."""
    rows = [{"topic": "alarms:1", "payload": {"id": n}, "created_at": utcnow() - age} for n in range(count - 1)]
    rows.append({"topic": JOB_PREFIX + "devices", "payload": {"args": [1]}, "created_at": utcnow() - age})
    async with db.engine.begin() as conn:
        await conn.execute(insert(OUTBOX).values(rows))


@pytest.mark.redis
async def test_an_outbox_backlog_is_reported_and_ready_within_the_limits(
    db: Database, settings: Settings, redis_url: str
) -> None:
    await _pending(db, 3, timedelta(minutes=5))
    # No limit by default: a backlog is what a Redis outage leaves, and the lanes are still answered.
    answer = await probe(db, dataclasses.replace(settings, redis_url=redis_url))
    assert answer.status_code == 200
    outbox = answer.json()["outbox"]
    assert (outbox["status"], outbox["pending"]) == ("ok", 3)
    assert outbox["oldest_age_s"] >= 300
    within = dataclasses.replace(settings, redis_url=redis_url, ready_outbox_max_pending=3, ready_outbox_max_age_s=3600)
    assert (await probe(db, within)).status_code == 200


@pytest.mark.redis
@pytest.mark.parametrize(("max_pending", "max_age_s"), [(2, 0.0), (0, 60.0)])
async def test_an_outbox_backlog_past_a_limit_is_not_ready(
    db: Database, settings: Settings, redis_url: str, max_pending: int, max_age_s: float
) -> None:
    await _pending(db, 3, timedelta(minutes=5))
    limited = dataclasses.replace(
        settings, redis_url=redis_url, ready_outbox_max_pending=max_pending, ready_outbox_max_age_s=max_age_s
    )
    answer = await probe(db, limited)
    assert answer.status_code == 503
    body = answer.json()
    assert (body["database"], body["redis"], body["outbox"]["status"], body["outbox"]["pending"]) == (
        "ok",
        "ok",
        "over_limit",
        3,
    )
