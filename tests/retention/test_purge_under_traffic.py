"""A purge while lanes decide (issue #22): the lane bench's traffic runs through ``handle_reading`` in the lot being
purged, concurrently, while the purge walks small batches. Afterwards no open stay, no owing stay and none of
their records is lost, every car of the traffic is exactly one stay, exactly the eligible rows are gone, and a
second purge does nothing.

PostgreSQL only: the point is real concurrency between transactions (SQLite serialises writers).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bench.lane import Traffic, build_sites
from parking.common.database import Database
from parking.common.scope import Scope
from parking.images import LocalImageStore
from parking.lanes.flow import handle_reading
from parking.lanes.sites import SiteCache
from parking.recognition.models import PlateRecognition
from parking.retention.purge import LotPurge, purge
from parking.sessions.enums import SessionState
from parking.sessions.models import LaneEvent, ParkingSession
from tests.factories import World
from tests.retention.data import NOW, Lots, ids_of, refs_of

pytestmark = [pytest.mark.anyio, pytest.mark.parametrize("backend", ["postgres"], indirect=True)]

LANES = 4  # concurrent lanes, each an entry and an exit
BATCH = 3  # small batches: many purge transactions interleave with the traffic
MIN_READINGS = 120  # traffic keeps going at least this long, and until the purge is over
EACH = 12  # seeded stays of each kind


@dataclass
class Seed:
    """What was seeded, and what of it the purge may take. Each seeded event has a picture and a recognition
    naming the picture and a crop."""

    kept_stays: dict[int, SessionState] = field(default_factory=dict)  # open and owing stays: nothing of them goes
    kept_events: dict[int, str] = field(default_factory=dict)  # their events: id and picture, which stays too
    kept_files: set[str] = field(default_factory=set)
    gone_stays: set[int] = field(default_factory=set)
    gone_events: set[int] = field(default_factory=set)
    cleared_events: set[int] = field(default_factory=set)  # young records with an old picture: only the refs go
    gone_files: set[str] = field(default_factory=set)


async def _seed(lots: Lots) -> Seed:
    seed = Seed()

    async def with_event(stay: int | None, days: float) -> tuple[int, str, set[str]]:
        picture, crop = await lots.picture(NOW), await lots.picture(NOW)
        event = await lots.event("bench", days, session_id=stay, image_ref=picture, crop_ref=crop)
        return event, picture, {picture, crop}

    for _ in range(EACH):
        # Kept whole: open since 400 days, closed 400 days ago owing arrears, or owing a fee above what was paid.
        kept = {
            await lots.stay("bench", exited_days=None, entered_days=400): SessionState.IN_LOT,
            await lots.stay("bench", exited_days=400, arrears_fen=500): SessionState.EXITED,
            await lots.stay("bench", exited_days=400, fee_due_fen=1000, paid_fen=200): SessionState.EXITED,
        }
        seed.kept_stays |= kept
        for stay in kept:
            event, picture, files = await with_event(stay, 401)
            seed.kept_events[event] = picture
            seed.kept_files |= files
        # Gone whole: a stay closed and settled 400 days ago with its event, and an event of no stay.
        settled = await lots.stay("bench", exited_days=400, fee_due_fen=600, paid_fen=600)
        seed.gone_stays.add(settled)
        # A paid-for stay stays with its money (not in gone_stays); its records go by their own age.
        paid = await lots.stay("bench", exited_days=400, fee_due_fen=800, paid_fen=800, paid_order=True)
        for owner in (settled, None, paid):
            event, _, files = await with_event(owner, 401)
            seed.gone_events.add(event)
            seed.gone_files |= files
        # A stay of 40 days ago: its pictures go, its records stay.
        young = await lots.stay("bench", exited_days=40)
        event, _, files = await with_event(young, 40)
        seed.cleared_events.add(event)
        seed.gone_files |= files
    return seed


async def _purge_under_traffic(db: Database, lots: Lots, traffic: Traffic) -> tuple[list[LotPurge], set[str], int]:
    """Run the purge and the traffic at once: the purge's result, the plates the traffic drove in, and how many
    readings were decided while the purge ran."""
    cache = SiteCache()
    plates: set[str] = set()
    done = during = 0
    purged: asyncio.Task[list[LotPurge]] = asyncio.create_task(purge(db, lots.store, NOW, batch=BATCH))

    async def lane(lane_no: int) -> None:
        nonlocal done, during
        while not purged.done() or done < MIN_READINGS:
            reading = traffic.reading(lane_no)
            plates.add(reading.plate)
            outcome = await handle_reading(db, reading, sites=cache)
            assert outcome.decision.opens, outcome
            done += 1
            during += not purged.done()

    await asyncio.gather(*(lane(n) for n in range(LANES)))
    return await purged, plates, during


async def _stays_by_plate(db: Database, plates: set[str]) -> dict[str, int]:
    async with db.session(Scope.internal()) as s:
        query = select(ParkingSession.plate, func.count()).where(ParkingSession.plate.in_(plates))
        return dict((await s.execute(query.group_by(ParkingSession.plate))).all())


async def _recognitions(db: Database) -> dict[int, int]:
    """Each plate recognition's lane event, by recognition id."""
    async with db.session(Scope.internal()) as s:
        return dict((await s.execute(select(PlateRecognition.id, PlateRecognition.lane_event_id))).all())


async def test_a_purge_under_lane_traffic_loses_no_open_or_owing_stay_and_takes_exactly_the_eligible_rows(
    db: Database, tmp_path: Path
) -> None:
    [site] = await build_sites(db, LANES)
    world = World(ids={"lot:bench": site.lot_id, "lane:bench": site.entries[0]})
    lots = Lots(db, world, LocalImageStore(tmp_path / "images"))
    seed = await _seed(lots)
    stays_before = set(await ids_of(db, ParkingSession))
    events_before = set(await ids_of(db, LaneEvent))
    recognitions_before = await _recognitions(db)
    # Exits are only of cars whose entry was decided: more cars kept inside than lanes running at once.
    traffic = Traffic([site], backlog=2 * LANES)

    [result], plates, during = await _purge_under_traffic(db, lots, traffic)

    assert during > 0  # the traffic did run while the purge did
    # Every car of the traffic is one stay, and every reading one event, none of them purged.
    assert len(plates) >= MIN_READINGS // 2
    assert await _stays_by_plate(db, plates) == dict.fromkeys(plates, 1)
    async with db.session(Scope.internal()) as s:
        readings = await s.scalar(
            select(func.count()).select_from(LaneEvent).where(LaneEvent.dedup_key.like("bench:%"))
        )
        inside = await s.scalar(
            select(func.count())
            .select_from(ParkingSession)
            .where(ParkingSession.plate.in_(plates), ParkingSession.state == SessionState.IN_LOT)
        )
        kept = await s.execute(
            select(ParkingSession.id, ParkingSession.state).where(ParkingSession.id.in_(seed.kept_stays))
        )
        kept_states = dict(kept.all())
    assert readings == next(traffic.keys)  # the readings' dedup keys are numbered from 0
    assert inside == len(traffic.lots[0].inside)
    # Open and owing stays are all there, unchanged, with their events, recognitions and pictures.
    assert kept_states == seed.kept_stays
    events = {event: ref for event, (ref,) in (await refs_of(db, LaneEvent.image_ref)).items()}
    assert {event: events.get(event) for event in seed.kept_events} == seed.kept_events
    assert [f for f in seed.kept_files if await lots.store.size(f) is None] == []
    # Exactly the eligible rows are gone: stays, events with their recognitions, pictures.
    assert stays_before - set(await ids_of(db, ParkingSession)) == seed.gone_stays
    assert events_before - set(events) == seed.gone_events
    recognitions = await _recognitions(db)
    assert {r for r in recognitions_before if r not in recognitions} == {
        r for r, event in recognitions_before.items() if event in seed.gone_events
    }
    assert {event: events[event] for event in seed.cleared_events} == dict.fromkeys(seed.cleared_events, "")
    assert [f for f in seed.gone_files if await lots.store.size(f) is not None] == []
    touched = len(seed.gone_events) + len(seed.cleared_events)  # 3 refs each: event, recognition picture and crop
    assert result == LotPurge(
        site.lot_id,
        result.lot_name,
        images=3 * touched,
        files=len(seed.gone_files),
        lane_events=len(seed.gone_events),
        recognitions=len(seed.gone_events),
        sessions=len(seed.gone_stays),
    )

    # A second purge finds nothing.
    [again] = await purge(db, lots.store, NOW, batch=BATCH)
    assert again == LotPurge(site.lot_id, result.lot_name)
