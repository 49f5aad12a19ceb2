"""What a subscription watches: the lots (and lanes) named, each checked against the caller's scope.

Events carry ids only; each one is loaded through a short session in the subscriber's own scope, so a
subscriber never sees a row of another tenant, whatever was published.
"""

from __future__ import annotations

import asyncio
from collections import Counter, deque
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Iterable
from contextlib import AsyncExitStack
from typing import Any, Generic, TypeVar

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from parking.common.crud import parse_id
from parking.common.errors import DomainError, ErrorCode, NotFound
from parking.common.events import BusUnavailable, Payload
from parking.common.texts import CommonText, text
from parking.tenancy.service import lots_of_lanes, visible_lot_ids, visible_lots_among
from schema.core.context import Context

T = TypeVar("T")

# As for list pages: a subscription names at most this many lots or lanes.
MAX_WATCHED = 100
# Events of one subscription loaded at once (each a short session, so at most this many connections).
MAX_LOADING = 4

Loader = Callable[[AsyncSession, Payload], Awaitable[T | None]]

# Live subscriptions of this process by what they watch (the topics' prefix: lane-events, alarms, devices...):
# read by /metrics (api/metrics.py). A bounded set of names, never a lot or a driver.
ACTIVE: Counter[str] = Counter()


def _kind(topics: list[str]) -> str:
    return topics[0].partition(":")[0] if topics else ""


def _distinct_ids(raw: Iterable[strawberry.ID], field: str) -> list[int]:
    wanted = list(dict.fromkeys(parse_id(value, field) for value in raw))
    if not wanted:
        raise DomainError(ErrorCode.INVALID, f"{field} is empty", field)
    if len(wanted) > MAX_WATCHED:
        raise DomainError(ErrorCode.INVALID, f"{field} names more than {MAX_WATCHED}", field)
    return wanted


async def lots_to_watch(ctx: Context, raw_ids: list[strawberry.ID] | None, field: str = "lotIds") -> list[int]:
    """The lots named, every one visible to the caller; or, with none named, every lot the caller sees."""
    async with ctx.db.session(ctx.scope) as session:
        if raw_ids is None:
            ids = await visible_lot_ids(session, MAX_WATCHED + 1)
            if len(ids) > MAX_WATCHED:
                raise DomainError(ErrorCode.INVALID, f"more than {MAX_WATCHED} lots in scope: name them", field)
            return ids
        wanted = _distinct_ids(raw_ids, field)
        found = await visible_lots_among(session, wanted)
    # A lot of another tenant reads as missing, exactly like one that does not exist.
    if len(found) != len(wanted):
        raise NotFound("Lot", field)
    return wanted


async def lanes_to_watch(ctx: Context, raw_ids: list[strawberry.ID], lot_id: int | None) -> dict[int, int]:
    """Lane id to lot id for the lanes named, all visible to the caller (and in ``lot_id`` when given)."""
    wanted = _distinct_ids(raw_ids, "laneIds")
    async with ctx.db.session(ctx.scope) as session:
        lanes = await lots_of_lanes(session, wanted)
    if len(lanes) != len(wanted):
        raise NotFound("Lane", "laneIds")
    if lot_id is not None and any(lane_lot != lot_id for lane_lot in lanes.values()):
        raise DomainError(ErrorCode.INVALID, "a lane of laneIds is not in lotId", "laneIds")
    return lanes


class EventsUnavailable(DomainError):
    """The bus (Redis) cannot be reached: the subscription is refused, or a live one ends; the client subscribes
    again (and reloads what it may have missed)."""

    def __init__(self) -> None:
        super().__init__(ErrorCode.EVENTS_UNAVAILABLE, text(CommonText.EVENTS_UNAVAILABLE))


Events = AsyncIterator[tuple[str, Payload]]


class Stream(Generic[T]):
    """A subscription's source: the bus listener, registered before the resolver returns, and what it yields.

    A listener that cannot be registered refuses the subscription in the resolver (a graphql-transport-ws
    ``error`` message coded EVENTS_UNAVAILABLE); one whose bus connection drops ends the stream with the same
    code (a ``next`` carrying the error, then ``complete``). Closing the stream closes the listener, even when
    it never started (an async generator that never ran would skip its ``finally``).
    """

    def __init__(self, stack: AsyncExitStack, items: AsyncGenerator[T, None]) -> None:
        self._stack = stack
        self._items = items

    def __aiter__(self) -> Stream[T]:
        return self

    async def __anext__(self) -> T:
        try:
            return await self._items.__anext__()
        except BusUnavailable as err:
            await self.aclose()
            raise EventsUnavailable() from err
        except StopAsyncIteration:
            await self.aclose()
            raise

    async def aclose(self) -> None:
        try:
            await self._items.aclose()
        finally:
            await self._stack.aclose()


async def listening(ctx: Context, topics: list[str], body: Callable[[Events], AsyncGenerator[T, None]]) -> Stream[T]:
    """Register a listener on ``topics`` now, then run ``body`` over its events as the subscription's stream."""
    bus = ctx.db.bus
    if bus is None:
        raise RuntimeError("no event bus: the app's lifespan did not run")
    stack = AsyncExitStack()
    try:
        events = await stack.enter_async_context(bus.listen(topics))
    except BusUnavailable as err:
        raise EventsUnavailable() from err
    kind = _kind(topics)
    ACTIVE[kind] += 1
    # Closed with the listener, however the subscription ends (completed, dropped, the bus gone).
    stack.callback(ACTIVE.subtract, [kind])
    return Stream(stack, body(events))


async def watch(ctx: Context, topics: list[str], load: Loader[T]) -> Stream[T]:
    """Each event on ``topics``, loaded in the caller's scope; events whose row it cannot see are skipped.

    Up to MAX_LOADING events are loaded at once and handed out in the order they arrived: one load after
    another, a busy database's round trips (not its CPU) capped a subscription at a few events a second, and
    the backlog grew without end."""

    async def load_one(payload: Payload) -> T | None:
        # A short session per event: a subscription lasts hours and must not pin a connection.
        async with ctx.db.session(ctx.scope) as session:
            return await load(session, payload)

    async def loaded(events: Events) -> AsyncGenerator[T, None]:
        source = events.__aiter__()
        loading: deque[asyncio.Task[T | None]] = deque()
        arriving: asyncio.Future[tuple[str, Payload]] | None = None
        ended: BaseException | None = None
        try:
            while ended is None or loading:
                if ended is None and arriving is None and len(loading) < MAX_LOADING:
                    arriving = asyncio.ensure_future(source.__anext__())
                waiting: set[asyncio.Future[Any]] = {loading[0]} if loading else set()
                if arriving is not None:
                    waiting.add(arriving)
                await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
                if arriving is not None and arriving.done():
                    try:
                        _topic, payload = arriving.result()
                    except (Exception, StopAsyncIteration) as err:
                        # The bus failed or the stream ended: what was already loading goes out first.
                        ended = err
                    else:
                        loading.append(asyncio.create_task(load_one(payload)))
                    arriving = None
                while loading and loading[0].done():
                    row = loading.popleft().result()
                    if row is not None:
                        yield row
            if ended is not None and not isinstance(ended, StopAsyncIteration):
                raise ended
        finally:
            for task in loading:
                task.cancel()
            if arriving is not None:
                arriving.cancel()

    return await listening(ctx, topics, loaded)


def event_id(payload: Payload) -> int | None:
    raw: Any = payload.get("id")
    return raw if isinstance(raw, int) and raw > 0 else None
