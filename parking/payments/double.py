"""Money that reached an order but must not be credited to its stay: marked on the order, a finance alarm,
and a refund of it (sent at once, or waiting for an approver: the lot's ``double_payment_auto_refund``)."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from parking.alarms.models import AlarmKind
from parking.alarms.service import LotRef, raise_alarm
from parking.payments import texts
from parking.payments.amounts import fen_to_yuan
from parking.payments.ids import new_out_refund_no
from parking.payments.models import PaymentOrder, Refund, RefundStatus
from parking.payments.state import DoublePayment
from parking.tenancy.models import Lot

logger = logging.getLogger(__name__)


async def record_double_payment(
    tx: AsyncSession, row: PaymentOrder, reason: DoublePayment, transaction_id: str, amount_fen: int, now: datetime
) -> str | None:
    """Record it in the caller's transaction; the out_refund_no to send after commit when the refund is
    automatic, else None (it waits for an approver, or needs a human)."""
    logger.warning("double payment on %s: %s (%s, %s fen)", row.out_trade_no, reason.value, transaction_id, amount_fen)
    await tx.execute(
        update(PaymentOrder)
        .where(PaymentOrder.id == row.id)
        .values(double_payment=reason, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    refund: Refund | None = None
    # A second transaction on one order cannot be refunded by the order's number (that refunds the first,
    # credited one): an operator handles it at the channel.
    if reason is not DoublePayment.SECOND_TRANSACTION and amount_fen > 0:
        lot = await tx.get(Lot, row.lot_id)
        automatic = lot is not None and lot.settings.double_payment_auto_refund
        refund = Refund(
            agent_id=row.agent_id,
            customer_id=row.customer_id,
            lot_id=row.lot_id,
            order_id=row.id,
            out_refund_no=new_out_refund_no(now),
            amount_fen=amount_fen,
            reason=texts.DOUBLE_PAYMENT_REFUND[reason],
            status=RefundStatus.APPROVED if automatic else RefundStatus.REQUESTED,
        )
        tx.add(refund)
        await tx.flush()
    if refund is None:
        action = texts.REFUND_BY_HAND
    else:
        action = texts.REFUND_SENT if refund.status is RefundStatus.APPROVED else texts.REFUND_WAITS
    message = texts.double_payment_alarm(fen_to_yuan(amount_fen), row.out_trade_no, action)
    await raise_alarm(
        tx,
        LotRef.of(row),
        AlarmKind.DOUBLE_PAYMENT,
        message,
        now=now,
        session_id=row.session_id,
        plate=row.plate,
        details={
            "out_trade_no": row.out_trade_no,
            "reason": reason.value,
            "transaction_id": transaction_id,
            "amount_fen": amount_fen,
            "out_refund_no": refund.out_refund_no if refund is not None else "",
        },
    )
    return refund.out_refund_no if refund is not None and refund.status is RefundStatus.APPROVED else None
