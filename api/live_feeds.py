"""Shared subscription feeds: one strawberry execution per (document, variables, scope), fanned out to each
subscriber as the same serialised payload.

Each subscription used to hold its own bus listener, load every event through its own session and run its own
strawberry execution and JSON encoding: hundreds of consoles watching the same lot did the same work hundreds
of times. A feed does it once (schema/live/sharing.py says which subscriptions may share and under what key)
and hands each member the encoded payload; the member only wraps it in its own ``{"id":..,"type":"next"}``.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, Literal

from strawberry.schema import BaseSchema
from strawberry.types.execution import ExecutionResult, PreExecutionError
from strawberry.utils.aio import aclosing

from schema.core.context import Context
from schema.live.sharing import FeedKey

logger = logging.getLogger(__name__)

# What a member is handed: a result's encoded payload ("next"), the encoded error list that refused the
# subscription ("error", then nothing more), or the end of the stream ("complete").
Kind = Literal["next", "error", "complete"]
Item = tuple[Kind, str]
COMPLETE: Item = ("complete", "")

# A member this far behind (a stalled socket) loses events rather than growing without bound, as LocalBus does.
MAX_BACKLOG = 1000


class Feed:
    """One running subscription and the members that receive its results."""

    def __init__(self, feeds: LiveFeeds, key: FeedKey, context: Context, variables: dict[str, Any] | None) -> None:
        self.key = key
        self.members: set[asyncio.Queue[Item]] = set()
        # Results resolved and encoded: one per event, however many members received it.
        self.resolutions = 0
        self._feeds = feeds
        # The feed outlives the connection that opened it: its own context (no session, no loaders yet) in the
        # same scope and with the same permissions as every member's (the key says so).
        self._context = dataclasses.replace(context, _session=None, _loaders=None, request=None)
        self._variables = variables
        self.task = asyncio.create_task(self._pump(), name=f"live feed {key.operation_name or ''}")

    async def _pump(self) -> None:
        feeds = self._feeds
        try:
            source = await feeds.schema.subscribe(
                self.key.query,
                variable_values=self._variables,
                context_value=self._context,
                operation_name=self.key.operation_name,
            )
            async with aclosing(source):
                first = True
                async for result in source:
                    if first and isinstance(result, PreExecutionError):
                        # Refused (permission, a lot not visible, Redis down): the same for every member.
                        self._finish(("error", feeds.encode([error.formatted for error in result.errors or []])))
                        return
                    first = False
                    self.resolutions += 1
                    self._deliver(("next", feeds.encode(next_payload(result))))
        except Exception:
            logger.exception("live feed failed")
        self._finish(COMPLETE)

    def _deliver(self, item: Item) -> None:
        for queue in self.members:
            if queue.qsize() >= MAX_BACKLOG:
                logger.warning("dropping a live event for a subscriber that stopped reading")
                continue
            queue.put_nowait(item)

    def _finish(self, item: Item) -> None:
        # Forgotten first: a subscriber arriving now starts a new feed instead of joining one that has ended.
        self._feeds.forget(self)
        for queue in self.members:
            queue.put_nowait(item)

    def leave(self, queue: asyncio.Queue[Item]) -> None:
        self.members.discard(queue)
        if not self.members:
            # The last member went: stop listening (closing the stream releases the bus listener).
            self._feeds.forget(self)
            self.task.cancel()


def next_payload(result: ExecutionResult) -> dict[str, Any]:
    """A result as graphql-transport-ws's ``next`` payload, exactly as strawberry's Operation.send_next builds it."""
    payload: dict[str, Any] = {"data": result.data}
    if result.errors:
        payload["errors"] = [error.formatted for error in result.errors]
    if result.extensions:
        payload["extensions"] = result.extensions
    return payload


class LiveFeeds:
    """The feeds of this process, by key."""

    def __init__(self, schema: BaseSchema, encode: Callable[[object], str]) -> None:
        self.schema = schema
        self.encode = encode
        self._feeds: dict[FeedKey, Feed] = {}

    @asynccontextmanager
    async def join(
        self, key: FeedKey, context: Context, variables: dict[str, Any] | None
    ) -> AsyncIterator[asyncio.Queue[Item]]:
        """Membership of the feed for ``key`` (started with this subscriber's context when there is none)."""
        feed = self._feeds.get(key)
        if feed is None:
            feed = self._feeds[key] = Feed(self, key, context, variables)
        queue: asyncio.Queue[Item] = asyncio.Queue()
        feed.members.add(queue)
        try:
            yield queue
        finally:
            feed.leave(queue)

    def forget(self, feed: Feed) -> None:
        if self._feeds.get(feed.key) is feed:
            del self._feeds[feed.key]

    def feeds(self) -> list[Feed]:
        return list(self._feeds.values())

    def member_count(self) -> int:
        return sum(len(feed.members) for feed in self._feeds.values())
