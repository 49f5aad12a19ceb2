"""When an account has proven that it drives a plate (docs/miniprogram-api.md, "Proof").

Proof is money the account paid for the plate itself, with its own openid as the WeChat payer:
- a paid order of a stay of the plate (parking at the exit, prepaid in the lot, or the plate's arrears); or
- a paid order of the plate's pass (bought or renewed): holding the pass is having paid for it.

Orders paid on behalf of a plate (代缴, ``on_behalf``) never prove anything: their payer said they are not its
driver. Refunds do not take proof away: the account did pay once. A binding alone proves nothing (anyone can
bind a plate nobody else holds), so the history of a plate stays hidden from a mere binder.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.payments.models import PaymentOrder, PaymentPurpose

PROVING_PURPOSES = frozenset(
    {
        PaymentPurpose.PARKING_EXIT,
        PaymentPurpose.PARKING_PREPAY,
        PaymentPurpose.ARREARS,
        PaymentPurpose.PASS_PURCHASE,
        PaymentPurpose.PASS_RENEWAL,
    }
)


async def proven_plates(session: AsyncSession, openid: str, plates: Collection[str]) -> set[str]:
    """Which of ``plates`` the account has proven it drives (one query)."""
    if not plates or not openid:
        return set()
    rows = await session.scalars(
        select(PaymentOrder.plate)
        .where(
            PaymentOrder.payer_key == openid,
            PaymentOrder.plate.in_(list(plates)),
            PaymentOrder.paid_at.is_not(None),
            PaymentOrder.on_behalf.is_(False),
            PaymentOrder.purpose.in_(PROVING_PURPOSES),
        )
        .distinct()
    )
    return set(rows)
