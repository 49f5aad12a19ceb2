"""Where the lane flow meets frictionless parking: one check for the exit decision, work handed on after commit.

The lane flow never waits on WeChat. It asks ``deducts_at_exit`` (one indexed read, only at lots that have the
service and only when a fee is due) and calls ``after_reading``; the registration and the deduction run after
commit, through whatever the composition root put in ``Database.services`` (Dramatiq actors, or tasks in this
process).
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.common.events import on_commit
from parking.lanes.decisions import Decision, Reason
from parking.payments.frictionless.models import EntryState, FrictionlessParking
from parking.payments.frictionless.settings import FrictionlessSettings
from parking.sessions.billing import Bill
from parking.sessions.enums import EventKind
from parking.sessions.models import ParkingSession
from parking.tenancy.models import Lot
from parking.vehicles.standing import FREE_CATEGORIES, PASS_CATEGORIES

SERVICE = "frictionless"


class FrictionlessDispatch(Protocol):
    """Runs (or queues) the after-commit work; both must be safe to run twice."""

    async def entered(self, session_id: int) -> None: ...

    async def held(self, session_id: int, lane_event_id: int) -> None: ...


def _dispatch(tx: AsyncSession) -> FrictionlessDispatch | None:
    dispatch: FrictionlessDispatch | None = tx.info.get("services", {}).get(SERVICE)
    return dispatch


async def deducts_at_exit(tx: AsyncSession, lot: Lot, stay: ParkingSession | None, owed: Bill | None) -> bool:
    """Whether WeChat will deduct this exit's fee: the lot uses the service, the entry is NORMAL at WeChat and no
    deduction of this stay has failed yet (then the driver pays another way)."""
    if stay is None or owed is None or owed.due_fen <= 0 or owed.arrears_fen > 0 or _dispatch(tx) is None:
        return False
    if not FrictionlessSettings.of(lot.settings).enabled:
        return False
    usable = await tx.scalar(
        select(FrictionlessParking.id).where(
            FrictionlessParking.session_id == stay.id,
            FrictionlessParking.state == EntryState.NORMAL,
            FrictionlessParking.deduction_failed.is_(False),
        )
    )
    return usable is not None


def after_reading(
    tx: AsyncSession, lot: Lot, kind: EventKind, decision: Decision, session_id: int | None, lane_event_id: int
) -> None:
    """After commit: register a paying car's new stay with WeChat, or ask WeChat to deduct a held car's fee."""
    dispatch = _dispatch(tx)
    if dispatch is None or session_id is None or not FrictionlessSettings.of(lot.settings).enabled:
        return
    if kind is EventKind.ENTRY and decision.opens and decision.new_session:
        if decision.category in FREE_CATEGORIES or decision.category in PASS_CATEGORIES:
            return

        async def register() -> None:
            await dispatch.entered(session_id)

        on_commit(tx, register)
    elif kind is EventKind.EXIT and decision.reason is Reason.FRICTIONLESS:

        async def deduct() -> None:
            await dispatch.held(session_id, lane_event_id)

        on_commit(tx, deduct)
