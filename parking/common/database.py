"""Engines and sessions: one async engine per process, sessions that always carry a tenant scope."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry

from parking.common.events import EventBus, discard_after_commit, run_after_commit
from parking.common.localtime import SQLITE_FUNCTION, sqlite_local
from parking.common.scope import Scope, set_scope


def _sqlite_pragmas(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    cursor = dbapi_connection.cursor()
    # Foreign keys are off by default in SQLite; WAL lets the API read while a writer commits.
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # Writers queue on SQLite's one write lock; a burst of lane readings can keep one waiting for seconds.
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
    # Local days and hours per lot time zone for the overview aggregates (parking.common.localtime).
    dbapi_connection.create_function(SQLITE_FUNCTION, 3, sqlite_local, deterministic=True)


def make_engine(url: str, **kwargs: Any) -> AsyncEngine:
    if url.startswith("sqlite"):
        engine = create_async_engine(url, **kwargs)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    if "poolclass" not in kwargs:
        kwargs.setdefault("pool_size", 10)
        kwargs.setdefault("max_overflow", 10)
        # Optimistic disconnect handling instead of a ping before every checkout: the ping is a round trip and
        # about a sixth of a lane decision's CPU. A connection the server dropped fails its first statement,
        # SQLAlchemy then invalidates the pool, and callers that can repeat their work do (``lost_connection``).
        # Recycling keeps connections younger than any idle timeout between here and the server.
        kwargs.setdefault("pool_pre_ping", False)
        kwargs.setdefault("pool_recycle", 1800)
    return create_async_engine(url, **kwargs)


def lost_connection(error: BaseException) -> bool:
    """Whether ``error`` is the server gone from under a pooled connection (restart, failover, idle kill):
    nothing of the transaction was committed before the failing statement, and the pool is already renewed."""
    return isinstance(error, DBAPIError) and error.connection_invalidated


class SerialAsyncSession(AsyncSession):
    """An AsyncSession whose statements run one at a time.

    GraphQL resolves sibling fields and dataloader batches concurrently on one request session, and an
    AsyncSession refuses concurrent operations; a lock around each statement serialises them instead.
    (``scalars`` goes through ``execute``; ``scalar`` and ``get`` do not.)
    """

    _statement_lock: asyncio.Lock | None = None

    def _lock(self) -> asyncio.Lock:
        if self._statement_lock is None:
            self._statement_lock = asyncio.Lock()
        return self._statement_lock

    async def execute(self, *args: Any, **kwargs: Any) -> Any:
        async with self._lock():
            return await super().execute(*args, **kwargs)

    async def scalar(self, *args: Any, **kwargs: Any) -> Any:
        async with self._lock():
            return await super().scalar(*args, **kwargs)

    async def get(self, *args: Any, **kwargs: Any) -> Any:
        async with self._lock():
            return await super().get(*args, **kwargs)


class Database:
    """The engine plus a session factory; ``session(scope)`` is the only way code gets a session."""

    def __init__(self, engine: AsyncEngine, bus: EventBus | None = None) -> None:
        self.engine = engine
        # Where events go after commit (see parking.common.events); the app sets it at start-up.
        self.bus = bus
        # Named collaborators for after-commit actions (e.g. the device command dispatcher), set like ``bus``.
        self.services: dict[str, Any] = {}
        self._factory = async_sessionmaker(engine, class_=SerialAsyncSession, expire_on_commit=False, autoflush=False)

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> Database:
        return cls(make_engine(url, **kwargs))

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def session(self, scope: Scope) -> AsyncSession:
        session = self._factory()
        set_scope(session.sync_session, scope)
        if self.bus is not None:
            session.info["bus"] = self.bus
        session.info["services"] = self.services
        return session

    @asynccontextmanager
    async def transaction(self, scope: Scope) -> AsyncIterator[AsyncSession]:
        """A session in a transaction; actions registered with ``on_commit`` run after it commits."""
        async with self.session(scope) as session:
            try:
                async with session.begin():
                    yield session
            except BaseException:
                discard_after_commit(session)
                raise
            await run_after_commit(session)

    async def dispose(self) -> None:
        await self.engine.dispose()
