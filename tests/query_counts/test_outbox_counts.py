"""With Redis configured a lane decision writes its events to the outbox: one INSERT in its transaction, whatever
it publishes (the lane event, the gate's wake-up), and nothing else. Without Redis (the pins in pinned.py) the
events go to the in-process bus and cost no statement."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from parking.common.database import Database
from parking.common.events import LocalBus
from parking.common.outbox import OutboxRelay
from tests.query_counts.pinned import PINNED
from tests.query_counts.seed import add_rows, seed_lot
from tests.query_counts.test_lane_counts import _caches_hold, _decisions

pytestmark = pytest.mark.anyio

__all__ = ["_caches_hold"]  # the lane counts' autouse fixture: the caches hold for the whole test here too


@pytest.fixture
def outbox(db: Database) -> Iterator[OutboxRelay]:
    """The database as an API process with Redis has it; the relay does not run (its drains are not counted)."""
    relay = OutboxRelay(db.engine, LocalBus())
    db.outbox = relay
    yield relay
    db.outbox = None


async def test_a_lane_decision_with_the_outbox_costs_one_insert_more(
    db: Database, client: httpx.AsyncClient, backend: str, outbox: OutboxRelay
) -> None:
    seeded = await seed_lot(db)
    await add_rows(seeded, 0, 5)
    seen = await _decisions(client, seeded, 0)
    for name, statements in seen.items():
        pinned = PINNED[name]
        without = pinned.sqlite if backend == "sqlite" else pinned.postgres
        writes = [sql for sql in statements if "event_outbox" in sql]
        assert (len(statements), len(writes)) == (without + 1, 1), (name, statements)
        assert writes[0].split()[:3] == ["INSERT", "INTO", "event_outbox"]
