"""Wires entry and payment notifications into the app: to Dramatiq with Redis, else to tasks in this process."""

from __future__ import annotations

from config.settings import Settings
from parking.common.database import Database
from parking.lanes.ports import LaneEventRecorded
from parking.payments.config import MiniProgramConfig
from parking.payments.events import StayPaymentCredited
from parking.payments.messages.dispatch import InProcessMessages
from parking.payments.messages.hooks import SERVICE, MessageDispatch, after_lane_event, after_stay_paid
from parking.payments.miniprogram import MiniProgramClient


class DramatiqMessages:
    """Queues each job for the ``notifications`` queue (workers/notifications.py) through the outbox
    (workers/jobs.py)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def entered(self, session_id: int) -> None:
        from workers.jobs import send_after_commit
        from workers.notifications import send_entry_notification

        await send_after_commit(self._db, send_entry_notification, session_id)

    async def paid(self, order_id: int) -> None:
        from workers.jobs import send_after_commit
        from workers.notifications import send_paid_notification

        await send_after_commit(self._db, send_paid_notification, order_id)


def install_messages(
    db: Database, settings: Settings, client: MiniProgramClient | None = None
) -> MessageDispatch | None:
    """Nothing without mini-program credentials: then no stay is handed on."""
    db.handlers.on(LaneEventRecorded, after_lane_event)
    db.handlers.on(StayPaymentCredited, after_stay_paid)
    if not settings.wechat_appid:
        db.services.pop(SERVICE)
        return None
    dispatch: MessageDispatch
    if settings.redis_url:
        dispatch = DramatiqMessages(db)
    else:
        client = client or MiniProgramClient(
            MiniProgramConfig(settings.wechat_appid, settings.wechat_secret, settings.wechat_api_url)
        )
        dispatch = InProcessMessages(db, client)
    db.services[SERVICE] = dispatch
    return dispatch
