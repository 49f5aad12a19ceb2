"""Edge replays out of order and twice: the same stays and fees as the records replayed in order, once."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from parking.alarms.models import AlarmKind, AlarmStatus
from parking.common.database import Database
from parking.common.scope import Scope
from parking.lanes.edge_sync import replay
from parking.sessions.models import LaneEvent
from tests.lanes.site import T0, Site, add_edge, build_site

pytestmark = pytest.mark.anyio

Record = dict[str, Any]


def _script(seed: int, site: Site, passes: list[str]) -> list[Record]:
    """The partition scenario as the edge's outbox holds it: 100 cars in, 90 of them out again in another order,
    each reading a minute apart (so stays last from minutes to hours and the fees differ)."""
    rng = random.Random(seed)
    cars = passes + [f"京B{n:05d}" for n in rng.sample(range(10000, 99999), 100 - len(passes))]
    leaving = rng.sample(cars, 90)
    moves = [("in", plate) for plate in cars] + [("out", plate) for plate in leaving]
    return [
        {
            "key": f"vzenith:CAM-{site.lot_id}-{lane}:{n}",
            "lane_id": site.ids[lane],
            "plate": plate,
            "color": "blue",
            "confidence": 0.96,
            "at": (T0 + timedelta(minutes=n)).isoformat(),
            "opened": True,
        }
        for n, (lane, plate) in enumerate(moves)
    ]


async def _site(db: Database) -> tuple[Site, list[str]]:
    site = await build_site(db)
    passes = [f"京A{n:05d}" for n in range(10001, 10021)]
    for plate in passes:
        await site.add_pass(plate, T0 - timedelta(days=10), T0 + timedelta(days=20))
    return site, passes


async def _stays(site: Site) -> list[tuple[Any, ...]]:
    """Every stay as the driver and the books see it, by plate and entry: ids and creation order left out."""
    rows = [
        (
            s.plate,
            s.entry_at,
            s.exit_at,
            s.state,
            s.category,
            s.entry_lane_id == site.ids["in"],
            s.exit_lane_id == site.ids["out"] if s.exit_lane_id is not None else None,
            s.pass_id is not None,
            s.fee_due_fen,
            s.arrears_fen,
            s.release_method,
        )
        for s in await site.all_sessions()
    ]
    return sorted(rows, key=lambda row: (str(row[0]), str(row[1])))


async def _post(client: httpx.AsyncClient, edge: tuple[str, str], records: list[Record]) -> list[dict[str, Any]]:
    serial, secret = edge
    response = await client.post(
        "/api/edge/replay", json={"records": records}, headers={"X-Device-Serial": serial, "X-Device-Key": secret}
    )
    assert response.status_code == 200, response.text
    acks: list[dict[str, Any]] = response.json()["acks"]
    return acks


async def _events(db: Database, lot_id: int) -> tuple[int, int, int]:
    async with db.session(Scope.internal()) as s:
        where = LaneEvent.lot_id == lot_id
        total = await s.scalar(select(func.count()).select_from(LaneEvent).where(where))
        keys = await s.scalar(select(func.count(func.distinct(LaneEvent.dedup_key))).where(where))
        unpaired = await s.scalar(select(func.count()).where(where, LaneEvent.session_id.is_(None)))
    return int(total or 0), int(keys or 0), int(unpaired or 0)


async def test_shuffled_and_repeated_replays_make_the_same_stays_and_fees(
    db: Database, client: httpx.AsyncClient
) -> None:
    # Given two identical lots whose edges decided the same 190 readings while cut off
    in_order, passes = await _site(db)
    shuffled, _ = await _site(db)
    ordered_edge, shuffled_edge = await add_edge(in_order), await add_edge(shuffled)
    ordered_records = _script(5, in_order, passes)
    records = _script(5, shuffled, passes)
    assert [(r["plate"], r["at"]) for r in records] == [(r["plate"], r["at"]) for r in ordered_records]

    # When one replays in order, and the other shuffled, in uneven batches, with 40 records sent twice and a
    # whole batch sent again (its acknowledgement lost)
    for start in range(0, len(ordered_records), 100):
        await _post(client, ordered_edge, ordered_records[start : start + 100])
    rng = random.Random(11)
    mess = records + rng.sample(records, 40)
    rng.shuffle(mess)
    batches: list[list[Record]] = []
    while mess:
        size = rng.randint(1, 40)
        batches.append(mess[:size])
        mess = mess[size:]
    batches.insert(3, batches[1])
    acks = [ack for batch in batches for ack in await _post(client, shuffled_edge, batch)]

    # Then both lots hold the same stays with the same fees, and every reading is recorded once
    assert await _stays(shuffled) == await _stays(in_order)
    assert len(await _stays(in_order)) == 100
    assert await shuffled.occupied() == await in_order.occupied() == (10, 10)
    assert await _events(db, shuffled.lot_id) == await _events(db, in_order.lot_id) == (190, 190, 0)
    assert len(acks) == 190 + 40 + len(batches[1])
    assert sum(1 for ack in acks if ack["duplicate"]) == 40 + len(batches[1])
    fees = sorted(s[8] for s in await _stays(shuffled) if s[3] != "in_lot")
    assert fees == sorted(s[8] for s in await _stays(in_order) if s[3] != "in_lot")
    assert sum(fees) > 0
    # Exits that waited for their entries raised "exit without entry"; each was answered when the entry came.
    assert all(a.status is AlarmStatus.RESOLVED for a in await shuffled.alarms(AlarmKind.EXIT_WITHOUT_ENTRY))
    assert await in_order.alarms(AlarmKind.EXIT_WITHOUT_ENTRY) == []


def _visits(site: Site, plate: str) -> list[Record]:
    """One car, twice: in at 9:00, out at 10:00, in at 11:00, out at 13:00."""
    lanes = ["in", "out", "in", "out"]
    hours = [0, 1, 2, 4]
    return [
        {
            "key": f"edge:{site.lot_id}:{plate}:{n}",
            "lane_id": site.ids[lane],
            "plate": plate,
            "at": (T0 + timedelta(hours=h)).isoformat(),
        }
        for n, (lane, h) in enumerate(zip(lanes, hours, strict=True))
    ]


@pytest.mark.parametrize(
    "order",
    [
        (0, 1, 2, 3),
        (2, 0, 3, 1),  # the second entry first: the first entry waits for its exit
        (1, 3, 2, 0),  # both exits first
        (3, 2, 1, 0),  # backwards
        (2, 3, 1, 0),  # the second stay whole, then the first backwards
        (3, 0, 1, 2),  # the first entry meets the second exit: the first exit splits that stay
        (0, 3, 2, 1),  # in and out, in again, then the first exit: it splits the stay, the second exit closes
    ],
)
async def test_a_car_that_came_twice_replayed_one_record_per_batch(db: Database, order: tuple[int, ...]) -> None:
    # Given the in-order result for a car that came in twice
    reference = await build_site(db)
    await replay(db, reference.lot_id, _visits(reference, "沪C12345"), T0 + timedelta(days=1))
    site = await build_site(db)
    records = _visits(site, "沪C12345")

    # When its four records come one per batch in this order
    for n in order:
        await replay(db, site.lot_id, [records[n]], T0 + timedelta(days=1))

    # Then it has the same two stays, closed, with the same fees: 2 元 per started half hour
    stays = await _stays(site)
    assert stays == await _stays(reference)
    assert [(s[1], s[2], s[8]) for s in stays] == [
        (T0, T0 + timedelta(hours=1), 400),
        (T0 + timedelta(hours=2), T0 + timedelta(hours=4), 800),
    ]
    assert await site.occupied() == (0, 0)
    assert (await _events(db, site.lot_id))[2] == 0


async def test_a_bad_record_refuses_the_whole_batch(db: Database, client: httpx.AsyncClient) -> None:
    # Given an edge with two good records and one without a time zone
    site = await build_site(db)
    serial, secret = await add_edge(site)
    records = _visits(site, "沪C12345")[:2]
    records.append({**records[1], "key": "edge:naive", "at": "2026-11-02T12:00:00"})

    # When it replays them
    response = await client.post(
        "/api/edge/replay", json={"records": records}, headers={"X-Device-Serial": serial, "X-Device-Key": secret}
    )

    # Then the batch is refused and nothing is recorded
    assert response.status_code == 400
    assert "needs a time zone" in response.json()["error"]["message"]
    assert await _events(db, site.lot_id) == (0, 0, 0)
    assert await site.all_sessions() == []
