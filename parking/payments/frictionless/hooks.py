"""Where the lane flow meets frictionless parking: one check for the exit decision, work handed on after commit.

The lane flow never waits on WeChat, and never imports this: the composition root installs ``deducts_at_exit``
as the flow's ``EXIT_DEDUCTION`` (one indexed read, only at lots that have the service and only when a fee is
due) and registers ``after_lane_event`` for ``LaneEventRecorded``; the registration and the deduction run after
commit, through the dispatch it put under ``SERVICE`` (Dramatiq actors, or tasks in this process).
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.common.services import ServiceKey, Services, services_of
from parking.lanes.decisions import Reason
from parking.lanes.ports import LaneEventRecorded
from parking.payments.frictionless.models import EntryState, FrictionlessParking
from parking.payments.frictionless.settings import FrictionlessSettings
from parking.sessions.billing import Bill
from parking.sessions.enums import EventKind
from parking.sessions.models import ParkingSession
from parking.tenancy.models import Lot
from parking.vehicles.standing import FREE_CATEGORIES, PASS_CATEGORIES


class FrictionlessDispatch(Protocol):
    """Runs (or queues) the after-commit work; both must be safe to run twice."""

    async def entered(self, session_id: int) -> None: ...

    async def held(self, session_id: int, lane_event_id: int) -> None: ...


SERVICE = ServiceKey[FrictionlessDispatch]("frictionless")


async def deducts_at_exit(tx: AsyncSession, lot: Lot, stay: ParkingSession | None, owed: Bill | None) -> bool:
    """Whether WeChat will deduct this exit's fee: the lot uses the service, the entry is NORMAL at WeChat and no
    deduction of this stay has failed yet (then the driver pays another way)."""
    if stay is None or owed is None or owed.due_fen <= 0 or owed.arrears_fen > 0:
        return False
    if services_of(tx).get(SERVICE) is None or not FrictionlessSettings.of(lot.settings).enabled:
        return False
    usable = await tx.scalar(
        select(FrictionlessParking.id).where(
            FrictionlessParking.session_id == stay.id,
            FrictionlessParking.state == EntryState.NORMAL,
            FrictionlessParking.deduction_failed.is_(False),
        )
    )
    return usable is not None


async def after_lane_event(event: LaneEventRecorded, services: Services) -> None:
    """Register a paying car's new stay with WeChat, or ask WeChat to deduct a held car's fee."""
    dispatch = services.get(SERVICE)
    session_id, decision = event.session_id, event.decision
    if dispatch is None or session_id is None or not FrictionlessSettings.of(event.lot.settings).enabled:
        return
    if event.kind is EventKind.ENTRY and decision.opens and decision.new_session:
        if decision.category in FREE_CATEGORIES or decision.category in PASS_CATEGORIES:
            return
        await dispatch.entered(session_id)
    elif event.kind is EventKind.EXIT and decision.reason is Reason.FRICTIONLESS:
        await dispatch.held(session_id, event.lane_event_id)
