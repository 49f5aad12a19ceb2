"""Reading invoices back and refunding an order through the payments' own use-case."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from parking.common.scope import Scope
from parking.invoices.models import Invoice, InvoiceOrder
from parking.payments.models import PaymentOrder, Refund, RefundStatus
from parking.payments.refunds import finish_refund
from tests.invoices.conftest import Invoicing


async def invoice(ctx: Invoicing, invoice_id: int | str) -> Invoice:
    async with ctx.db.session(Scope.internal()) as s:
        row = await s.get(Invoice, int(invoice_id))
        assert row is not None
        return row


async def invoice_count(ctx: Invoicing) -> int:
    async with ctx.db.session(Scope.internal()) as s:
        return len(list(await s.scalars(select(Invoice.id))))


async def linked_orders(ctx: Invoicing) -> list[int]:
    async with ctx.db.session(Scope.internal()) as s:
        return sorted(await s.scalars(select(InvoiceOrder.order_id)))


async def refund(ctx: Invoicing, order_id: int, fen: int) -> None:
    """A refund the channel confirmed: the payments' ``finish_refund``, whose commit sets off the reversal."""
    now = datetime.now(UTC)
    async with ctx.db.transaction(Scope.internal()) as s:
        order = await s.get(PaymentOrder, order_id)
        assert order is not None
        s.add(
            Refund(
                agent_id=order.agent_id,
                customer_id=order.customer_id,
                lot_id=order.lot_id,
                order_id=order.id,
                out_refund_no=f"R{order_id:030d}",
                amount_fen=fen,
                reason="多收费",
                status=RefundStatus.PROCESSING,
            )
        )
    assert await finish_refund(ctx.db, f"R{order_id:030d}", succeeded=True, now=now)
