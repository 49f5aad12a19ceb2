"""The payment-status subscription for the payer's device: the order now, then each change until it is final.

Who may subscribe: the driver whose mini-program login (driver token) paid with this order (the order's payer
openid), or an operator with ``finance.view`` whose scope holds the order's lot. Anyone else is refused; the
public ``paymentStatus`` query stays the fallback for QR payers who have no driver login.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator
from typing import cast

import strawberry

from parking.accounts.permissions import Perm
from parking.common.errors import NotFound, PermissionDenied
from parking.common.events import payments_topic
from parking.common.scope import Scope
from parking.payments.models import OrderStatus, PaymentOrder
from parking.payments.service import order_by_number
from schema.core.context import Context, Info
from schema.core.permissions import describe
from schema.live.watch import Events, Stream, listening
from schema.payments.types import PaymentOrderType

# After these the payer's device has its answer; a later refund is not its business.
FINAL = frozenset({OrderStatus.PAID, OrderStatus.FAILED, OrderStatus.CLOSED, OrderStatus.PARTLY_REFUNDED,
                   OrderStatus.REFUNDED})  # fmt: skip


async def _load(ctx: Context, out_trade_no: str) -> PaymentOrder | None:
    # A short session per read: a subscription lasts minutes and must not pin a connection.
    async with ctx.db.session(Scope.internal()) as session:
        return await order_by_number(session, out_trade_no)


def _check_access(ctx: Context, order: PaymentOrder | None) -> PaymentOrder:
    driver = ctx.driver_openid
    if driver is not None and order is not None and order.payer_key and order.payer_key == driver:
        return order
    actor = ctx.actor
    if actor is None or not actor.can(Perm.FINANCE_VIEW):
        raise PermissionDenied(Perm.FINANCE_VIEW)
    # An order outside the operator's scope reads as missing, like one that does not exist.
    if order is None or not actor.scope.covers(
        agent_id=order.agent_id, customer_id=order.customer_id, lot_id=order.lot_id
    ):
        raise NotFound("PaymentOrder", "outTradeNo")
    return order


@strawberry.type
class PaymentsSubscription:
    @strawberry.subscription(
        name="paymentStatus",
        description=describe(
            "An order's status now, then each change, ending once the order is paid, failed or closed. For the "
            "driver holding the payer's driver token, or an operator in the order's scope.",
            Perm.FINANCE_VIEW,
        ),
    )
    async def payment_status_changes(self, info: Info, out_trade_no: str) -> AsyncIterator[PaymentOrderType]:
        ctx = info.context
        number = out_trade_no[:32]
        # Checked before the stream starts, so a refusal is a coded error message, not an error in a result.
        _check_access(ctx, await _load(ctx, number))
        return await _follow(ctx, number)


async def _follow(ctx: Context, number: str) -> Stream[PaymentOrderType]:
    async def changes(events: Events) -> AsyncGenerator[PaymentOrderType, None]:
        # Listening already, then read: a payment committed in between is seen by the read or arrives as an event.
        order = await _load(ctx, number)
        assert order is not None  # orders are never deleted
        yield cast(PaymentOrderType, order)
        if order.status in FINAL:
            return
        async for _topic, _payload in events:
            order = await _load(ctx, number)
            assert order is not None
            yield cast(PaymentOrderType, order)
            if order.status in FINAL:
                return

    return await listening(ctx, [payments_topic(number)], changes)
