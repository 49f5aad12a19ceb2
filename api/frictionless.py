"""Wires frictionless parking into the app: its after-commit work goes to Dramatiq with Redis, else to tasks."""

from __future__ import annotations

import asyncio

from config.settings import Settings
from parking.common.database import Database
from parking.lanes.ports import EXIT_DEDUCTION, LaneEventRecorded
from parking.payments.frictionless.dispatch import InProcessFrictionless
from parking.payments.frictionless.hooks import SERVICE, FrictionlessDispatch, after_lane_event, deducts_at_exit
from parking.payments.gateway import Channels


class DramatiqFrictionless:
    """Sends each job to the ``payments`` queue (workers/frictionless.py)."""

    async def entered(self, session_id: int) -> None:
        from workers.frictionless import register_frictionless_entry

        await asyncio.to_thread(register_frictionless_entry.send, session_id)

    async def held(self, session_id: int, lane_event_id: int) -> None:
        from workers.frictionless import request_frictionless_deduction

        await asyncio.to_thread(request_frictionless_deduction.send, session_id, lane_event_id)


def install_frictionless(db: Database, settings: Settings, channels: Channels) -> FrictionlessDispatch | None:
    """Nothing without WeChat credentials: the lane flow then never holds a car for a deduction."""
    db.handlers.on(LaneEventRecorded, after_lane_event)
    if channels.wechat_parking is None:
        db.services.pop(SERVICE)
        db.services.pop(EXIT_DEDUCTION)
        return None
    dispatch: FrictionlessDispatch = (
        DramatiqFrictionless() if settings.redis_url else InProcessFrictionless(db, channels)
    )
    db.services[SERVICE] = dispatch
    db.services[EXIT_DEDUCTION] = deducts_at_exit
    return dispatch
