"""Two API processes and a worker behind haproxy, on one PostgreSQL and Redis: whichever process a camera, a
console or a payment callback reaches, every reading is recorded once and every event reaches every console."""

from __future__ import annotations

import asyncio

import pytest

from parking.common.database import Database
from tests.lanes.site import build_site
from tests.multiprocess.cluster import Cluster
from tests.multiprocess.traffic import Pushes, camera, plates, push_plates, recorded

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis]


async def test_readings_through_the_proxy_and_each_process_are_recorded_once(cluster: Cluster, db: Database) -> None:
    # given a lot whose entry cameras push through the proxy and whose exit cameras each push to one process
    site = await build_site(db, capacity=500)
    cars = plates("A", 40)
    seen = Pushes()
    entries = [camera(cluster.url, site, "in"), camera(cluster.url, site, "in2")]
    exits = [camera(cluster.apis["a"].url, site, "out"), camera(cluster.apis["b"].url, site, "out2")]
    # when 40 cars enter through two lanes at once, then leave through the exit of each process
    await asyncio.gather(push_plates(entries[0], cars[::2], seen), push_plates(entries[1], cars[1::2], seen))
    await asyncio.gather(push_plates(exits[0], cars[::2], seen), push_plates(exits[1], cars[1::2], seen))
    for cam in entries + exits:
        await cam.aclose()
    # then every push was answered, every reading is one lane event and every car one stay, ended
    assert (seen.answered, seen.failed) == (80, 0), seen.errors
    got = await recorded(db, site)
    assert got.events == {plate: 2 for plate in cars}
    assert set(got.event_keys.values()) == {1}
    assert got.stays == {plate: 1 for plate in cars}
    assert got.open_stays == 0
