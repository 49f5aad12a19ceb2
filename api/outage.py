"""A database that is away answers 503 with Retry-After, not a 500 with a stack.

PostgreSQL restarting, a failover, connections terminated by an operator, ``max_connections`` reached: the
request could not reach the data, nothing was decided, and a camera, a payment provider or a client should send
it again. A 500 says the server is broken; a 503 with ``Retry-After`` says "again in a moment", which is what
cameras (they keep the reading and resend it), payment providers (they repeat the notification) and load
balancers act on. Errors of the request itself (a constraint, bad SQL) are not outages and stay what they are.
"""

from __future__ import annotations

import logging

from asyncpg.exceptions import (
    InsufficientResourcesError,
    OperatorInterventionError,
    PostgresConnectionError,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.types import ASGIApp, Receive, Scope, Send

from api.limits import TrackedSend, answer_error

logger = logging.getLogger(__name__)

RETRY_AFTER_S = 1
# SQLSTATE classes 08 (connection), 53 (insufficient resources: too many connections) and 57 (operator
# intervention: admin shutdown, cannot connect now, a backend terminated); the pool's own wait for a connection.
_OUTAGES = (PostgresConnectionError, InsufficientResourcesError, OperatorInterventionError, PoolTimeout)
_DRIVERS = ("asyncpg", "sqlalchemy", "aiosqlite")


def _raised_by_driver(err: BaseException) -> bool:
    """A refused or reset socket counts only when the database driver met it (not an HTTP call to a provider)."""
    tb = err.__traceback__
    while tb is not None:
        if str(tb.tb_frame.f_globals.get("__name__", "")).startswith(_DRIVERS):
            return True
        tb = tb.tb_next
    return False


def is_database_outage(err: BaseException) -> bool:
    """Whether ``err`` (or what caused it) says the database could not be reached or used, not that the request
    was wrong."""
    seen: set[int] = set()
    current: BaseException | None = err
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, _OUTAGES):
            return True
        if isinstance(current, ConnectionError) and _raised_by_driver(current):
            return True
        if isinstance(current, DBAPIError) and current.connection_invalidated:
            return True
        orig = getattr(current, "orig", None)
        current = orig if isinstance(orig, BaseException) else current.__cause__
    return False


class DatabaseOutage:
    """Answer 503 + Retry-After for an HTTP request that failed because the database is away (see the module)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        tracked = TrackedSend(send)
        try:
            await self.app(scope, receive, tracked)
        except Exception as err:
            if tracked.started or not is_database_outage(err):
                raise
            logger.warning("%s %s: the database is unavailable (%s)", scope["method"], scope["path"], _name(err))
            await answer_error(
                send, 503, "DATABASE_UNAVAILABLE", "the database is unavailable, try again", retry_after_s=RETRY_AFTER_S
            )


def _name(err: BaseException) -> str:
    cause = err.__cause__
    return f"{type(err).__name__} <- {type(cause).__name__}" if cause is not None else type(err).__name__
