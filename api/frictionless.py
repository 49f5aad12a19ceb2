"""Wires frictionless parking into the app: its after-commit work goes to Dramatiq with Redis, else to tasks."""

from __future__ import annotations

from config.settings import Settings
from parking.common.database import Database
from parking.lanes.ports import EXIT_DEDUCTION, LaneEventRecorded
from parking.payments.frictionless.dispatch import InProcessFrictionless
from parking.payments.frictionless.hooks import SERVICE, FrictionlessDispatch, after_lane_event, deducts_at_exit
from parking.payments.gateway import Channels


class DramatiqFrictionless:
    """Queues each job for the ``payments`` queue (workers/frictionless.py) through the outbox (workers/jobs.py)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def entered(self, session_id: int) -> None:
        from workers.frictionless import register_frictionless_entry
        from workers.jobs import send_after_commit

        await send_after_commit(self._db, register_frictionless_entry, session_id)

    async def held(self, session_id: int, lane_event_id: int) -> None:
        from workers.frictionless import request_frictionless_deduction
        from workers.jobs import send_after_commit

        await send_after_commit(self._db, request_frictionless_deduction, session_id, lane_event_id)


def install_frictionless(db: Database, settings: Settings, channels: Channels) -> FrictionlessDispatch | None:
    """Nothing without WeChat credentials: the lane flow then never holds a car for a deduction."""
    db.handlers.on(LaneEventRecorded, after_lane_event)
    if channels.wechat_parking is None:
        db.services.pop(SERVICE)
        db.services.pop(EXIT_DEDUCTION)
        return None
    dispatch: FrictionlessDispatch = (
        DramatiqFrictionless(db) if settings.redis_url else InProcessFrictionless(db, channels)
    )
    db.services[SERVICE] = dispatch
    db.services[EXIT_DEDUCTION] = deducts_at_exit
    return dispatch
