"""Alembic environment: async engines, batch mode on SQLite so column changes work there too.

Two ``parkcloud migrate`` at once (two processes starting together) must not both upgrade: on PostgreSQL the
upgrade's transaction first takes a transaction-level advisory lock, so the second waits until the first commits
and then finds the database at head, with nothing left to do. The lock is released by the commit (or rollback),
also through pgbouncer in transaction mode. SQLite has a single writer: run one ``migrate`` at a time there.
"""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import text
from sqlalchemy.engine import Connection

from config.settings import Settings
from parking.common.database import make_engine
from parking.common.partitions import alembic_filter
from parking.models import Base

config = context.config
target_metadata = Base.metadata
# The advisory lock key of migrations ("parkmig" in ASCII): one fixed number for every process of a deployment.
MIGRATION_LOCK = 0x7061726B6D6967


def _url() -> str:
    return config.attributes.get("database_url") or Settings.from_env().database_url


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=alembic_filter(connection.dialect.name),
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            # Held until this transaction ends, before the current revision is read: a second migrate waits here.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        context.run_migrations()


async def _run_async() -> None:
    engine = make_engine(_url())
    async with engine.connect() as connection:
        await connection.run_sync(_configure)
    await engine.dispose()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
    else:
        asyncio.run(_run_async())


if context.is_offline_mode():
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
