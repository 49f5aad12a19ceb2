"""A merchant buys a pack of coupons online (购券): a payment order of purpose COUPON_PURCHASE.

The order names the merchant, template and quantity in its details and costs quantity × the template's price.
It goes through the same channels as a parking payment (WeChat Pay JSAPI with the payer's openid, or a native
QR code); when it is paid, ``settle.carry_out`` turns it into the merchant's stock, once (``order_id`` is unique
on the stock), however many times the news of the payment arrives.
"""

from __future__ import annotations

import logging
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
from parking.common.scope import Scope
from parking.merchants.ledger import deliver_pack, sellable_template
from parking.merchants.models import CouponStock, Merchant
from parking.merchants.service import require_own_merchant
from parking.merchants.texts import MerchantText, text
from parking.payments.channels.base import PaymentRequest
from parking.payments.errors import ChannelError, InvalidAmount
from parking.payments.gateway import ONLINE, PAYER_SCENES, Channels
from parking.payments.ids import new_out_trade_no
from parking.payments.models import OrderStatus, PaymentChannel, PaymentOrder, PaymentPurpose
from parking.tenancy.models import Lot

logger = logging.getLogger(__name__)


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
    """The pack's order and the channel's payment: (order, JSAPI params, native QR code)."""
    if data.channel not in ONLINE:
        raise DomainError(ErrorCode.INVALID, f"{data.channel.value} is not an online channel", "channel")
    client, scene = channels.for_order(data.channel)
    if scene in PAYER_SCENES and not data.openid:
        raise DomainError(ErrorCode.INVALID, "this channel needs the payer's openid", "openid")
    async with db.transaction(actor.scope) as session:
        row = await _new_order(session, actor, data, now)
    details: dict[str, Any] = dict(row.details or {})
    description = text(MerchantText.PACK_ORDER_DESCRIPTION, name=details["template_name"], quantity=data.quantity)
    request = PaymentRequest(row.out_trade_no, row.amount_fen, description, scene, payer_id=data.openid)
    try:
        created = await client.create_payment(request)
    except (ChannelError, InvalidAmount, ValueError) as err:
        logger.warning("pack order %s not created at %s: %s", row.out_trade_no, data.channel.value, err)
        async with db.transaction(Scope.internal()) as session:
            fresh = await session.get(PaymentOrder, row.id, with_for_update=True)
            if fresh is not None and fresh.status is OrderStatus.CREATED:
                fresh.status, fresh.updated_at = OrderStatus.CLOSED, now
        raise DomainError(ErrorCode.CONFLICT, "the payment channel is unavailable, try again", "channel") from err
    params = dict(created.client_params)
    async with db.transaction(Scope.internal()) as session:
        fresh = await session.get(PaymentOrder, row.id, with_for_update=True)
        assert fresh is not None
        fresh.details = {
            **(fresh.details or {}),
            "at_channel": True,
            "client_params": params,
            "qr_code": created.qr_code,
        }
        if fresh.status is OrderStatus.CREATED:
            # A notification that came first has already made it paid: leave that.
            fresh.status = OrderStatus.PAYING
        fresh.updated_at = now
        await session.flush()
    return fresh, params, created.qr_code


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
