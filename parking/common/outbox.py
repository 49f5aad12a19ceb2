"""The transactional outbox: events written in the transaction of the change, published by a background relay.

With Redis configured, ``Database.transaction`` writes the transaction's ``Broadcast`` events to the
``event_outbox`` table with one INSERT just before its commit, so the events commit (or roll back) with the
change. After the commit it only wakes the process's relay: nothing on the request path waits for Redis. The
relay publishes pending rows in batches (``SELECT ... FOR UPDATE SKIP LOCKED``, one pipelined round trip to
Redis under a timeout, then marks them published in the same transaction), so:

- a hung or refused Redis costs the relay a bounded wait and a backoff, never a camera reply;
- nothing is lost while Redis is down: the rows wait in PostgreSQL and the next drain after Redis is back
  publishes them; a process killed meanwhile loses nothing either, another process's relay drains its rows;
- each row is published by one relay at a time (the row lock), and marked ``published_at`` in the transaction
  that published it, so it is published once. The one window left is a crash (or a lost connection) between
  Redis accepting the batch and the mark committing: that batch is published again (at least once).

Every API process runs a relay in the background that drains on each wake and every ``poll_s`` (the sweep
that picks up rows a worker or a dead process left). A worker's job runs in a short event loop: its relay
has no background task and drains once, bounded, when the job ends (``publishing(..., background=False)``).
Published rows are purged after ``retention``.

Background jobs sent from a request path (a recognition, a frictionless deduction, a notification, a device
command) go the same way: the after-commit handler writes the job's message as a row whose topic starts with
``job:`` (``queue_job``, one INSERT on the database the request already uses) and the relay hands it to the
job queue (a ``JobSink``: Dramatiq's Redis broker, workers/jobs.py) like an event, so a hung Redis never holds a
camera reply or a callback and a job is not lost while Redis is down. A relay without a sink (a worker's job)
leaves job rows to the API processes' relays.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol, cast

from sqlalchemy import Index, String, Table, delete, func, insert, not_, select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from parking.common.db import Base, BigId, utcnow
from parking.common.events import Broadcast, EventBus

if TYPE_CHECKING:
    from parking.common.database import Database

logger = logging.getLogger(__name__)

# One round trip to Redis per batch, bounded: a hung Redis holds the relay (and its one connection) this long.
PUBLISH_TIMEOUT_S = 2.0
BATCH = 200
# The sweep: how often an idle relay looks for rows nobody woke it for (a worker's, a dead process's).
POLL_S = 2.0
BACKOFF_FIRST_S = 0.25
BACKOFF_MAX_S = 15.0
RETENTION = timedelta(minutes=10)
PURGE_EVERY_S = 60.0
# The topic of a job row: ``job:<queue>``; its payload is the job queue's whole message (ids and plain values).
JOB_PREFIX = "job:"


class OutboxEvent(Base):
    """An event to publish: written with the change it announces, marked once published."""

    __tablename__ = "event_outbox"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    topic: Mapped[str] = mapped_column(String(200))
    payload: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(default=None)

    __table_args__ = (
        # The relay's scan: the pending rows only, in id order.
        Index(
            "ix_event_outbox_pending",
            "id",
            postgresql_where=text("published_at IS NULL"),
            sqlite_where=text("published_at IS NULL"),
        ),
    )


OUTBOX = cast(Table, OutboxEvent.__table__)


async def stage(session: AsyncSession, events: Sequence[Broadcast]) -> None:
    """Write ``events`` to the outbox in the open transaction: one INSERT, whatever their number (none: nothing)."""
    if not events:
        return
    now = utcnow()
    rows = [{"topic": event.topic, "payload": event.payload, "created_at": now} for event in events]
    await session.execute(insert(OUTBOX).values(rows))


class JobSink(Protocol):
    """Where job rows go: the job queue. ``enqueue_many`` sends the messages in order and raises on the first that
    fails; each send must be bounded by the transport itself (socket timeouts), so that a send the relay gave up
    on is not completed later behind its back (it would then go out twice)."""

    async def enqueue_many(self, messages: Sequence[dict[str, Any]]) -> None: ...


@dataclass(frozen=True, slots=True)
class Backlog:
    """The outbox's pending rows: how many, and how long the oldest has waited (0 when none)."""

    pending: int
    oldest_age_s: float


async def backlog(engine: AsyncEngine) -> Backlog:
    """One query on the pending rows' partial index."""
    async with engine.connect() as conn:
        count, oldest = (
            await conn.execute(
                select(func.count(), func.min(OUTBOX.c.created_at)).where(OUTBOX.c.published_at.is_(None))
            )
        ).one()
    if not count or oldest is None:
        return Backlog(0, 0.0)
    if oldest.tzinfo is None:  # SQLite hands naive datetimes back
        oldest = oldest.replace(tzinfo=utcnow().tzinfo)
    return Backlog(int(count), max(0.0, (utcnow() - oldest).total_seconds()))


class OutboxRelay:
    """Publishes the outbox's pending rows on ``bus``; one per process (per event loop)."""

    def __init__(
        self,
        engine: AsyncEngine,
        bus: EventBus,
        *,
        batch: int = BATCH,
        publish_timeout_s: float | None = None,
        poll_s: float | None = None,
        backoff_max_s: float | None = None,
        jobs: JobSink | None = None,
    ) -> None:
        self._engine = engine
        self._bus = bus
        self._jobs = jobs
        self._batch = batch
        # The module's values when not given (read here, so that a test can set them for the app's relay).
        self._timeout = PUBLISH_TIMEOUT_S if publish_timeout_s is None else publish_timeout_s
        self._poll_s = POLL_S if poll_s is None else poll_s
        self._backoff_max_s = BACKOFF_MAX_S if backoff_max_s is None else backoff_max_s
        self._wake = asyncio.Event()
        self._draining = asyncio.Lock()
        self._last_purge = 0.0
        # Consecutive failed drains (0: the last one reached the bus); readiness and the log read it.
        self.failures = 0
        # Rows of the batch waiting on the bus right now.
        self.sending = 0
        # Events published and jobs sent by this relay since it started (read by /metrics).
        self.published = 0
        self.jobs_sent = 0

    @property
    def sends_jobs(self) -> bool:
        return self._jobs is not None

    async def queue_job(self, queue: str, message: dict[str, Any]) -> None:
        """Write one job's message to the outbox (its own short transaction) and wake the relay: the job is
        durable once this returns, and the caller never waits on the job queue."""
        async with self._engine.begin() as conn:
            await conn.execute(insert(OUTBOX).values(topic=JOB_PREFIX + queue, payload=message, created_at=utcnow()))
        self.notify()

    def notify(self) -> None:
        """A transaction committed outbox rows: drain soon. Never blocks, never fails."""
        self._wake.set()

    async def drain(self) -> int:
        """Publish every pending row, batch by batch; how many were published. Raises when the bus fails."""
        total = 0
        # One drain at a time in this process (the row locks keep processes apart; SQLite has none).
        async with self._draining:
            while True:
                count = await self._drain_batch()
                total += count
                if count < self._batch:
                    return total

    async def _drain_batch(self) -> int:
        pending = select(OUTBOX.c.id, OUTBOX.c.topic, OUTBOX.c.payload).where(OUTBOX.c.published_at.is_(None))
        if self._jobs is None:
            pending = pending.where(not_(OUTBOX.c.topic.startswith(JOB_PREFIX, autoescape=True)))
        async with self._engine.begin() as conn:
            rows = (
                await conn.execute(
                    pending.order_by(OUTBOX.c.id)
                    .limit(self._batch)
                    # Another process's relay skips what this one is publishing: no row goes out twice at once.
                    .with_for_update(skip_locked=True)
                )
            ).all()
            if not rows:
                return 0
            events = [(row.topic, row.payload) for row in rows if not row.topic.startswith(JOB_PREFIX)]
            jobs = [row.payload for row in rows if row.topic.startswith(JOB_PREFIX)]
            self.sending = len(rows)
            try:
                if events:
                    async with asyncio.timeout(self._timeout):
                        await self._bus.publish_many(events)
                if jobs and self._jobs is not None:
                    # Bounded by the sink's socket timeouts, not cancelled here: see ``JobSink``.
                    await self._jobs.enqueue_many(jobs)
            finally:
                self.sending = 0
            # Idempotent: a row already marked stays as it was.
            await conn.execute(
                update(OUTBOX)
                .where(OUTBOX.c.id.in_([row.id for row in rows]), OUTBOX.c.published_at.is_(None))
                .values(published_at=utcnow())
            )
        self.published += len(events)
        self.jobs_sent += len(jobs)
        return len(rows)

    async def flush(self, timeout_s: float | None = None) -> bool:
        """One bounded drain that never raises: whether everything pending went out (else it waits for a relay)."""
        try:
            async with asyncio.timeout(timeout_s if timeout_s is not None else self._timeout * 2):
                await self.drain()
        except Exception as err:
            self.failures += 1
            logger.warning("event outbox: drain failed (%s); events kept for a later drain", _kind(err))
            return False
        self.failures = 0
        return True

    async def purge(self, older_than: timedelta = RETENTION) -> int:
        async with self._engine.begin() as conn:
            result = await conn.execute(delete(OUTBOX).where(OUTBOX.c.published_at < utcnow() - older_than))
        return int(getattr(result, "rowcount", 0) or 0)

    def _backoff_s(self) -> float:
        return float(min(self._backoff_max_s, BACKOFF_FIRST_S * 2 ** min(self.failures - 1, 16)))

    async def run(self) -> None:
        """Drain on every wake and every ``poll_s``; after a failure, back off (doubling) before the next try."""
        loop = asyncio.get_running_loop()
        while True:
            if self.failures:
                # Commits meanwhile only set the wake: they neither wait nor make the relay retry sooner.
                await asyncio.sleep(self._backoff_s())
            else:
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self._poll_s):
                        await self._wake.wait()
            self._wake.clear()
            try:
                await self.drain()
            except Exception as err:
                self.failures += 1
                if self.failures == 1 or self.failures % 20 == 0:
                    logger.warning(
                        "event outbox: drain failed (%s: Redis or the database), retrying with backoff (%d failed)",
                        _kind(err),
                        self.failures,
                    )
                continue
            if self.failures:
                logger.info("event outbox: drained again after %d failed drains", self.failures)
            self.failures = 0
            if loop.time() - self._last_purge >= PURGE_EVERY_S:
                self._last_purge = loop.time()
                with contextlib.suppress(Exception):
                    await self.purge()


def _kind(err: BaseException) -> str:
    # The exception's kind only: a Redis error's text names the host and port.
    return type(err).__name__


@asynccontextmanager
async def publishing(
    db: Database, bus: EventBus, *, background: bool = True, jobs: JobSink | None = None
) -> AsyncIterator[OutboxRelay]:
    """``db`` publishes on ``bus`` through the outbox for the duration of the block.

    ``background``: a relay task drains while the block runs (API processes, the worker's poll thread); without,
    one bounded drain when the block ends (a worker's job, whose event loop ends with it). ``jobs``: where this
    relay sends job rows (the API processes); without, it leaves them to a relay that has one."""
    relay = OutboxRelay(db.engine, bus, jobs=jobs)
    previous = db.bus
    db.bus = bus
    db.outbox = relay
    task = asyncio.create_task(relay.run(), name="event-outbox") if background else None
    try:
        yield relay
    finally:
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if db.outbox is relay:
            db.outbox = None
        if db.bus is bus:
            db.bus = previous
        # What this process committed last goes out now if the bus is there; else another relay sends it.
        await relay.flush()
