"""A merchant buys a pack of coupons online (购券): the order of purpose COUPON_PURCHASE and its channel payment.

The order names the merchant, template and quantity in its details and costs quantity × the template's price.
It goes through the same channels as a parking payment (WeChat Pay JSAPI with the payer's openid, or a native
QR code). Paying it is ``coupon_packs.credit_pack``'s (called by ``settle.carry_out``): kept apart so settling
does not import the payment start (which imports refunds, which import settling).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints
from sqlalchemy.ext.asyncio import AsyncSession

from parking.common import crud
from parking.common.actor import Actor
from parking.common.audit import record, snapshot
from parking.common.database import Database
from parking.common.errors import DomainError, ErrorCode
from parking.common.inputs import Id
from parking.merchants.ledger import sellable_template
from parking.merchants.models import Merchant
from parking.merchants.service import require_own_merchant
from parking.merchants.texts import MerchantText, text
from parking.payments.gateway import Channels
from parking.payments.ids import new_out_trade_no
from parking.payments.models import OrderStatus, PaymentChannel, PaymentOrder, PaymentPurpose
from parking.payments.service import check_online, hand_to_channel
from parking.tenancy.models import Lot


class PackBuy(BaseModel):
    merchant_id: Id
    template_id: Id
    quantity: Annotated[int, Field(ge=1, le=10_000)]
    channel: PaymentChannel
    openid: Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)] | None = None


async def _new_order(session: AsyncSession, actor: Actor, data: PackBuy, now: datetime) -> PaymentOrder:
    require_own_merchant(actor, crud.parse_id(data.merchant_id, "merchantId"))
    merchant = await crud.get(session, Merchant, data.merchant_id, "merchantId")
    template = await sellable_template(session, merchant, data.template_id, now)
    if template.price_fen <= 0:
        raise DomainError(ErrorCode.INVALID, text(MerchantText.TEMPLATE_NOT_FOR_SALE), "templateId")
    lot = await crud.get(session, Lot, template.lot_id, "templateId")
    row = PaymentOrder(
        agent_id=template.agent_id,
        customer_id=template.customer_id,
        lot_id=template.lot_id,
        out_trade_no=new_out_trade_no(now),
        channel=data.channel,
        purpose=PaymentPurpose.COUPON_PURCHASE,
        status=OrderStatus.CREATED,
        session_id=None,
        payer_key=data.openid or "",
        amount_fen=data.quantity * template.price_fen,
        details={
            "merchant_id": merchant.id,
            "template_id": template.id,
            "template_name": template.name,
            "quantity": data.quantity,
            "bought_by_id": actor.operator_id,
            "fee_rate_ppm": lot.settings.fee_rate_ppm,
        },
    )
    session.add(row)
    await session.flush()
    record(session, actor, "coupon_pack.order", "payment_order", entity_id=row.id, after=snapshot(row), tenant=row)
    return row


async def start_pack_purchase(
    db: Database, channels: Channels, actor: Actor, data: PackBuy, now: datetime
) -> tuple[PaymentOrder, dict[str, str], str | None]:
    """The pack's order and the channel's payment: (order, JSAPI params, native QR code). The channel half is the
    parking payment's (``service.hand_to_channel``): a channel that fails closes the order."""
    check_online(channels, data.channel, data.openid, "openid")
    async with db.transaction(actor.scope) as session:
        row = await _new_order(session, actor, data, now)
    details: dict[str, Any] = dict(row.details or {})
    description = text(MerchantText.PACK_ORDER_DESCRIPTION, name=details["template_name"], quantity=data.quantity)
    started = await hand_to_channel(db, channels, row, False, description, now, payer_id=data.openid)
    return started.order, started.client_params, started.qr_code
