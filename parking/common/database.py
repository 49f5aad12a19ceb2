"""Engines and sessions: one async engine per process, sessions that always carry a tenant scope."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry

from parking.common.domain_events import Handlers, attach_handlers, deliver, discard, pending
from parking.common.events import Broadcast, EventBus
from parking.common.localtime import SQLITE_FUNCTION, sqlite_local
from parking.common.outbox import OutboxRelay, stage
from parking.common.scope import Scope, set_scope
from parking.common.services import Services, attach_services


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


# ``?pooler=transaction`` on a PostgreSQL URL: the address is a pooler that hands each transaction whichever
# server connection is free (pgbouncer's pool_mode=transaction, before pgbouncer 1.21's prepared statement support).
POOLER_PARAM = "pooler"
TRANSACTION_POOLER = "transaction"


class PoolerError(ValueError):
    """A ``pooler`` value this code does not know: refused rather than run as if there were none."""


def split_pooler(url: str | URL) -> tuple[URL, str | None]:
    """The URL without its ``pooler`` query parameter (no driver knows it), and the parameter's value."""
    parsed = make_url(url)
    pooler = parsed.query.get(POOLER_PARAM)
    if pooler is None:
        return parsed, None
    if pooler != TRANSACTION_POOLER:
        raise PoolerError(f"unknown {POOLER_PARAM}={pooler!r} in the database URL: only {TRANSACTION_POOLER!r}")
    return parsed.difference_update_query([POOLER_PARAM]), pooler


def _unnamed() -> str:
    return ""  # PostgreSQL's unnamed statement: the next Parse on the server connection replaces it


def _transaction_pooler_connect_args() -> dict[str, Any]:
    """asyncpg's arguments for a server connection that changes between transactions.

    asyncpg names its prepared statements per client connection (``__asyncpg_stmt_1__``...) and keeps them for
    reuse; behind a transaction pooler the next transaction may run on a server connection where that name is
    another client's statement, or none. So no statement cache, in asyncpg nor in SQLAlchemy's dialect, and the
    statements SQLAlchemy prepares are unnamed: SQLAlchemy prepares and runs each one inside a transaction (on
    one server connection), and the next one replaces it. SQLAlchemy's dialect documents unique names (uuid)
    instead; those leak: asyncpg closes a statement when it prepares the next one, so each transaction's last
    statement stays on its server connection (47 of them on one of two after 240 transactions, measured through
    pgbouncer 1.18), unless pgbouncer runs DISCARD ALL after every transaction.
    """
    return {"statement_cache_size": 0, "prepared_statement_cache_size": 0, "prepared_statement_name_func": _unnamed}


def make_engine(url: str, **kwargs: Any) -> AsyncEngine:
    if url.startswith("sqlite"):
        engine = create_async_engine(url, **kwargs)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    target, pooler = split_pooler(url)
    if pooler == TRANSACTION_POOLER:
        kwargs["connect_args"] = {**_transaction_pooler_connect_args(), **kwargs.get("connect_args", {})}
    if "poolclass" not in kwargs:
        kwargs.setdefault("pool_size", 10)
        kwargs.setdefault("max_overflow", 10)
        # Optimistic disconnect handling instead of a ping before every checkout: the ping is a round trip and
        # about a sixth of a lane decision's CPU. A connection the server dropped fails its first statement,
        # SQLAlchemy then invalidates the pool, and callers that can repeat their work do (``lost_connection``).
        # Recycling keeps connections younger than any idle timeout between here and the server.
        kwargs.setdefault("pool_pre_ping", False)
        kwargs.setdefault("pool_recycle", 1800)
    return create_async_engine(target, **kwargs)


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


# A publish straight to a bus (no outbox relay) never holds a transaction's caller longer than this.
DIRECT_PUBLISH_TIMEOUT_S = 1.0


class Database:
    """The engine plus a session factory; ``session(scope)`` is the only way code gets a session."""

    def __init__(self, engine: AsyncEngine, bus: EventBus | None = None) -> None:
        self.engine = engine
        # Where ``Broadcast`` events go after commit (see parking.common.events); the app sets it at start-up.
        self.bus = bus
        # With a relay (Redis configured: parking.common.outbox.publishing) a transaction writes its Broadcast
        # events to the outbox table and the relay publishes them in the background; without one they go to
        # ``bus`` right after the commit (the in-process LocalBus: a queue put, nothing to wait for).
        self.outbox: OutboxRelay | None = None
        # Events this database published straight to its bus, without a relay (read by /metrics).
        self.published = 0
        # Collaborators under typed keys (e.g. the device command dispatcher), set by the composition root.
        self.services = Services()
        # Who reacts to which committed domain event (parking.common.domain_events), registered the same way.
        self.handlers = Handlers()
        self.handlers.on(Broadcast, self._broadcast)
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
        attach_services(session, self.services)
        attach_handlers(session, self.handlers)
        return session

    async def _broadcast(self, event: Broadcast, _services: Services) -> None:
        if self.outbox is not None:
            self.outbox.notify()  # the event is in the outbox, committed: the relay sends it, nobody waits here
        elif self.bus is not None:
            # No relay: the in-process bus (a queue put), or a Redis bus a test or bench set by hand, bounded.
            async with asyncio.timeout(DIRECT_PUBLISH_TIMEOUT_S):
                await self.bus.publish(event.topic, event.payload)
            self.published += 1

    @asynccontextmanager
    async def transaction(self, scope: Scope) -> AsyncIterator[AsyncSession]:
        """A session in a transaction; the domain events it emits are delivered after it commits."""
        async with self.session(scope) as session:
            try:
                async with session.begin():
                    yield session
                    if self.outbox is not None:
                        # Committed with the change or not at all: one INSERT, only if something was broadcast.
                        await stage(session, pending(session, Broadcast))
            except BaseException:
                discard(session)
                raise
            await deliver(session)

    async def dispose(self) -> None:
        await self.engine.dispose()
