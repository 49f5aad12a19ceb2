"""What a subscription watches: the lots (and lanes) named, each checked against the caller's scope.

Events carry ids only; each one is loaded through a short session in the subscriber's own scope, so a
subscriber never sees a row of another tenant, whatever was published.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable, Iterable
from typing import Any, TypeVar

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from parking.common.crud import parse_id
from parking.common.errors import DomainError, ErrorCode, NotFound
from parking.common.events import Payload
from parking.tenancy.service import lots_of_lanes, visible_lot_ids, visible_lots_among
from schema.core.context import Context

T = TypeVar("T")

# As for list pages: a subscription names at most this many lots or lanes.
MAX_WATCHED = 100

Loader = Callable[[AsyncSession, Payload], Awaitable[T | None]]


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


async def watch(ctx: Context, topics: list[str], load: Loader[T]) -> AsyncGenerator[T, None]:
    """Each event on ``topics``, loaded in the caller's scope; events whose row it cannot see are skipped."""
    bus = ctx.db.bus
    if bus is None:
        raise RuntimeError("no event bus: the app's lifespan did not run")
    async with bus.listen(topics) as events:
        async for _topic, payload in events:
            # A short session per event: a subscription lasts hours and must not pin a connection.
            async with ctx.db.session(ctx.scope) as session:
                row = await load(session, payload)
            if row is not None:
                yield row


def event_id(payload: Payload) -> int | None:
    raw: Any = payload.get("id")
    return raw if isinstance(raw, int) and raw > 0 else None
