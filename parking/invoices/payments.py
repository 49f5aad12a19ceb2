"""What a driver may invoice now: their own paid payments (paid by their WeChat account) in lots that issue
invoices, not refunded, not on a standing invoice and within the lot's deadline."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.invoices.models import InvoiceOrder, LotInvoiceSettings
from parking.payments.models import OrderStatus, PaymentOrder


def invoiceable_orders(openid: str) -> Select[Any]:
    """The driver's paid orders in invoicing lots, not refunded and on no standing invoice (the deadline, a lot
    setting, is applied to each page by ``within_deadline``)."""
    invoicing = select(LotInvoiceSettings.lot_id).where(LotInvoiceSettings.enabled.is_(True))
    return select(PaymentOrder).where(
        PaymentOrder.payer_key == openid,
        PaymentOrder.status == OrderStatus.PAID,
        PaymentOrder.refunded_fen == 0,
        PaymentOrder.double_payment.is_(None),
        PaymentOrder.amount_fen > 0,
        PaymentOrder.paid_at.is_not(None),
        PaymentOrder.lot_id.in_(invoicing),
        ~exists().where(InvoiceOrder.order_id == PaymentOrder.id),
    )


async def within_deadline(
    session: AsyncSession, orders: Sequence[PaymentOrder], now: datetime
) -> list[tuple[PaymentOrder, datetime]]:
    """The page's orders still within their lot's deadline, each with the last moment it may be invoiced."""
    lot_ids = {o.lot_id for o in orders}
    rows = await session.execute(
        select(LotInvoiceSettings.lot_id, LotInvoiceSettings.deadline_days).where(
            LotInvoiceSettings.lot_id.in_(lot_ids)
        )
    )
    days: dict[int, int] = dict(rows.all())
    result = []
    for order in orders:
        assert order.paid_at is not None  # the query keeps paid orders only
        until = order.paid_at + timedelta(days=days.get(order.lot_id, 0))
        if until >= now:
            result.append((order, until))
    return result
