"""A paid coupon pack order becomes the merchant's stock (its sale: ``coupon_pack_sales``).

When the order is paid, ``settle.carry_out`` turns it into the merchant's stock, once (``order_id`` is unique on
the stock), however many times the news of the payment arrives.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from parking.merchants.ledger import deliver_pack
from parking.merchants.models import CouponStock
from parking.payments.models import PaymentOrder


async def credit_pack(session: AsyncSession, row: PaymentOrder) -> CouponStock:
    """The paid pack order's stock (in the transaction that marks it paid)."""
    details = row.details or {}
    return await deliver_pack(
        session,
        order_id=row.id,
        out_trade_no=row.out_trade_no,
        merchant_id=int(details["merchant_id"]),
        template_id=int(details["template_id"]),
        quantity=int(details["quantity"]),
        amount_fen=row.amount_fen,
    )
