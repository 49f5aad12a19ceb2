"""Paying a plate's arrears (欠费) when its car is not inside: an order for the earlier stays' unpaid parking
alone (purpose ARREARS, no stay of its own), which clears them oldest first when it is paid.

A car inside pays its arrears with its stay (they are part of what the stay owes); this is for a driver, or
anyone paying on the driver's behalf (代缴), before the car comes back. The order remembers the amount it was
made for: paid when the plate still owes at least that much, the stays are cleared; when someone paid them
meanwhile, the money is a double payment and goes back (``ALREADY_SETTLED``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.lanes import context
from parking.payments.ids import new_out_trade_no
from parking.payments.models import OrderStatus, PaymentChannel, PaymentOrder, PaymentPurpose
from parking.sessions.models import ParkingSession
from parking.tenancy.models import Lot

_OPEN = (OrderStatus.CREATED, OrderStatus.PAYING)


async def open_arrears_order(
    tx: AsyncSession, lot: Lot, plate: str, channel: PaymentChannel, payer_key: str, amount_fen: int
) -> PaymentOrder | None:
    """This payer's open order for exactly these arrears: asking again returns it."""
    row: PaymentOrder | None = await tx.scalar(
        select(PaymentOrder)
        .where(
            PaymentOrder.customer_id == lot.customer_id,
            PaymentOrder.purpose == PaymentPurpose.ARREARS,
            PaymentOrder.plate == plate,
            PaymentOrder.status.in_(_OPEN),
            PaymentOrder.channel == channel,
            PaymentOrder.payer_key == payer_key,
            PaymentOrder.amount_fen == amount_fen,
        )
        .order_by(PaymentOrder.id)
        .limit(1)
        .with_for_update()
    )
    return row


async def arrears_due(tx: AsyncSession, lot: Lot, plate: str) -> int:
    """What the plate owes from earlier stays at any lot of the lot's customer."""
    return await context.arrears_of(tx, lot.customer_id, plate)


def new_arrears_order(
    lot: Lot, plate: str, amount_fen: int, channel: PaymentChannel, payer_key: str, now: datetime
) -> PaymentOrder:
    return PaymentOrder(
        agent_id=lot.agent_id,
        customer_id=lot.customer_id,
        lot_id=lot.id,
        out_trade_no=new_out_trade_no(now),
        channel=channel,
        purpose=PaymentPurpose.ARREARS,
        status=OrderStatus.CREATED,
        session_id=None,
        plate=plate,
        payer_key=payer_key,
        amount_fen=amount_fen,
        details={"arrears_fen": amount_fen, "fee_rate_ppm": lot.settings.fee_rate_ppm},
    )


async def clear_arrears(tx: AsyncSession, row: PaymentOrder) -> bool:
    """Clear the plate's arrears with the order's money, oldest stay first; False (nothing changed) when the
    plate no longer owes the whole amount: another payment got there first."""
    stays = list(
        await tx.scalars(
            select(ParkingSession)
            .where(
                ParkingSession.customer_id == row.customer_id,
                ParkingSession.plate == row.plate,
                ParkingSession.arrears_fen > 0,
            )
            .order_by(ParkingSession.id)
            .with_for_update()
        )
    )
    if sum(stay.arrears_fen for stay in stays) < row.amount_fen:
        return False
    left = row.amount_fen
    for stay in stays:
        taken = min(left, stay.arrears_fen)
        stay.arrears_fen -= taken
        left -= taken
    await tx.flush()
    return True
