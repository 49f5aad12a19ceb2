"""WeChat's entrance-state notification (VEHICLE.ENTRANCE_STATE_CHANGE): the driver enabled or paused the service
during the stay, so the exit deducts (NORMAL) or the driver pays another way (BLOCKED)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select

from parking.common.database import Database
from parking.common.scope import Scope
from parking.payments.frictionless.models import EntryState, FrictionlessParking

logger = logging.getLogger(__name__)


def _changed_at(raw: Mapping[str, Any], now: datetime) -> datetime:
    try:
        return datetime.fromisoformat(str(raw["state_update_time"]))
    except (KeyError, ValueError):
        return now


async def entrance_changed(db: Database, raw: Mapping[str, Any], now: datetime) -> bool:
    """Store the new entry state; False for an entry we never registered. A notification older than the state
    we hold (out of order) changes nothing; a repeated one writes the same values again."""
    out_parking_no = str(raw.get("out_parking_no", ""))
    parking_id = str(raw.get("parking_id", ""))
    state = EntryState.NORMAL if raw.get("parking_state") == "NORMAL" else EntryState.BLOCKED
    changed_at = _changed_at(raw, now)
    async with db.transaction(Scope.internal()) as tx:
        row = await tx.scalar(
            select(FrictionlessParking).where(FrictionlessParking.out_parking_no == out_parking_no).with_for_update()
        )
        if row is None or (row.parking_id and row.parking_id != parking_id):
            logger.warning("entrance state for unknown parking %s / %s", out_parking_no, parking_id)
            return False
        # WeChat's times are whole seconds: a change in the second of our own registration is not older.
        if row.state_changed_at is not None and changed_at < row.state_changed_at.replace(microsecond=0):
            logger.info("entrance state of %s from %s is older than ours: ignored", out_parking_no, changed_at)
            return True
        row.parking_id = parking_id
        row.state = state
        row.block_reason = str(raw.get("blocked_state_description", ""))[:64]
        row.state_changed_at = changed_at
        row.updated_at = now
    return True
