"""Fixtures: the suite runs against SQLite and PostgreSQL; a missing service skips locally and fails in CI."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import httpx
import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from sqlalchemy import text
from sqlalchemy.pool import NullPool

from api.app import create_app
from config.settings import Settings
from parking.common.database import Database
from parking.models import Base

# A real S3 server (moto) for the image store tests, to every folder: tests/s3.py.
pytest_plugins = ["tests.s3"]

IN_CI = os.environ.get("CI", "").lower() == "true"

# No timed assertions: hypothesis' per-example deadline and its too-slow check fail a correct test when the
# machine is busy (two cores shared with other jobs), so both are off for every property test.
hypothesis_settings.register_profile("parkcloud", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("parkcloud")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """``--dist loadfile`` keeps tests/multiprocess on one worker too (tests/scheduling.py)."""
    if config.getvalue("dist") != "loadfile":
        return None
    from tests.scheduling import FileOrFolderScheduling

    return FileOrFolderScheduling(config, log)


def worker_index() -> int | None:
    """This pytest-xdist worker's number (gw0 is 0), None in a serial run."""
    name = os.environ.get("PYTEST_XDIST_WORKER", "")
    return int(name.removeprefix("gw")) if name.startswith("gw") else None


def per_worker_postgres(url: str, worker: int | None) -> str:
    """The database of one xdist worker: the configured name with ``_gw<N>``. Every scratch database a test makes
    is named after this one (``_procs``, ``_miglock``, ``_migrations``), so those are the worker's own too."""
    return url if worker is None else f"{url}_gw{worker}"


def per_worker_redis(url: str, worker: int | None) -> str:
    """The Redis database of one xdist worker: the configured number less the worker's (15, 14, 13 from the
    default 15), so ``-n N`` uses N databases counting down from the configured one. Redis has 16 (0..15)."""
    if worker is None:
        return url
    base, _, number = url.rpartition("/")
    db = int(number or 0) - worker
    if db < 0:
        raise pytest.UsageError(f"PARKCLOUD_TEST_REDIS_URL {url}: no Redis database left for xdist worker gw{worker}")
    return f"{base}/{db}"


POSTGRES_URL = per_worker_postgres(
    os.environ.get("PARKCLOUD_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/parkcloud_test"),
    worker_index(),
)
REDIS_URL = per_worker_redis(os.environ.get("PARKCLOUD_TEST_REDIS_URL", "redis://127.0.0.1:6379/15"), worker_index())
# How long a test waits to connect to the test Redis: one that is down refuses at once, so this only bounds a busy
# machine's connect (2 s once ran out in a full run beside other jobs).
REDIS_CONNECT_TIMEOUT_S = 10


def need_service(name: str, reason: str) -> None:
    """Skip when a service is missing, except in CI where its absence is a failure."""
    message = f"{name} unavailable: {reason}"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


async def _ensure_postgres_database(url: str) -> None:
    import asyncpg

    plain = url.replace("postgresql+asyncpg://", "postgresql://")
    base, _, name = plain.rpartition("/")
    conn = await asyncpg.connect(f"{base}/postgres", timeout=3)
    try:
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


_postgres_state: dict[str, Any] = {}


def _prepare_postgres() -> str | None:
    """Create the scratch database and schema once per run; returns an error text or None."""
    if "error" not in _postgres_state:

        async def go() -> None:
            await _ensure_postgres_database(POSTGRES_URL)
            db = Database.from_url(POSTGRES_URL, poolclass=NullPool)
            async with db.engine.begin() as conn:
                # A scratch database: whatever an older checkout left there (tables this one does not know,
                # with foreign keys into ours) goes too.
                await conn.execute(text("DROP SCHEMA public CASCADE"))
                await conn.execute(text("CREATE SCHEMA public"))
                await conn.run_sync(Base.metadata.create_all)
            await db.dispose()

        try:
            asyncio.run(go())
            _postgres_state["error"] = None
        except (OSError, Exception) as err:
            _postgres_state["error"] = f"{type(err).__name__}: {err}"
    return cast(str | None, _postgres_state["error"])


# Emptying the scratch database between tests. TRUNCATE of every table costs about 0.17 s whatever the tables
# hold (it replaces each table's files); a test leaves a handful of rows, which DELETE removes in about 0.03 s.
# Children before parents, so the foreign keys hold; every sequence restarts, as TRUNCATE RESTART IDENTITY did.
_EMPTY_POSTGRES = (
    "DO $$ DECLARE s record; BEGIN "
    + "".join(f'DELETE FROM "{t.name}"; ' for t in reversed(Base.metadata.sorted_tables))
    + "FOR s IN SELECT schemaname, sequencename FROM pg_sequences WHERE schemaname = 'public' LOOP "
    + "EXECUTE format('ALTER SEQUENCE %I.%I RESTART', s.schemaname, s.sequencename); END LOOP; END $$"
)


@pytest.fixture(scope="session")
def sqlite_schema(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """SQLite's schema, made once a run into a template file that each test copies: create_all of every table
    costs about 0.25 s a test, a file copy a millisecond."""
    path = tmp_path_factory.mktemp("sqlite-template") / "schema.sqlite3"

    async def go() -> None:
        database = Database.from_url(f"sqlite+aiosqlite:///{path}", poolclass=NullPool)
        async with database.engine.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)
        await database.dispose()  # the last connection closing checkpoints the WAL into the file

    asyncio.run(go())
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgres" and (error := _prepare_postgres()):
        need_service("PostgreSQL", error)
    return str(request.param)


@pytest.fixture
async def db(backend: str, tmp_path: Path, sqlite_schema: Path) -> AsyncIterator[Database]:
    if backend == "sqlite":
        path = tmp_path / "test.sqlite3"
        shutil.copyfile(sqlite_schema, path)
        database = Database.from_url(f"sqlite+aiosqlite:///{path}", poolclass=NullPool)
    else:
        database = Database.from_url(POSTGRES_URL, poolclass=NullPool)
        async with database.engine.begin() as conn:
            await conn.execute(text(_EMPTY_POSTGRES))
    yield database
    await database.dispose()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        var_dir=tmp_path,
        database_url="unused://",
        redis_url="",
        secret_key="test-secret-key",
        login_max_failures=5,
        login_lock_s=900,
        web_dist=tmp_path / "no-web",
    )


@pytest.fixture
async def client(db: Database, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, db)
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@dataclass
class GraphQL:
    http: httpx.AsyncClient

    async def __call__(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        api_key: str | None = None,
    ) -> dict[str, Any]:
        headers = {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if api_key:
            headers["X-Api-Key"] = api_key
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


@pytest.fixture
def gql(client: httpx.AsyncClient) -> GraphQL:
    return GraphQL(client)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(autouse=True)
def _no_stray_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests never pick up a developer's PARKCLOUD_* settings by accident.
    for key in list(os.environ):
        if key.startswith("PARKCLOUD_") and not key.startswith("PARKCLOUD_TEST_"):
            monkeypatch.delenv(key, raising=False)
