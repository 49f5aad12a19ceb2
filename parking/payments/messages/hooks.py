"""Where a new stay reaches the entry notification: ``after_lane_event`` handles the lane flow's
``LaneEventRecorded`` after commit (registered by the composition root) through the dispatch under ``SERVICE``;
``after_stay_paid`` hands a credited payment (``StayPaymentCredited``) to the payment notification the same way.

No query here: the lot (with its payment settings) is already loaded, and the gate decision never waits on WeChat.
"""

from __future__ import annotations

from typing import Protocol

from parking.common.services import ServiceKey, Services
from parking.lanes.ports import LaneEventRecorded
from parking.payments.events import StayPaymentCredited
from parking.payments.messages.entry import notifies_entries
from parking.sessions.enums import EventKind


class MessageDispatch(Protocol):
    """Runs (or queues) the sending; it must be safe to run twice."""

    async def entered(self, session_id: int) -> None: ...

    async def paid(self, order_id: int) -> None: ...


SERVICE = ServiceKey[MessageDispatch]("driver_messages")


async def after_lane_event(event: LaneEventRecorded, services: Services) -> None:
    dispatch = services.get(SERVICE)
    if dispatch is None or event.session_id is None or event.kind is not EventKind.ENTRY:
        return
    if not event.decision.new_session or not notifies_entries(event.lot):
        return
    await dispatch.entered(event.session_id)


async def after_stay_paid(event: StayPaymentCredited, services: Services) -> None:
    """A paid order credited to its stay: its payment notification (sent only to a bound plate's driver)."""
    dispatch = services.get(SERVICE)
    if dispatch is not None:
        await dispatch.paid(event.order_id)
