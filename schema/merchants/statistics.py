"""Coupon statistics of a period: per merchant (lot side, or a merchant's own) and per lot."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from sqlalchemy import select

from parking.accounts.models import Operator
from parking.accounts.permissions import Perm
from parking.common.crud import parse_id
from parking.common.errors import NotFound, PermissionDenied
from parking.merchants import statistics as stats
from schema.core.context import Info
from schema.core.money import Fen
from schema.core.permissions import describe, describe_any, requires, requires_any


@strawberry.input
class MerchantStatisticsFilter:
    from_: date = strawberry.field(name="from", description="The first day, in the lot's time zone.")
    to: date = strawberry.field(description="The last day (included), in the lot's time zone.")
    lot_id: strawberry.ID | None = strawberry.field(
        default=None, description="The lot's merchants (home lot or one of their lots) and its coupons only."
    )
    merchant_id: strawberry.ID | None = None


@strawberry.input
class LotCouponStatisticsFilter:
    from_: date = strawberry.field(name="from", description="The first day, in the lot's time zone.")
    to: date = strawberry.field(description="The last day (included), in the lot's time zone.")
    lot_id: strawberry.ID | None = strawberry.field(default=None, description="One lot; all visible lots if null.")


@strawberry.interface(description="Coupon figures of a period (see docs/merchants-statistics.md).")
class CouponFigures:
    issued: int = strawberry.field(description="Coupons issued in the period.")
    redeemed: int = strawberry.field(description="Coupons used by a settled stay in the period.")
    expired: int = strawberry.field(description="Coupons that expired unused in the period.")
    voided: int = strawberry.field(description="Coupons withdrawn in the period.")
    discount_fen: Fen = strawberry.field(description="Parking fees waived by the coupons redeemed in the period.")
    sold_fen: Fen = strawberry.field(
        description="Coupon packs sold in the period: bought online, or credited and charged to the balance."
    )
    bought_fen: Fen = strawberry.field(description="Of soldFen: packs bought online (paid through the channel).")
    charged_fen: Fen = strawberry.field(description="Of soldFen: packs credited and charged to the balance.")
    stock_remaining: int = strawberry.field(description="Coupons left in stock now.")


def _figures(f: stats.CouponFigures) -> dict[str, Any]:
    return {
        "issued": f.issued,
        "redeemed": f.redeemed,
        "expired": f.expired,
        "voided": f.voided,
        "discount_fen": Fen(f.discount_fen),
        "sold_fen": Fen(f.sold_fen),
        "bought_fen": Fen(f.bought_fen),
        "charged_fen": Fen(f.charged_fen),
        "stock_remaining": f.stock_remaining,
    }


@strawberry.type(description="A merchant's coupon figures of a period.")
class MerchantCouponStatistics(CouponFigures):
    merchant_id: strawberry.ID
    merchant_name: str


@strawberry.type(description="A lot's coupon figures of a period, all merchants together.")
class LotCouponStatistics(CouponFigures):
    lot_id: strawberry.ID
    lot_name: str


async def _own_merchant(info: Info) -> int | None:
    """The merchant of a merchant's operator, who sees that merchant only whatever its role says; None for lot
    staff (who need ``merchants.manage``)."""
    actor = info.context.actor
    merchant_id = None
    if actor is not None and actor.operator_id is not None:
        merchant_id = await info.context.session.scalar(
            select(Operator.merchant_id).where(Operator.id == actor.operator_id)
        )
    if merchant_id is None and (actor is None or not actor.can(Perm.MERCHANTS_MANAGE)):
        raise PermissionDenied(Perm.MERCHANTS_MANAGE)
    return None if merchant_id is None else int(merchant_id)


@strawberry.type
class MerchantStatisticsQuery:
    @strawberry.field(
        extensions=requires_any(Perm.MERCHANTS_MANAGE, Perm.MERCHANT_STATS_VIEW),
        description=describe_any(
            "Coupon figures per merchant over a range of the lot's days; a merchant's operator reads its own "
            "merchant's only.",
            Perm.MERCHANTS_MANAGE,
            Perm.MERCHANT_STATS_VIEW,
        ),
    )
    async def merchant_statistics(self, info: Info, filter: MerchantStatisticsFilter) -> list[MerchantCouponStatistics]:
        lot = None if filter.lot_id is None else parse_id(filter.lot_id, "lotId")
        merchant = None if filter.merchant_id is None else parse_id(filter.merchant_id, "merchantId")
        own = await _own_merchant(info)
        if own is not None:
            if merchant not in (None, own):  # another merchant reads as missing
                raise NotFound("Merchant", "merchantId")
            merchant = own
        session = info.context.session
        period = await stats.period_of(session, lot, filter.from_, filter.to)
        rows = await stats.merchant_statistics(session, period, lot_id=lot, merchant_id=merchant)
        return [
            MerchantCouponStatistics(
                merchant_id=strawberry.ID(str(r.merchant_id)), merchant_name=r.merchant_name, **_figures(r.figures)
            )
            for r in rows
        ]

    @strawberry.field(
        extensions=requires(Perm.MERCHANTS_MANAGE),
        description=describe("Coupon figures per lot over a range of each lot's days.", Perm.MERCHANTS_MANAGE),
    )
    async def lot_coupon_statistics(self, info: Info, filter: LotCouponStatisticsFilter) -> list[LotCouponStatistics]:
        lot = None if filter.lot_id is None else parse_id(filter.lot_id, "lotId")
        if await _own_merchant(info) is not None:  # a merchant's operator reads no lot-wide figures
            raise PermissionDenied(Perm.MERCHANTS_MANAGE)
        session = info.context.session
        period = await stats.period_of(session, lot, filter.from_, filter.to)
        rows = await stats.lot_statistics(session, period)
        return [
            LotCouponStatistics(lot_id=strawberry.ID(str(r.lot_id)), lot_name=r.lot_name, **_figures(r.figures))
            for r in rows
        ]
