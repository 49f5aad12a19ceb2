"""Orders for passes bought online: the spaces they hold against a product's quota, and the pass a paid one gives.

A product with a quota sells at most ``quota`` spaces per period. What takes a space over a period: the active
passes of the product that overlap it, and the open orders for it made within ``HOLD`` (a buyer at the payment
page). Both are counted under the product's row lock (``SELECT ... FOR UPDATE``), in the transaction that adds
the order, so concurrent buyers queue on the row and never oversell. The channel's order expires with the hold,
so a buyer cannot pay for a space the hold no longer keeps; a payment that still arrives when the period is full
(a notification late beyond the hold) gives no pass and is refunded (``DoublePayment.SOLD_OUT``).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from parking.payments.models import OrderStatus, PaymentOrder, PaymentPurpose
from parking.tenancy.models import Lot
from parking.vehicles.models import Pass, PassProduct
from parking.vehicles.offpeak import (
    Period,
    create_bought_pass,
    extend_bought_pass,
    passes_within,
    period_after,
    vehicle_for,
)

# How long an unpaid order keeps its space; the channel's order expires at the same time.
HOLD = timedelta(minutes=15)
PASS_PURPOSES = (PaymentPurpose.PASS_PURCHASE, PaymentPurpose.PASS_RENEWAL)
_OPEN = (OrderStatus.CREATED, OrderStatus.PAYING)


async def lock_product(tx: AsyncSession, product_id: int) -> PassProduct | None:
    """The product under a row lock: every count of its spaces and every order for it queue here."""
    product: PassProduct | None = await tx.scalar(
        select(PassProduct).where(PassProduct.id == product_id).with_for_update()
    )
    return product


def order_details(product: PassProduct, period: Period, fee_rate_ppm: int, now: datetime) -> dict[str, Any]:
    """What a pass order remembers: the product, the period it buys, and until when it holds the space."""
    return {
        "product_id": product.id,
        "starts_at": period.starts_at.isoformat(),
        "ends_at": period.ends_at.isoformat(),
        "hold_until": (now + HOLD).isoformat(),
        "fee_rate_ppm": fee_rate_ppm,
    }


def ordered_period(details: dict[str, Any]) -> Period:
    return Period(datetime.fromisoformat(details["starts_at"]), datetime.fromisoformat(details["ends_at"]))


async def _holding_orders(tx: AsyncSession, lot_ids: set[int], now: datetime) -> list[PaymentOrder]:
    """Open pass orders of these lots made within the hold (one query: the few of the last minutes)."""
    rows = await tx.scalars(
        select(PaymentOrder).where(
            PaymentOrder.lot_id.in_(lot_ids),
            PaymentOrder.purpose.in_(PASS_PURPOSES),
            PaymentOrder.status.in_(_OPEN),
            PaymentOrder.created_at > now - HOLD,
        )
    )
    return list(rows)


async def spaces_taken(
    tx: AsyncSession,
    periods: dict[int, tuple[PassProduct, Period]],
    now: datetime,
    *,
    except_order: int | None = None,
    except_pass: int | None = None,
) -> dict[int, int]:
    """Per product id, the spaces taken over its period: overlapping passes and holding orders (two queries
    whatever the number of products)."""
    if not periods:
        return {}
    span = Period(
        min(period.starts_at for _, period in periods.values()),
        max(period.ends_at for _, period in periods.values()),
    )
    taken = dict.fromkeys(periods, 0)
    for sold in await passes_within(tx, list(periods), span):
        if sold.id != except_pass and sold.period.overlaps(periods[sold.product_id][1]):
            taken[sold.product_id] += 1
    for row in await _holding_orders(tx, {product.lot_id for product, _ in periods.values()}, now):
        product_id = int((row.details or {}).get("product_id", 0))
        counted = row.id != except_order and product_id in periods
        if counted and ordered_period(row.details).overlaps(periods[product_id][1]):
            taken[product_id] += 1
    return taken


def left_of(product: PassProduct, taken: int) -> int | None:
    """Spaces still for sale; None when the product has no quota."""
    return None if product.quota is None else max(0, product.quota - taken)


async def grant_paid_pass(tx: AsyncSession, row: PaymentOrder, now: datetime) -> Pass | None:
    """The pass a paid order buys: a new one for the ordered period, or the renewed one extended by a period
    from its end. None when the period is full (the space's hold ran out before the money came): the caller
    refunds. Runs once per order: the state machine credits a payment only once."""
    details = row.details or {}
    product = await lock_product(tx, int(details["product_id"]))
    assert product is not None, "a product with orders is never deleted (RESTRICT)"
    renewed = await tx.get(Pass, row.pass_id, with_for_update=True) if row.pass_id is not None else None
    if renewed is not None:
        lot = await tx.get(Lot, product.lot_id)
        assert lot is not None
        # Extended from its end now: a renewal paid twice (two orders) adds two periods, as it was paid.
        period = period_after(product, max(renewed.ends_at, now), lot.timezone)
    else:
        period = ordered_period(details)
    if product.quota is not None:
        taken = await spaces_taken(
            tx, {product.id: (product, period)}, now, except_order=row.id, except_pass=renewed.id if renewed else None
        )
        if taken[product.id] >= product.quota:
            return None
    if renewed is not None:
        granted = await extend_bought_pass(tx, renewed, period, amount_fen=row.amount_fen, now=now, order_id=row.id)
    else:
        vehicle = await vehicle_for(tx, product, row.plate)
        granted = await create_bought_pass(tx, product, vehicle, period)
    await tx.execute(
        update(PaymentOrder)
        .where(PaymentOrder.id == row.id)
        .values(pass_id=granted.id)
        .execution_options(synchronize_session=False)
    )
    return granted
