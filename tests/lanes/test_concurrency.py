"""Concurrent readings on both databases: one event per record, one stay per plate, exact occupancy."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable
from datetime import timedelta
from typing import TypeVar

import pytest
from sqlalchemy import func, select

from parking.common.database import Database
from parking.common.scope import Scope
from parking.lanes.decisions import Reason
from parking.lanes.flow import Outcome
from parking.sessions.enums import SessionState
from parking.sessions.models import LaneEvent, ParkingSession
from tests.lanes.site import T0, Site, build_site

pytestmark = pytest.mark.anyio

T = TypeVar("T")
PLATE = "京A12345"


async def _count(db: Database, model: type[LaneEvent] | type[ParkingSession]) -> int:
    async with db.session(Scope.internal()) as s:
        return int(await s.scalar(select(func.count()).select_from(model)) or 0)


async def test_two_pushes_of_one_record_at_once_make_one_event_and_one_stay(db: Database) -> None:
    site = await build_site(db)
    key = "vzenith:CAM-1:4711"
    first, second = await asyncio.gather(site.read("in", PLATE, T0, key=key), site.read("in", PLATE, T0, key=key))
    assert sorted([first.duplicate, second.duplicate]) == [False, True]
    assert first.event_id == second.event_id
    assert first.session_id == second.session_id is not None
    assert first.decision.opens
    assert second.decision.opens
    assert await _count(db, LaneEvent) == 1
    assert await _count(db, ParkingSession) == 1
    assert await site.occupied() == (1, 1)


async def test_two_lanes_reading_one_plate_at_once_make_one_stay(db: Database) -> None:
    site = await build_site(db)
    a, b = await asyncio.gather(site.read("in", PLATE, T0), site.read("in2", PLATE, T0))
    assert a.decision.opens
    assert b.decision.opens
    assert a.session_id == b.session_id is not None
    assert sorted([a.decision.reason, b.decision.reason]) == sorted([Reason.WELCOME, Reason.ALREADY_INSIDE])
    assert await _count(db, LaneEvent) == 2
    assert [s.id for s in await site.open_sessions(PLATE)] == [a.session_id]
    assert await site.occupied() == (1, 1)


async def test_two_exit_lanes_reading_one_plate_at_once_close_it_once(db: Database) -> None:
    site = await build_site(db)
    await site.read("in", PLATE, T0)
    a, b = await asyncio.gather(
        site.read("out", PLATE, T0 + timedelta(minutes=5)), site.read("out2", PLATE, T0 + timedelta(minutes=5))
    )
    assert a.session_id == b.session_id is not None
    assert await site.open_sessions() == []
    assert await site.occupied() == (0, 0)


async def _bounded(limit: int, jobs: list[Awaitable[T]]) -> list[T]:
    gate = asyncio.Semaphore(limit)

    async def one(job: Awaitable[T]) -> T:
        async with gate:
            return await job

    return await asyncio.gather(*(one(job) for job in jobs))


async def _car(site: Site, i: int) -> list[Outcome]:
    """One car: entry (read by both entry lanes at once for every third car), then an exit for most of them."""
    plate = f"京A{i:05d}"
    at = T0 + timedelta(seconds=i)
    reads = [site.read("in", plate, at)]
    if i % 3 == 0:
        reads.append(site.read("in2", plate, at))
    outcomes = list(await asyncio.gather(*reads))
    if i % 5 != 0:
        outcomes.append(await site.read("out", plate, at + timedelta(minutes=10)))
    return outcomes


@pytest.fixture
async def pooled(db: Database) -> AsyncIterator[Database]:
    """The test database behind a connection pool, as the server runs it (the ``db`` fixture connects per use)."""
    database = Database.from_url(db.engine.url.render_as_string(hide_password=False))
    yield database
    await database.dispose()


async def test_occupancy_is_exact_after_a_thousand_concurrent_entries_and_exits(pooled: Database) -> None:
    site = await build_site(pooled, capacity=10_000)
    cars = 536  # 536 entries, 179 second reads by the other entry lane, 428 exits: 1,143 readings
    results = await _bounded(16, [_car(site, i) for i in range(cars)])
    readings = sum(len(r) for r in results)
    assert readings == cars + len(range(0, cars, 3)) + (cars - len(range(0, cars, 5)))
    assert readings >= 1_000
    inside = len(range(0, cars, 5))
    assert all(o.decision.opens for r in results for o in r)
    assert await site.occupied() == (inside, inside)
    assert await _count(pooled, ParkingSession) == cars
    # The counter never goes below zero: a stray exit of a car no longer inside changes nothing.
    stray = await site.read("out", "京A00001", T0 + timedelta(hours=2))
    assert stray.decision.reason is Reason.EXIT_WITHOUT_ENTRY
    assert await site.occupied() == (inside, inside)
    stays = await site.all_sessions()
    assert sum(s.state is SessionState.IN_LOT for s in stays) == inside
