"""The workers' databases publish their events like the API's: through the outbox and Redis pub/sub.

A job changes data (a device found offline, an alarm raised, a payment settled) and its subscribers hold their
websockets in the API processes: with ``PARKCLOUD_REDIS_URL`` set, a job's transactions write their events to
the outbox and the job drains it once, bounded, when it ends (a job's event loop ends with it, so it runs no
background relay). Whatever that drain could not send (Redis down) stays in the outbox for the API processes'
relays. Without Redis (the embedded mode) nothing changes: events of another process are not seen anyway.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.pool import NullPool

from config.settings import Settings
from parking.common.database import Database
from parking.common.outbox import publishing
from parking.common.pubsub import RedisBus


@asynccontextmanager
async def job_events(db: Database, redis_url: str, *, background: bool = False) -> AsyncIterator[Database]:
    """``db`` publishes through the outbox and Redis (when ``redis_url``) for the block, drained when it ends
    (``background``: and by a relay task meanwhile, for a long-lived loop such as the worker's device poll)."""
    if not redis_url:
        yield db
        return
    # Made in the job's own event loop: a Redis client is bound to the loop that made it.
    bus = RedisBus.from_url(redis_url)
    try:
        async with publishing(db, bus, background=background):
            yield db
    finally:
        await bus.close()


@asynccontextmanager
async def job_database(settings: Settings | None = None) -> AsyncIterator[Database]:
    """A database for one job, publishing its events, disposed at the end."""
    settings = settings or Settings.from_env()
    # NullPool: every message runs in a fresh event loop, and pooled connections belong to the loop that made them.
    db = Database.from_url(settings.database_url, poolclass=NullPool)
    try:
        async with job_events(db, settings.redis_url):
            yield db
    finally:
        await db.dispose()
