"""What the lane flow tells the packages above it, and the one question it asks them, without importing them.

After commit the flow announces each recorded reading as ``LaneEventRecorded`` (recognition queues the picture,
payments register or deduct a frictionless stay and notify the driver); the composition root registers those
handlers. Before the exit decision it asks ``deducts_at_exit``: whether a payment channel will take this exit's
fee (WeChat frictionless parking), answered by whatever the composition root installed under
``EXIT_DEDUCTION`` (nothing installed: no).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from parking.common.domain_events import DomainEvent
from parking.common.services import ServiceKey, services_of
from parking.lanes.decisions import Decision
from parking.sessions.billing import Bill
from parking.sessions.enums import EventKind
from parking.sessions.models import ParkingSession
from parking.tenancy.models import Lot


@dataclass(frozen=True, slots=True)
class LaneEventRecorded(DomainEvent):
    """A reading was decided and recorded. The lot is the one the decision loaded (with its payment settings),
    so no handler needs a query to tell whether it has anything to do."""

    lot: Lot
    lane_id: int
    lane_event_id: int
    kind: EventKind
    decision: Decision
    session_id: int | None
    image_ref: str


#: ``(tx, lot, open stay, its bill)`` -> whether a payment channel deducts the fee at this exit (the car is held
#: for it); it may read, in the decision's transaction, and must never wait on a payment channel.
ExitDeduction = Callable[[AsyncSession, Lot, ParkingSession | None, Bill | None], Awaitable[bool]]
EXIT_DEDUCTION = ServiceKey[ExitDeduction]("exit_deduction")


async def deducts_at_exit(tx: AsyncSession, lot: Lot, stay: ParkingSession | None, owed: Bill | None) -> bool:
    check = services_of(tx).get(EXIT_DEDUCTION)
    return check is not None and await check(tx, lot, stay, owed)
