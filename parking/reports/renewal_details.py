"""Renewal details (续费明细): each pass sold or renewed in the range, as the paid order that carried the money.

Every pass sale is a payment order (``PASS_PURCHASE`` online, ``PASS_RENEWAL`` online or at the desk, see
``parking/payments/renewals.py``), counted on the local day it was paid. The period bought comes from the
renewal the order paid for (its previous and new end), else from the order's own period (an online purchase),
else from the pass; the plate from the order, else from the pass's vehicle (a desk renewal names none).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.common.localtime import LocalHour
from parking.overview.service import DateRange
from parking.payments.models import PaymentOrder, PaymentPurpose
from parking.reports.keyset import chunks
from parking.reports.names import NO_LOT, lot_names, operator_names
from parking.reports.rollup import PAID
from parking.tenancy.models import Lot
from parking.vehicles.models import Pass, PassProduct, PassRenewal, Vehicle

PASS_PURPOSES = (PaymentPurpose.PASS_PURCHASE, PaymentPurpose.PASS_RENEWAL)


@dataclass(frozen=True)
class RenewalDetail:
    order_id: int
    lot_id: int
    lot_name: str
    timezone: str  # the lot's: the instants below are shown in it
    plate: str
    purpose: str  # pass_purchase or pass_renewal
    product_id: int | None
    product_name: str
    period_from: datetime | None
    period_to: datetime | None
    amount_fen: int
    refunded_fen: int
    channel: str
    operator_id: int | None
    operator_name: str
    paid_at: datetime


@dataclass(frozen=True)
class RenewalTotal:
    orders: int
    amount_fen: int
    refunded_fen: int

    @property
    def net_fen(self) -> int:
        return self.amount_fen - self.refunded_fen


def _where(period: DateRange, lot_ids: Sequence[int] | None) -> list[Any]:
    assert PaymentOrder.paid_at is not None
    at = PaymentOrder.paid_at
    where = [
        PaymentOrder.purpose.in_(PASS_PURPOSES),
        PaymentOrder.status.in_(PAID),
        *period.where(at, LocalHour(at, Lot.timezone)),
    ]
    if lot_ids is not None:
        where.append(PaymentOrder.lot_id.in_(list(lot_ids)))
    return where


def renewals_select(period: DateRange, lot_ids: Sequence[int] | None = None) -> Select[Any]:
    """The paid pass orders of the range (sort: ``paid_at``, then id), for a page or a download."""
    return select(PaymentOrder).join(Lot, Lot.id == PaymentOrder.lot_id).where(*_where(period, lot_ids))


async def renewal_total(session: AsyncSession, period: DateRange, lot_ids: Sequence[int] | None = None) -> RenewalTotal:
    """The revenue of every row of the range (not only of a page): one statement."""
    count, amount, refunded = (
        await session.execute(
            select(func.count(), func.sum(PaymentOrder.amount_fen), func.sum(PaymentOrder.refunded_fen))
            .select_from(PaymentOrder)
            .join(Lot, Lot.id == PaymentOrder.lot_id)
            .where(*_where(period, lot_ids))
        )
    ).one()
    return RenewalTotal(int(count), int(amount or 0), int(refunded or 0))


def _when(details: dict[str, Any], key: str) -> datetime | None:
    raw = details.get(key)
    return datetime.fromisoformat(raw) if isinstance(raw, str) else None


Period = tuple[datetime | None, datetime | None]


def _period(order: PaymentOrder, renewal: Period | None, held: tuple[Any, ...] | None) -> Period:
    """The renewal's move of the pass's end, else the period the order bought, else the pass's."""
    if renewal is not None:
        return renewal
    details = order.details or {}
    if details.get("starts_at"):
        return _when(details, "starts_at"), _when(details, "ends_at")
    return (held[1], held[2]) if held else (None, None)


async def renewal_details_of(session: AsyncSession, orders: Sequence[PaymentOrder]) -> list[RenewalDetail]:
    """The rows of ``orders`` (a page), in their order: a fixed handful of queries whatever the page's size."""
    if not orders:
        return []
    renewals: dict[int, Period] = {
        int(order_id or 0): (start, end)
        for order_id, start, end in await session.execute(
            select(PassRenewal.payment_order_id, PassRenewal.previous_ends_at, PassRenewal.new_ends_at).where(
                PassRenewal.payment_order_id.in_([o.id for o in orders])
            )
        )
    }
    pass_ids = sorted({o.pass_id for o in orders if o.pass_id is not None})
    passes = {
        int(i): (product, start, end, plate)
        for i, product, start, end, plate in await session.execute(
            select(Pass.id, Pass.product_id, Pass.starts_at, Pass.ends_at, Vehicle.plate)
            .outerjoin(Vehicle, Vehicle.id == Pass.vehicle_id)
            .where(Pass.id.in_(pass_ids))
        )
    }

    def product_of(order: PaymentOrder) -> int | None:
        if order.pass_id in passes:
            return int(passes[order.pass_id][0])
        raw = (order.details or {}).get("product_id")
        return int(raw) if raw is not None else None

    products_wanted = sorted({p for p in map(product_of, orders) if p is not None})
    products = (
        {
            int(i): str(n)
            for i, n in await session.execute(
                select(PassProduct.id, PassProduct.name).where(PassProduct.id.in_(products_wanted))
            )
        }
        if products_wanted
        else {}
    )
    lots = await lot_names(session, (o.lot_id for o in orders))
    people = await operator_names(session, (o.operator_id for o in orders))
    rows: list[RenewalDetail] = []
    for order in orders:
        assert order.paid_at is not None, "the select takes paid orders only"
        held = passes.get(order.pass_id or 0)
        start, end = _period(order, renewals.get(order.id), held)
        product = product_of(order)
        rows.append(
            RenewalDetail(
                order_id=order.id,
                lot_id=order.lot_id,
                lot_name=lots.get(order.lot_id, NO_LOT).name,
                timezone=lots.get(order.lot_id, NO_LOT).timezone,
                plate=order.plate or (str(held[3] or "") if held else ""),
                purpose=order.purpose.value,
                product_id=product,
                product_name=products.get(product or 0, ""),
                period_from=start,
                period_to=end,
                amount_fen=order.amount_fen,
                refunded_fen=order.refunded_fen,
                channel=order.channel.value,
                operator_id=order.operator_id,
                operator_name=people.get(order.operator_id or 0, ""),
                paid_at=order.paid_at,
            )
        )
    return rows


async def all_renewal_details(
    session: AsyncSession, period: DateRange, lot_ids: Sequence[int] | None = None
) -> list[RenewalDetail]:
    """Every row of the range, newest payment first (a download): by keyset chunks."""
    rows: list[RenewalDetail] = []
    assert PaymentOrder.paid_at is not None
    async for orders in chunks(session, renewals_select(period, lot_ids), PaymentOrder.paid_at, PaymentOrder.id):
        rows.extend(await renewal_details_of(session, orders))
    return rows
