"""A pass renewed at the desk (续费) is revenue: the renewal is paired with a paid order of purpose PASS_RENEWAL.

The vehicles domain moves the pass's end and keeps the renewal (``vehicles.service.renew_pass``); it cannot know
payment orders (a lower layer). This use-case does both in one transaction, so the money the desk took appears
in settlement statements, revenue and the reports like a renewal paid online (``pass_sales``). The channel is
the renewal's method when it names one (``cash``, ``wallet``...), else the booth's (money taken at the desk).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.common.actor import Actor
from parking.payments.ids import new_out_trade_no
from parking.payments.models import OrderStatus, PaymentChannel, PaymentOrder, PaymentPurpose
from parking.vehicles import inputs
from parking.vehicles.models import Pass, PassRenewal
from parking.vehicles.service import renew_pass

# Methods a desk names that are not channel values themselves.
_METHODS = {"wechat": PaymentChannel.WECHAT_NATIVE, "alipay": PaymentChannel.ALIPAY_QR}


def renewal_channel(method: str) -> PaymentChannel:
    if method in PaymentChannel.__members__.values():
        return PaymentChannel(method)
    return _METHODS.get(method, PaymentChannel.BOOTH)


async def renew_pass_paid(
    session: AsyncSession, actor: Actor, pass_id: str, data: inputs.PassRenew, *, now: datetime
) -> Pass:
    """Renew the pass and record what was paid for it as a paid order (none for a free product)."""
    pass_ = await renew_pass(session, actor, pass_id, data, now=now)
    renewal = await session.scalar(
        select(PassRenewal).where(PassRenewal.pass_id == pass_.id).order_by(PassRenewal.id.desc()).limit(1)
    )
    if renewal is None or renewal.amount_fen <= 0:
        return pass_
    order = PaymentOrder(
        agent_id=renewal.agent_id,
        customer_id=renewal.customer_id,
        lot_id=renewal.lot_id,
        out_trade_no=new_out_trade_no(now),
        channel=renewal_channel(renewal.method),
        purpose=PaymentPurpose.PASS_RENEWAL,
        status=OrderStatus.PAID,
        session_id=None,
        pass_id=pass_.id,
        amount_fen=renewal.amount_fen,
        paid_at=now,
        operator_id=actor.operator_id,
        details={"renewal_id": renewal.id, "method": renewal.method, "periods": renewal.periods},
    )
    session.add(order)
    await session.flush()
    renewal.payment_order_id = order.id
    return pass_
