"""The per-process site cache: fewer statements per reading, fresh occupancy, and changes that reach it."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest
from sqlalchemy import event, select, text

from parking.common.database import Database
from parking.common.scope import Scope
from parking.lanes.decisions import Reason
from parking.lanes.flow import LaneInput, Outcome, handle_reading
from parking.lanes.sites import SiteCache
from parking.plates import PlateColor
from parking.tariffs.document import ClassTariff, TimedRule, VehicleClass
from parking.tariffs.models import TariffVersion
from parking.tenancy.models import Lane, Lot
from tests.lanes.site import T0, Site, build_site, flat_tariff

pytestmark = pytest.mark.anyio
_keys = itertools.count()


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def read(site: Site, sites: SiteCache, lane: str, plate: str, at: datetime) -> Outcome:
    reading = LaneInput(site.ids[lane], plate, PlateColor.BLUE, 0.95, at, f"sites:{next(_keys)}")
    return await handle_reading(site.db, reading, at, sites=sites)


@contextmanager
def statements(db: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        seen.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", count)


async def test_a_cached_site_is_not_read_again(db: Database, backend: str) -> None:
    site = await build_site(db)
    sites = SiteCache()
    await read(site, sites, "in", "京A00001", T0)
    await read(site, sites, "out", "京A00001", T0 + timedelta(minutes=5))

    with statements(db) as entry:
        assert (await read(site, sites, "in", "京A00002", T0)).decision.opens
    with statements(db) as leaving:
        out = await read(site, sites, "out", "京A00002", T0 + timedelta(minutes=5))
    assert out.decision.reason is Reason.NOTHING_DUE

    assert not any("FROM lanes" in s or "FROM tariff_versions" in s for s in entry + leaving)
    # PostgreSQL: claim, plate facts, stays, new stay, last writes; the exit of a lot with an inner lot also
    # reads and closes the stay's inner stays. SQLite runs the last writes one by one (void, mark, command, lot).
    if backend == "postgres":
        assert (len(entry), len(leaving)) == (5, 7)
    else:
        assert (len(entry), len(leaving)) == (8, 10)
    assert await site.occupied() == (0, 0)


async def test_occupancy_is_read_fresh_while_the_lot_is_cached(db: Database) -> None:
    site = await build_site(db, capacity=3)
    sites = SiteCache()
    first = await read(site, sites, "in", "京A12345", T0)
    second = await read(site, sites, "in", "京A12346", T0)
    assert (first.decision.lines[-1], second.decision.lines[-1]) == ("余位2", "余位1")


async def test_a_tariff_committed_through_the_orm_reaches_the_next_exit(db: Database) -> None:
    site = await build_site(db)
    sites = SiteCache(ttl_s=3600)
    await read(site, sites, "in", "京A12345", T0)
    await read(site, sites, "in", "京A12346", T0)
    held = await read(site, sites, "out", "京A12345", T0 + timedelta(minutes=61))
    assert held.decision.fee_fen == 600

    base = flat_tariff()
    rule = base.classes[VehicleClass.SMALL].rule
    assert isinstance(rule, TimedRule)
    periods = [p.model_copy(update={"unit_price_fen": 400}) for p in rule.periods]
    doubled = base.model_copy(
        update={"classes": {VehicleClass.SMALL: ClassTariff(rule=rule.model_copy(update={"periods": periods}))}}
    )
    async with db.transaction(Scope.internal()) as s:
        version = await s.scalar(
            select(TariffVersion).where(TariffVersion.lot_id == site.lot_id, TariffVersion.area_id.is_(None))
        )
        assert version is not None
        version.document = doubled.model_dump(mode="json")

    later = await read(site, sites, "out", "京A12346", T0 + timedelta(minutes=61))
    assert later.decision.fee_fen == 1200


async def test_a_change_outside_the_orm_shows_after_the_ttl(db: Database) -> None:
    site = await build_site(db, capacity=3)
    clock = Clock()
    sites = SiteCache(ttl_s=5, clock=clock)
    await read(site, sites, "in", "京A12345", T0)
    # Another process (or plain SQL) raises the capacity: this process does not hear of it.
    async with db.engine.begin() as conn:
        await conn.execute(text("UPDATE lots SET capacity = 10 WHERE id = :id"), {"id": site.lot_id})

    clock.now += 4
    assert (await read(site, sites, "in", "京A12346", T0)).decision.lines[-1] == "余位1"
    clock.now += 2
    assert (await read(site, sites, "in", "京A12347", T0)).decision.lines[-1] == "余位7"


async def rename_and_abandon(db: Database, lane_id: int) -> None:
    async with db.transaction(Scope.internal()) as s:
        lane = await s.get(Lane, lane_id)
        assert lane is not None
        lane.name = "renamed"
        await s.flush()
        raise RuntimeError("abandon")


async def test_a_rolled_back_change_keeps_the_entry(db: Database) -> None:
    site = await build_site(db)
    sites = SiteCache(ttl_s=3600)
    async with db.session(Scope.internal()) as s:
        cached = await sites.site(s, site.ids["in"])
    with pytest.raises(RuntimeError, match="abandon"):
        await rename_and_abandon(db, site.ids["in"])
    async with db.session(Scope.internal()) as s:
        assert await sites.site(s, site.ids["in"]) is cached

    async with db.transaction(Scope.internal()) as s:
        lane = await s.get(Lane, site.ids["in"])
        assert lane is not None
        lane.name = "renamed"
    async with db.session(Scope.internal()) as s:
        fresh = await sites.site(s, site.ids["in"])
    assert fresh is not None
    assert fresh is not cached
    assert fresh.lane.name == "renamed"


async def read_and_abandon(db: Database, sites: SiteCache, lane_id: int) -> None:
    async with db.transaction(Scope.internal()) as s:
        await sites.site(s, lane_id)
        raise RuntimeError("abandon")


async def test_a_site_read_by_a_transaction_that_rolled_back_still_serves_the_lane(db: Database) -> None:
    # given a push that read the lane into the cache and then rolled back (a race on the open-stay index, a lost
    # connection: the flow then decides again)
    site = await build_site(db)
    sites = SiteCache(ttl_s=3600)
    with pytest.raises(RuntimeError, match="abandon"):
        await read_and_abandon(db, sites, site.ids["in"])

    # when the next reading comes to that lane, and a lot's change is committed in this process
    again = await read(site, sites, "in", "京A12345", T0)
    async with db.transaction(Scope.internal()) as s:
        lot = await s.get(Lot, site.lot_id)
        assert lot is not None
        lot.name = "renamed"

    # then the lane decides from the cache as before, and the change dropped the entry instead of raising
    assert again.decision.reason is Reason.WELCOME
    async with db.session(Scope.internal()) as s:
        fresh = await sites.site(s, site.ids["in"])
    assert fresh is not None
    assert fresh.lot.name == "renamed"
