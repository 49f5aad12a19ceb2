"""Migrations upgrade and downgrade on both databases, and the models have no unmigrated changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.pool import NullPool

from parking.common.database import Database
from parking.common.partitions import alembic_filter, is_partition
from parking.models import Base
from tests.conftest import POSTGRES_URL, _ensure_postgres_database

ROOT = Path(__file__).resolve().parent.parent


def _config(connection: Connection) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.attributes["connection"] = connection
    return config


def _upgrade(connection: Connection, revision: str) -> None:
    command.upgrade(_config(connection), revision)


def _downgrade(connection: Connection, revision: str) -> None:
    command.downgrade(_config(connection), revision)


def _diff(connection: Connection) -> list[object]:
    opts = {"compare_type": True, "include_object": alembic_filter(connection.dialect.name)}
    return list(compare_metadata(MigrationContext.configure(connection, opts=opts), Base.metadata))


def _tables(connection: Connection) -> set[str]:
    return {t for t in inspect(connection).get_table_names() if not is_partition(t)} - {"alembic_version"}


# Named after the suite's database, so runs (and xdist workers) with databases of their own do not share it.
MIGRATIONS_URL = POSTGRES_URL + "_migrations"


@pytest.fixture
async def empty_db(backend: str, tmp_path: Path) -> Database:
    if backend == "sqlite":
        return Database.from_url(f"sqlite+aiosqlite:///{tmp_path / 'm.sqlite3'}", poolclass=NullPool)
    # A database of its own: the suite's scratch database keeps its tables for the other tests.
    await _ensure_postgres_database(MIGRATIONS_URL)
    database = Database.from_url(MIGRATIONS_URL, poolclass=NullPool)
    async with database.engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    return database


async def test_upgrade_creates_every_table_and_matches_the_models(empty_db: Database) -> None:
    async with empty_db.engine.begin() as conn:
        await conn.run_sync(_upgrade, "head")
        tables = await conn.run_sync(_tables)
        diff = await conn.run_sync(_diff)
    await empty_db.dispose()
    assert tables == set(Base.metadata.tables)
    assert diff == []


async def test_downgrade_to_base_removes_every_table(empty_db: Database) -> None:
    async with empty_db.engine.begin() as conn:
        await conn.run_sync(_upgrade, "head")
        await conn.run_sync(_downgrade, "base")
        tables = await conn.run_sync(_tables)
    await empty_db.dispose()
    assert tables == set()
