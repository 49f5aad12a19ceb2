"""Off-peak products on a test site, and what a paid pass order left behind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select

from parking.common.database import Database
from parking.common.scope import Scope
from parking.payments.models import PaymentOrder, Refund
from parking.payments.settle import Applied, apply_to_order
from parking.payments.state import PaymentSucceeded
from parking.tenancy.enums import VehicleCategory
from parking.vehicles.enums import PassPeriod
from parking.vehicles.models import Pass, PassProduct, PassRenewal, Vehicle
from tests.lanes.site import Site

NIGHT = (time(19), time(8))  # 19:00-08:00 in the lot's time zone
SHANGHAI = ZoneInfo("Asia/Shanghai")


async def add_product(
    site: Site, *, quota: int | None, price_fen: int = 30000, window: tuple[time, time] | None = NIGHT
) -> int:
    async with site.db.transaction(Scope.internal()) as s:
        product = PassProduct(
            agent_id=site.ids["agent"],
            customer_id=site.ids["customer"],
            lot_id=site.lot_id,
            name="夜间错时停车",
            category=VehicleCategory.TIME_CONTROLLED if window else VehicleCategory.MONTHLY,
            period=PassPeriod.MONTH,
            price_fen=price_fen,
            window_start=window[0] if window else None,
            window_end=window[1] if window else None,
            sold_online=True,
            quota=quota,
        )
        s.add(product)
        await s.flush()
        return product.id


def local_day(at: datetime) -> date:
    return at.astimezone(SHANGHAI).date()


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=SHANGHAI)


async def pay(db: Database, out_trade_no: str, amount_fen: int, at: datetime) -> Applied:
    """The channel's news that the order was paid, applied as every notification is."""
    return await apply_to_order(db, out_trade_no, at, event=PaymentSucceeded(f"tx-{out_trade_no}", amount_fen, at))


@dataclass(frozen=True)
class Sold:
    passes: list[Pass]
    vehicles: list[Vehicle]
    renewals: list[PassRenewal]
    orders: list[PaymentOrder]
    refunds: list[Refund]


async def sold(db: Database, product_id: int) -> Sold:
    async with db.session(Scope.internal()) as s:
        passes = list(await s.scalars(select(Pass).where(Pass.product_id == product_id).order_by(Pass.id)))
        vehicle_ids = [p.vehicle_id for p in passes]
        vehicles = list(await s.scalars(select(Vehicle).where(Vehicle.id.in_(vehicle_ids)).order_by(Vehicle.id)))
        renewals = list(await s.scalars(select(PassRenewal).order_by(PassRenewal.id)))
        orders = [
            row
            for row in await s.scalars(select(PaymentOrder).order_by(PaymentOrder.id))
            if (row.details or {}).get("product_id") == product_id
        ]
        refunds = list(await s.scalars(select(Refund).order_by(Refund.id)))
        return Sold(passes, vehicles, renewals, orders, refunds)
