"""Where the lane flow hands a new stay to the entry notification: after commit, through ``Database.services``.

No query here: the lot (with its payment settings) is already loaded, and the gate decision never waits on WeChat.
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from parking.common.events import on_commit
from parking.lanes.decisions import Decision
from parking.payments.messages.entry import notifies_entries
from parking.sessions.enums import EventKind
from parking.tenancy.models import Lot

SERVICE = "driver_messages"


class MessageDispatch(Protocol):
    """Runs (or queues) the sending; it must be safe to run twice."""

    async def entered(self, session_id: int) -> None: ...


def after_reading(tx: AsyncSession, lot: Lot, kind: EventKind, decision: Decision, session_id: int | None) -> None:
    dispatch: MessageDispatch | None = tx.info.get("services", {}).get(SERVICE)
    if dispatch is None or session_id is None or kind is not EventKind.ENTRY or not decision.new_session:
        return
    if not notifies_entries(lot):
        return

    async def notify() -> None:
        await dispatch.entered(session_id)

    on_commit(tx, notify)
