"""`bench lane --with-purge`: records past retention in the bench's lots, and the retention purge run while the
lanes decide, timed (purge rows/s beside decisions/s).

The old rows are made by the database (``INSERT ... SELECT generate_series``): closed, settled stays that left
400 days ago, each with its entry's lane event, so every one of them is past the default year of records.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import text

from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.scope import Scope
from parking.images import LocalImageStore
from parking.retention.purge import BATCH, purge

# $lot: the lot; $lane: its entry lane; $n: stays; $left: when the last of them left.
_OLD = """
WITH stays AS (
    INSERT INTO parking_sessions (agent_id, customer_id, lot_id, plate, plate_color, vehicle_class, category, state,
        entry_at, exit_at, entry_lane_id, fee_due_fen, paid_fen, discount_fen, arrears_fen, release_method,
        release_reason, note, group_overflow, created_at, updated_at)
    SELECT l.agent_id, l.customer_id, l.id, 'OLD' || g, 'blue', 'small', 'temporary', 'exited',
        CAST(:left AS timestamptz) - make_interval(secs => g * 60 + 3600), CAST(:left AS timestamptz)
            - make_interval(secs => g * 60), :lane, 0, 0, 0, 0, 'free', '', '', false,
        CAST(:left AS timestamptz) - make_interval(secs => g * 60 + 3600),
        CAST(:left AS timestamptz) - make_interval(secs => g * 60)
    FROM generate_series(1, :n) AS g CROSS JOIN lots l WHERE l.id = :lot
    RETURNING id, agent_id, customer_id, lot_id, plate, entry_at
)
INSERT INTO lane_events (agent_id, customer_id, lot_id, lane_id, session_id, kind, at, received_at, plate,
    plate_color, confidence, source, image_ref, dedup_key, is_offline, opened, decision_reason)
SELECT agent_id, customer_id, lot_id, :lane, id, 'entry', entry_at, entry_at, plate, 'blue', 0.95, 'camera', '',
    'old:' || id, false, true, ''
FROM stays
"""


@dataclass
class PurgeRun:
    rows: int = 0  # stays, lane events and recognitions removed
    seconds: float = 0.0


async def seed_old(db: Database, lots: list[tuple[int, int]], stays: int) -> None:
    """``stays`` old settled stays with their entry events, shared out over ``lots`` (lot id, entry lane id)."""
    left = utcnow() - timedelta(days=400)
    async with db.transaction(Scope.internal()) as s:
        for lot, lane in lots:
            await s.execute(text(_OLD), {"lot": lot, "lane": lane, "n": stays // len(lots), "left": left})


async def timed_purge(db: Database, batch: int = BATCH) -> PurgeRun:
    """The purge of every lot at this moment, as the worker runs it (no pictures here: none to remove)."""
    began = time.perf_counter()
    with tempfile.TemporaryDirectory() as images:
        results = await purge(db, LocalImageStore(images), utcnow(), batch=batch)
    rows = sum(r.sessions + r.lane_events + r.recognitions for r in results)
    return PurgeRun(rows, time.perf_counter() - began)
