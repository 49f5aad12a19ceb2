"""Pay on behalf (代缴): whether the payer of an order is someone other than the plate's driver.

We keep no driver accounts with bound plates, so "the plate's driver" is whom the payer has shown to be: a
payer who came with a stay token (handed to whoever scanned the code of the lane the car stands at) is at the
car; a payer whose openid has paid this plate before as its driver is its driver again. Anyone else, or a payer
who says so, pays on behalf: the order is marked ``on_behalf`` and keeps the payer's note, and its openid is
never taken as the plate's driver (frictionless lookups, driver messages).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.payments.models import OrderStatus, PaymentOrder

# Orders whose money came: the payer did pay for the plate.
_PAID = (OrderStatus.PAID, OrderStatus.PARTLY_REFUNDED, OrderStatus.REFUNDED)
NOTE_MAX = 100


def payer_note(raw: str | None) -> str:
    """The note as stored: printable text only (no control characters), trimmed, at most 100 characters."""
    if not raw:
        return ""
    return "".join(ch for ch in raw if ch.isprintable()).strip()[:NOTE_MAX]


async def paid_as_driver(tx: AsyncSession, customer_id: int, plate: str, payer_key: str) -> bool:
    """Whether this payer has paid for this plate before, not on behalf of someone else."""
    found = await tx.scalar(
        select(PaymentOrder.id)
        .where(
            PaymentOrder.customer_id == customer_id,
            PaymentOrder.plate == plate,
            PaymentOrder.payer_key == payer_key,
            PaymentOrder.on_behalf.is_(False),
            PaymentOrder.status.in_(_PAID),
        )
        .limit(1)
    )
    return found is not None


async def is_on_behalf(
    tx: AsyncSession, customer_id: int, plate: str, payer_key: str, *, claimed: bool, at_the_car: bool
) -> bool:
    """``claimed``: the payer said so. ``at_the_car``: the payer named the stay by a stay token. A payer
    without an id (a QR code shown at a booth) is not known to be anyone else."""
    if claimed:
        return True
    if at_the_car or not payer_key:
        return False
    return not await paid_as_driver(tx, customer_id, plate, payer_key)
