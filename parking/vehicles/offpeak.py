"""Off-peak rental (错时停车) on the vehicles side: a product's period from a start day, the passes that take its
spaces, and the pass a paid purchase creates or extends.

Selling (the quota counted with the orders that hold a space, the payment) lives in ``parking/payments``; this
module knows nothing of orders, so it takes the buyer's plate and the period and returns the pass.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.vehicles.enums import PassStatus
from parking.vehicles.models import Pass, PassProduct, PassRenewal, Vehicle
from parking.vehicles.periods import extend

logger = logging.getLogger(__name__)

# What a renewal paid online is recorded as (PassRenewal.method), beside an operator's "cash", "wechat"...
ONLINE_METHOD = "online"


@dataclass(frozen=True)
class Period:
    """One period of a product: [starts_at, ends_at) in UTC."""

    starts_at: datetime
    ends_at: datetime

    def overlaps(self, other: Period) -> bool:
        return self.starts_at < other.ends_at and other.starts_at < self.ends_at


def period_from_day(product: PassProduct, starts_on: date, timezone: str) -> Period:
    """The product's period starting at local midnight of ``starts_on`` in the lot's time zone."""
    starts_at = datetime.combine(starts_on, time(0), tzinfo=ZoneInfo(timezone)).astimezone(UTC)
    return Period(starts_at, extend(starts_at, product.period, 1, timezone))


def period_after(product: PassProduct, ends_at: datetime, timezone: str) -> Period:
    """The product's next period after a pass that ends at ``ends_at`` (a renewal extends from the end)."""
    return Period(ends_at, extend(ends_at, product.period, 1, timezone))


async def held_pass(session: AsyncSession, product_id: int, lot_id: int, plate: str, now: datetime) -> Pass | None:
    """The plate's own pass of this product that has not ended (the latest, if several): a renewal extends it."""
    held: Pass | None = await session.scalar(
        select(Pass)
        .join(Vehicle, Vehicle.id == Pass.vehicle_id)
        .where(
            Vehicle.lot_id == lot_id,
            Vehicle.plate == plate,
            Pass.product_id == product_id,
            Pass.status == PassStatus.ACTIVE,
            Pass.ends_at > now,
        )
        .order_by(Pass.ends_at.desc())
        .limit(1)
    )
    return held


@dataclass(frozen=True)
class SoldPass:
    id: int
    product_id: int
    period: Period


async def passes_within(session: AsyncSession, product_ids: list[int], span: Period) -> list[SoldPass]:
    """Active passes of these products that overlap the span (one query; callers sort them per period)."""
    if not product_ids:
        return []
    rows = await session.execute(
        select(Pass.id, Pass.product_id, Pass.starts_at, Pass.ends_at).where(
            Pass.product_id.in_(product_ids),
            Pass.status == PassStatus.ACTIVE,
            Pass.starts_at < span.ends_at,
            Pass.ends_at > span.starts_at,
        )
    )
    return [SoldPass(r.id, r.product_id, Period(r.starts_at, r.ends_at)) for r in rows]


async def vehicle_for(session: AsyncSession, product: PassProduct, plate: str) -> Vehicle:
    """The lot's vehicle of this plate; a walk-in buyer's is made here (no owner: an operator may add one)."""
    vehicle: Vehicle | None = await session.scalar(
        select(Vehicle).where(Vehicle.lot_id == product.lot_id, Vehicle.plate == plate)
    )
    if vehicle is None:
        vehicle = Vehicle(
            agent_id=product.agent_id,
            customer_id=product.customer_id,
            lot_id=product.lot_id,
            plate=plate,
            vehicle_class=product.vehicle_class,
        )
        session.add(vehicle)
        await session.flush()
    return vehicle


async def create_bought_pass(session: AsyncSession, product: PassProduct, vehicle: Vehicle, period: Period) -> Pass:
    pass_ = Pass(
        agent_id=product.agent_id,
        customer_id=product.customer_id,
        lot_id=product.lot_id,
        product_id=product.id,
        vehicle_id=vehicle.id,
        starts_at=period.starts_at,
        ends_at=period.ends_at,
    )
    session.add(pass_)
    await session.flush()
    logger.info("pass %s bought for vehicle %s until %s", pass_.id, vehicle.id, period.ends_at)
    return pass_


async def extend_bought_pass(
    session: AsyncSession, pass_: Pass, period: Period, *, amount_fen: int, now: datetime, order_id: int
) -> Pass:
    """Move the pass's end to the period's end, with its renewal record (one period, paid online)."""
    session.add(
        PassRenewal(
            agent_id=pass_.agent_id,
            customer_id=pass_.customer_id,
            lot_id=pass_.lot_id,
            pass_id=pass_.id,
            at=now,
            periods=1,
            amount_fen=amount_fen,
            method=ONLINE_METHOD,
            previous_ends_at=pass_.ends_at,
            new_ends_at=period.ends_at,
            payment_order_id=order_id,
        )
    )
    pass_.ends_at = period.ends_at
    await session.flush()
    logger.info("pass %s renewed online to %s", pass_.id, period.ends_at)
    return pass_
