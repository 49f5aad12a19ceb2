"""A lot with lanes (tests/lanes/site.py) plus a merchant, a coupon template and stock, and codes made through
the use-cases; direct reads for the assertions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from parking.codes import inputs, service
from parking.common.actor import Actor
from parking.common.database import Database
from parking.common.scope import Scope
from parking.merchants.models import (
    CodeKind,
    Coupon,
    CouponKind,
    CouponStock,
    CouponTemplate,
    Merchant,
    ParkingCode,
    StockSource,
)
from tests.factories import SECRET
from tests.lanes.site import Site

SYSTEM = Actor.system("test")


@dataclass
class Shop:
    site: Site
    merchant_id: int
    template_id: int
    stock_id: int


async def add_shop(site: Site, stock: int = 50, per_plate_per_day: int | None = None) -> Shop:
    """A merchant of the site's lot with ``stock`` coupons of a 60-minute template, and a lot-owned template."""
    tenant = {"agent_id": site.ids["agent"], "customer_id": site.ids["customer"], "lot_id": site.lot_id}
    async with site.db.transaction(Scope.internal()) as s:
        merchant = Merchant(**tenant, name="咖啡店")
        template = CouponTemplate(
            **tenant, name="减免一小时", kind=CouponKind.MINUTES, value=60, max_per_plate_per_day=per_plate_per_day
        )
        s.add_all([merchant, template])
        await s.flush()
        pack = CouponStock(
            **tenant,
            merchant_id=merchant.id,
            template_id=template.id,
            source=StockSource.CREDIT,
            quantity=stock,
            remaining=stock,
        )
        s.add(pack)
        await s.flush()
        return Shop(site=site, merchant_id=merchant.id, template_id=template.id, stock_id=pack.id)


async def make_code(db: Database, lot_id: int, kind: CodeKind, now: datetime, **fields: Any) -> ParkingCode:
    data = inputs.ParkingCodeCreate(lot_id=str(lot_id), kind=kind, **{k: _text(v) for k, v in fields.items()})
    async with db.transaction(Scope.internal()) as s:
        return (await service.create_code(s, SYSTEM, data, now))[0]


async def make_vip(db: Database, shop: Shop, count: int, now: datetime) -> list[ParkingCode]:
    data = inputs.VipCodesCreate(
        merchant_id=str(shop.merchant_id),
        template_id=str(shop.template_id),
        count=count,
        expires_at=now + timedelta(days=30),
    )
    async with db.transaction(Scope.internal()) as s:
        return await service.create_vip_codes(s, SYSTEM, data, now)


def _text(value: Any) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def payload(code: ParkingCode) -> str:
    return service.payload_of(code, SECRET)


async def stock_left(db: Database, stock_id: int) -> int:
    async with db.session(Scope.internal()) as s:
        return int(await s.scalar(select(CouponStock.remaining).where(CouponStock.id == stock_id)) or 0)


async def coupons(db: Database, **where: Any) -> list[Coupon]:
    async with db.session(Scope.internal()) as s:
        stmt = select(Coupon).filter_by(**where).order_by(Coupon.id)
        return list(await s.scalars(stmt))


async def coupon_count(db: Database) -> int:
    async with db.session(Scope.internal()) as s:
        return int(await s.scalar(select(func.count()).select_from(Coupon)) or 0)


async def code_row(db: Database, code_id: int) -> ParkingCode:
    async with db.session(Scope.internal()) as s:
        row = await s.get(ParkingCode, code_id)
        assert row is not None
        return row
