"""Jobs sent from a request path go through the transactional outbox, never straight to Redis.

A camera's reply, a payment callback or a GraphQL mutation commits, then its after-commit handlers queue jobs
(recognition, a frictionless deduction, a notification, a device command). Sent straight to Redis, a hung Redis
held the handler, and the camera's reply, for as long as the socket waited (forever without a timeout), and a
Redis that was down lost the job. Here the handler writes the job's message to the outbox table (one INSERT,
parking/common/outbox.py) and returns; the process's relay sends it to Dramatiq's Redis queue in the background,
with backoff while Redis is away, and marks it sent in the transaction that sent it. So the request waits on
PostgreSQL only, nothing is lost while Redis is down, and a message goes out once (at least once in the one
window where Redis took it and the process died before the mark committed: the actors are idempotent).

Why the outbox rather than socket timeouts and a retry around ``send``: a timeout still costs the request its
length on every send while Redis hangs, and a retry held in memory dies with the process; the outbox already
gives events exactly these guarantees, so jobs share its relay, its backlog metric and its readiness check.

Without a relay that sends jobs (the embedded mode runs no Dramatiq; a script, a worker's own sends) the message
goes straight to the broker, whose client is bounded by socket timeouts (workers/broker.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from redis import Redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from parking.common.database import Database

# The relay's sends: each bounded by these, one try (the relay retries the whole batch with backoff, and a
# send redis-py retried in a thread the relay gave up on could land after the relay sent it again).
SEND_CONNECT_TIMEOUT_S = 1.0
SEND_SOCKET_TIMEOUT_S = 1.0


async def send_after_commit(db: Database, actor: dramatiq.Actor[..., Any], *args: Any) -> None:
    """Queue ``actor(*args)`` from an after-commit handler: through the outbox when this process's relay sends
    jobs, else straight to the broker (in a thread: its client blocks)."""
    message = actor.message(*args)
    relay = db.outbox
    if relay is not None and relay.sends_jobs:
        await relay.queue_job(message.queue_name, message.asdict())
        return
    await asyncio.to_thread(actor.broker.enqueue, message)


class DramatiqJobs:
    """The relay's ``JobSink``: writes outbox job rows to Dramatiq's Redis queues, as ``actor.send`` would."""

    def __init__(self, redis_url: str) -> None:
        client = Redis.from_url(
            redis_url,
            socket_connect_timeout=SEND_CONNECT_TIMEOUT_S,
            socket_timeout=SEND_SOCKET_TIMEOUT_S,
            retry=Retry(NoBackoff(), 0),
        )
        # No middleware: nothing of it acts on a send, and the consuming worker's broker applies its own.
        self._broker = RedisBroker(client=client, middleware=[])  # type: ignore[no-untyped-call]

    async def enqueue_many(self, messages: Sequence[dict[str, Any]]) -> None:
        await asyncio.to_thread(self._enqueue_all, list(messages))

    def _enqueue_all(self, messages: list[dict[str, Any]]) -> None:
        for fields in messages:
            self._broker.enqueue(dramatiq.Message(**fields))

    def close(self) -> None:
        self._broker.close()
