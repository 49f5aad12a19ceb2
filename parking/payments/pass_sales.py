"""Off-peak rental (错时停车) sold online: the products on sale with the spaces left, and buying one.

Buying makes a payment order that holds a space (``pass_orders``) and then the channel's payment, expiring with
the hold. A plate that already holds the product renews it (PASS_RENEWAL: one period from the pass's end);
otherwise the buyer picks the first day (PASS_PURCHASE). The pass is made when the order is paid (``settle``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.common.database import Database
from parking.common.errors import DomainError, ErrorCode, NotFound
from parking.common.scope import Scope
from parking.payments import texts
from parking.payments.gateway import Channels
from parking.payments.ids import new_out_trade_no
from parking.payments.models import OrderStatus, PaymentChannel, PaymentOrder, PaymentPurpose
from parking.payments.pass_orders import (
    HOLD,
    PASS_PURPOSES,
    left_of,
    lock_product,
    order_details,
    ordered_period,
    spaces_taken,
)
from parking.payments.service import PaymentStart, check_online, hand_to_channel
from parking.plates import InvalidPlate, normalize_plate
from parking.tenancy.models import Lot
from parking.vehicles.models import PassProduct
from parking.vehicles.offpeak import Period, held_pass, period_after, period_from_day

logger = logging.getLogger(__name__)

# How far ahead a buyer may start a pass: the quota is counted per period, a month ahead is plenty.
MAX_DAYS_AHEAD = 31


@dataclass(frozen=True)
class OnSale:
    """A product on sale, the period a buyer starting on the asked day gets, and the spaces left then."""

    product: PassProduct
    period: Period
    spaces_left: int | None


@dataclass(frozen=True)
class Reserved:
    order: PaymentOrder
    reused: bool  # the buyer's own open order for the same product and period
    product_name: str


def local_today(timezone: str, now: datetime) -> date:
    return now.astimezone(ZoneInfo(timezone)).date()


async def on_sale(session: AsyncSession, lot_id: int, starts_on: date | None, now: datetime) -> list[OnSale]:
    """The lot's active products sold online, each with its spaces left over the period from ``starts_on``
    (today in the lot's time zone when not given); three queries whatever the number of products."""
    lot = await session.get(Lot, lot_id)
    if lot is None:
        raise NotFound("lot", "lotId")
    day = starts_on or local_today(lot.timezone, now)
    products = list(
        await session.scalars(
            select(PassProduct)
            .where(PassProduct.lot_id == lot.id, PassProduct.is_active.is_(True), PassProduct.sold_online.is_(True))
            .order_by(PassProduct.id)
        )
    )
    periods = {p.id: (p, period_from_day(p, day, lot.timezone)) for p in products}
    taken = await spaces_taken(session, periods, now)
    return [OnSale(p, period, left_of(p, taken[p.id])) for p, period in periods.values()]


def _plate(raw: str) -> str:
    try:
        return normalize_plate(raw)
    except InvalidPlate as err:
        raise DomainError(ErrorCode.INVALID, f"not a plate: {raw[:20]!r}", "plate") from err


def _start_day(lot: Lot, starts_on: date, now: datetime) -> date:
    today = local_today(lot.timezone, now)
    if not today <= starts_on <= today + timedelta(days=MAX_DAYS_AHEAD):
        raise DomainError(ErrorCode.INVALID, texts.pass_start_day(MAX_DAYS_AHEAD), "startsOn")
    return starts_on


async def _reusable(
    tx: AsyncSession,
    product: PassProduct,
    plate: str,
    channel: PaymentChannel,
    payer_key: str,
    period: Period,
    now: datetime,
) -> PaymentOrder | None:
    """This buyer's own open order for the same product and period, still holding its space: asking again
    (a retried request, a reloaded page) returns it instead of holding a second space."""
    rows = await tx.scalars(
        select(PaymentOrder).where(
            PaymentOrder.lot_id == product.lot_id,
            PaymentOrder.purpose.in_(PASS_PURPOSES),
            PaymentOrder.status.in_((OrderStatus.CREATED, OrderStatus.PAYING)),
            PaymentOrder.created_at > now - HOLD,
            PaymentOrder.plate == plate,
            PaymentOrder.channel == channel,
            PaymentOrder.payer_key == payer_key,
        )
    )
    for row in rows:
        details = row.details or {}
        if details.get("product_id") == product.id and ordered_period(details) == period:
            return row
    return None


async def reserve_pass_order(
    db: Database,
    scope: Scope,
    product_id: int,
    raw_plate: str,
    starts_on: date,
    channel: PaymentChannel,
    payer_key: str,
    now: datetime,
) -> Reserved:
    """The order that holds a space of the product for the plate (or this buyer's open one for it), made
    under the product's row lock; CONFLICT when the period is sold out."""
    plate = _plate(raw_plate)
    async with db.transaction(scope) as tx:
        product = await lock_product(tx, product_id)
        if product is None or not product.is_active or not product.sold_online:
            raise NotFound("pass product", "productId")
        lot = await tx.get(Lot, product.lot_id)
        assert lot is not None
        held = await held_pass(tx, product.id, lot.id, plate, now)
        if held is not None:
            purpose, period = PaymentPurpose.PASS_RENEWAL, period_after(product, held.ends_at, lot.timezone)
        else:
            purpose = PaymentPurpose.PASS_PURCHASE
            period = period_from_day(product, _start_day(lot, starts_on, now), lot.timezone)
        existing = await _reusable(tx, product, plate, channel, payer_key, period, now)
        if existing is not None:
            return Reserved(existing, True, product.name)
        if product.quota is not None:
            taken = await spaces_taken(tx, {product.id: (product, period)}, now)
            if taken[product.id] >= product.quota:
                raise DomainError(ErrorCode.CONFLICT, texts.PASS_SOLD_OUT, "productId")
        row = PaymentOrder(
            agent_id=product.agent_id,
            customer_id=product.customer_id,
            lot_id=product.lot_id,
            out_trade_no=new_out_trade_no(now),
            channel=channel,
            purpose=purpose,
            status=OrderStatus.CREATED,
            session_id=None,
            pass_id=held.id if held is not None else None,
            plate=plate,
            payer_key=payer_key,
            amount_fen=product.price_fen,
            details=order_details(product, period, lot.settings.fee_rate_ppm, now),
            created_at=now,
        )
        tx.add(row)
        await tx.flush()
        logger.info("pass order %s holds a space of product %s for %s", row.out_trade_no, product.id, plate)
        return Reserved(row, False, product.name)


async def buy_pass(
    db: Database,
    channels: Channels,
    scope: Scope,
    product_id: int,
    plate: str,
    starts_on: date,
    channel: PaymentChannel,
    now: datetime,
    *,
    payer_id: str | None = None,
) -> PaymentStart:
    """Hold a space and start its payment (JSAPI params or a QR code), expiring with the hold."""
    check_online(channels, channel, payer_id, "openid")
    held = await reserve_pass_order(db, scope, product_id, plate, starts_on, channel, payer_id or "", now)
    row = held.order
    hold_until = datetime.fromisoformat(row.details["hold_until"])
    description = texts.pass_for(held.product_name, row.plate)
    return await hand_to_channel(
        db, channels, row, held.reused, description, now, payer_id=payer_id, expires_at=hold_until
    )
