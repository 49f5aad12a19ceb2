"""A channel's notification, end to end: verify and decrypt, then apply it to its order (or refuse it)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from parking.common.database import Database
from parking.common.errors import NotFound
from parking.payments.channels.base import Ack, NotificationKind
from parking.payments.channels.base import PaymentChannel as ChannelClient
from parking.payments.errors import AmountMismatch, NotificationRejected
from parking.payments.frictionless.entrance import entrance_changed
from parking.payments.gateway import Channels
from parking.payments.models import OrderStatus
from parking.payments.refunds import finish_refund, send_refunds
from parking.payments.settle import UnknownOrder, apply_to_order
from parking.payments.state import RefundFailed, RefundSucceeded

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Handled:
    """The answer for the channel, and what happened (for logs and tests)."""

    ack: Ack
    accepted: bool
    status: OrderStatus | None = None
    reason: str = ""


async def handle_notification(
    db: Database, channels: Channels, channel_name: str, headers: Mapping[str, str], body: bytes, now: datetime
) -> Handled | None:
    """None when the channel is not configured. A refused notification changes nothing and is answered with
    the channel's failure reply (it retries: a genuine one is then processed, a forged one never is)."""
    client = channels.client(channel_name)
    if client is None:
        return None
    try:
        # In a worker thread: RSA verification is CPU work and a shared nonce store (Redis) answers over the
        # network, and neither should hold up the event loop that serves lanes.
        note = await asyncio.to_thread(client.parse_notification, headers, body, now)
    except NotificationRejected as err:
        logger.warning("%s notification refused: %s: %s", channel_name, type(err).__name__, err)
        return Handled(client.acknowledgement(False), False, reason=type(err).__name__)
    if note.kind is NotificationKind.REFUND and isinstance(note.event, RefundSucceeded | RefundFailed):
        return await _refund(db, client, note.event, note.amount_fen, now)
    if note.kind is NotificationKind.ENTRANCE:
        known = await entrance_changed(db, note.raw, now)
        return Handled(client.acknowledgement(True), True, reason="entrance state" if known else "unknown parking")
    if note.kind is not NotificationKind.PAYMENT or note.event is None:
        # Alipay's refund echoes (its refunds finish synchronously): nothing to do.
        return Handled(client.acknowledgement(True), True, reason="not a payment event")
    try:
        applied = await apply_to_order(db, note.out_trade_no, now, note=note)
    except UnknownOrder:
        logger.warning("%s notification for unknown order %s", channel_name, note.out_trade_no)
        return Handled(client.acknowledgement(False), False, reason="UnknownOrder")
    except AmountMismatch as err:
        logger.warning("%s notification refused: %s", channel_name, err)
        return Handled(client.acknowledgement(False), False, reason="AmountMismatch")
    # A double payment's automatic refund goes out now that the payment is committed.
    await send_refunds(db, channels, applied.refunds_to_send, now)
    return Handled(client.acknowledgement(True), True, applied.status)


async def _refund(
    db: Database, client: ChannelClient, event: RefundSucceeded | RefundFailed, amount_fen: int, now: datetime
) -> Handled:
    try:
        await finish_refund(
            db,
            event.out_refund_no,
            succeeded=isinstance(event, RefundSucceeded),
            now=now,
            amount_fen=amount_fen if isinstance(event, RefundSucceeded) else None,
        )
    except (NotFound, AmountMismatch) as err:
        logger.warning("refund notification for %s refused: %s", event.out_refund_no, err)
        return Handled(client.acknowledgement(False), False, reason=type(err).__name__)
    return Handled(client.acknowledgement(True), True, reason="refund")
