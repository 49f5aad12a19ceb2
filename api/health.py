"""Liveness and readiness for a load balancer or an orchestrator.

``/healthz`` answers that the process serves HTTP and touches nothing else, so a database or Redis outage never
gets healthy processes restarted. ``/readyz`` checks the database (``SELECT 1``) and, when configured, Redis
(``PING``), both at once and each bounded by ``ready_timeout_s``, and reports both. It answers 503 when the
database fails (no request can be served: a balancer sends traffic elsewhere meanwhile), and 200 with Redis
reported ``down`` or ``timeout`` when only Redis does.

Why Redis alone does not fail readiness: every API process shares the one Redis, so a Redis outage would take all
of them out of the balancer at once, and the cameras would meet a closed lane although the gate decision needs
only the database (events and jobs wait in the outbox meanwhile; the multi-process fault test saw haproxy answer
503 to every push for the length of a Redis cut). With Redis it also reports the outbox's backlog (pending events
and jobs, the oldest's age: one query on the pending rows' index), and fails readiness past a configured limit
(off by default), for a deployment that would rather stop a process whose live events lag too far behind.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeout
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from parking.common.database import Database
from parking.common.outbox import Backlog, backlog

logger = logging.getLogger(__name__)

OK = "ok"
TIMEOUT = "timeout"
DOWN = "down"
OFF = "off"  # not configured


async def check_database(db: Database, timeout_s: float) -> str:
    """``ok``, ``timeout`` or ``down``: whether the database answers a ``SELECT 1`` within the timeout."""
    try:
        async with asyncio.timeout(timeout_s), db.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except TimeoutError:
        logger.warning("readiness: the database did not answer within %s s", timeout_s)
        return TIMEOUT
    except (OSError, SQLAlchemyError) as err:
        logger.warning("readiness: the database is down: %s", type(err).__name__)
        return DOWN
    return OK


async def check_redis(url: str, timeout_s: float) -> str:
    """``ok``, ``timeout`` or ``down``: whether Redis answers a ``PING`` within the timeout (a fresh connection)."""
    # One try: redis-py's default retries would only make a probe that already failed answer later.
    client = Redis.from_url(
        url, socket_connect_timeout=timeout_s, socket_timeout=timeout_s, retry=Retry(NoBackoff(), 0)
    )
    try:
        async with asyncio.timeout(timeout_s):
            await client.ping()
    except (TimeoutError, RedisTimeout):
        logger.warning("readiness: Redis did not answer within %s s", timeout_s)
        return TIMEOUT
    except (OSError, RedisError) as err:
        logger.warning("readiness: Redis is down: %s", type(err).__name__)
        return DOWN
    finally:
        await client.aclose()
    return OK


async def check_outbox(db: Database, timeout_s: float) -> Backlog | None:
    """The outbox's backlog, or None when the database did not say within the timeout (reported by its check)."""
    try:
        async with asyncio.timeout(timeout_s):
            return await backlog(db.engine)
    except (TimeoutError, OSError, SQLAlchemyError):
        return None


@dataclass(frozen=True)
class BacklogLimits:
    """Past either, the process is not ready; 0 turns a limit off."""

    max_pending: int = 0
    max_age_s: float = 0.0

    def exceeded(self, found: Backlog) -> bool:
        return (0 < self.max_pending < found.pending) or (0 < self.max_age_s < found.oldest_age_s)


def outbox_report(found: Backlog | None, limits: BacklogLimits) -> tuple[dict[str, object], bool]:
    """The readiness answer's ``outbox`` entry, and whether it allows readiness."""
    if found is None:
        return {"status": "unknown"}, True  # the database check says why
    over = limits.exceeded(found)
    report: dict[str, object] = {
        "status": "over_limit" if over else OK,
        "pending": found.pending,
        "oldest_age_s": round(found.oldest_age_s, 3),
    }
    return report, not over


class Health:
    def __init__(self, db: Database, redis_url: str, timeout_s: float, limits: BacklogLimits | None = None) -> None:
        self.db = db
        self.redis_url = redis_url
        self.timeout_s = timeout_s
        self.limits = limits or BacklogLimits()

    def routes(self) -> list[Route]:
        return [Route("/healthz", self.live, methods=["GET"]), Route("/readyz", self.ready, methods=["GET"])]

    async def live(self, _: Request) -> Response:
        return JSONResponse({"status": OK})

    async def ready(self, _: Request) -> Response:
        body: dict[str, object]
        if self.redis_url:
            database, redis, found = await asyncio.gather(
                check_database(self.db, self.timeout_s),
                check_redis(self.redis_url, self.timeout_s),
                check_outbox(self.db, self.timeout_s),
            )
            outbox, outbox_ready = outbox_report(found, self.limits)
            body = {"database": database, "redis": redis, "outbox": outbox}
        else:
            # Without Redis this process is self-contained (in-process broker and pub/sub, no outbox).
            database, redis, outbox_ready = await check_database(self.db, self.timeout_s), OFF, True
            body = {"database": database, "redis": redis}
        ready = database == OK and outbox_ready  # Redis is reported, not required: see the module
        return JSONResponse(
            body,
            status_code=200 if ready else 503,
            headers={"Cache-Control": "no-store"},
        )
