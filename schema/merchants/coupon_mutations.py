"""Coupon mutations: templates, stock (credited or bought), issuing and voiding."""

from __future__ import annotations

from typing import Annotated, cast

import strawberry
from pydantic import ValidationError
from strawberry.scalars import JSON

from parking.accounts.permissions import Perm
from parking.common.db import utcnow
from parking.common.errors import DomainError
from parking.merchants import coupons, ledger, templates
from parking.merchants import inputs as merchant_inputs
from parking.payments.coupon_pack_sales import start_pack_purchase
from schema.core.context import Info
from schema.core.errors import error_from
from schema.core.mutations import run, validation_error
from schema.core.permissions import describe, describe_any, requires, requires_any
from schema.merchants import inputs
from schema.merchants.errors import MerchantError
from schema.merchants.types import CouponStockType, CouponTemplateType, CouponType
from schema.payments.context import channels_of
from schema.payments.types import PaymentOrderType, order_type


@strawberry.type
class CouponTemplateSuccess:
    template: CouponTemplateType


@strawberry.type
class CouponStockSuccess:
    stock: CouponStockType


@strawberry.type
class CouponSuccess:
    coupon: CouponType


@strawberry.type
class CouponPackBuySuccess:
    order: PaymentOrderType
    client_params: JSON = strawberry.field(description="JSAPI: the wx.requestPayment parameters; QR channels: {}.")
    qr_code: str | None = strawberry.field(description="Native QR: the code to show.")


CouponTemplateResult = Annotated[CouponTemplateSuccess | MerchantError, strawberry.union("CouponTemplateResult")]
CouponStockResult = Annotated[CouponStockSuccess | MerchantError, strawberry.union("CouponStockResult")]
CouponResult = Annotated[CouponSuccess | MerchantError, strawberry.union("CouponResult")]
CouponPackBuyResult = Annotated[CouponPackBuySuccess | MerchantError, strawberry.union("CouponPackBuyResult")]


def _template(row: object) -> CouponTemplateSuccess:
    return CouponTemplateSuccess(template=cast(CouponTemplateType, row))


def _stock(row: object) -> CouponStockSuccess:
    return CouponStockSuccess(stock=cast(CouponStockType, row))


def _coupon(row: object) -> CouponSuccess:
    return CouponSuccess(coupon=cast(CouponType, row))


ISSUE = (Perm.MERCHANTS_MANAGE, Perm.COUPONS_ISSUE)
BUY = (Perm.MERCHANTS_MANAGE, Perm.COUPONS_BUY)


@strawberry.type
class CouponsMutation:
    @strawberry.mutation(
        extensions=requires(Perm.MERCHANTS_MANAGE),
        description=describe(
            "Offer a kind of coupon to the lot's merchants. value by kind: MINUTES > 0 minutes, AMOUNT > 0 fen, "
            "PERCENT 1..99 (percent paid: 80 = 八折), UNTIL 0..1439 (minutes after local midnight), FULL 0.",
            Perm.MERCHANTS_MANAGE,
        ),
    )
    async def coupon_template_create(self, info: Info, input: inputs.CouponTemplateCreateInput) -> CouponTemplateResult:
        return await run(
            info, lambda s, a: templates.create_template(s, a, input.to_pydantic()), MerchantError, _template
        )

    @strawberry.mutation(
        extensions=requires(Perm.MERCHANTS_MANAGE),
        description=describe(
            "Change a coupon template; coupons already issued keep their terms.", Perm.MERCHANTS_MANAGE
        ),
    )
    async def coupon_template_update(
        self, info: Info, id: strawberry.ID, input: inputs.CouponTemplateUpdateInput
    ) -> CouponTemplateResult:
        return await run(
            info, lambda s, a: templates.update_template(s, a, id, input.to_pydantic()), MerchantError, _template
        )

    @strawberry.mutation(
        extensions=requires(Perm.MERCHANTS_MANAGE),
        description=describe(
            "Give a merchant a pack of coupons: charged (default) at quantity × price to its balance "
            "(INSUFFICIENT_FUNDS beyond its credit limit), or free.",
            Perm.MERCHANTS_MANAGE,
        ),
    )
    async def coupon_stock_credit(self, info: Info, input: inputs.CouponStockCreditInput) -> CouponStockResult:
        return await run(
            info, lambda s, a: ledger.credit_stock(s, a, input.to_pydantic(), utcnow()), MerchantError, _stock
        )

    @strawberry.mutation(
        extensions=requires_any(*BUY),
        description=describe_any(
            "Buy a pack of coupons online (WeChat Pay JSAPI with openid, or native QR): the stock is created "
            "when the order is paid.",
            *BUY,
        ),
    )
    async def coupon_pack_buy(self, info: Info, input: inputs.CouponPackBuyInput) -> CouponPackBuyResult:
        actor = info.context.actor
        assert actor is not None, "permission extensions run before resolvers"
        try:
            order, params, qr_code = await start_pack_purchase(
                info.context.db, channels_of(info), actor, input.to_pydantic(), utcnow()
            )
        except DomainError as err:
            return cast(CouponPackBuyResult, error_from(err, MerchantError))
        except ValidationError as err:
            return cast(CouponPackBuyResult, validation_error(err, MerchantError))
        return CouponPackBuySuccess(order=order_type(order), client_params=cast(JSON, params), qr_code=qr_code)

    @strawberry.mutation(
        extensions=requires_any(*ISSUE),
        description=describe_any(
            "Issue one coupon from the merchant's stock to a plate (a merchant's operator: its own merchant only).",
            *ISSUE,
        ),
    )
    async def coupon_issue(self, info: Info, input: inputs.CouponIssueInput) -> CouponResult:
        return await run(info, lambda s, a: coupons.issue(s, a, input.to_pydantic(), utcnow()), MerchantError, _coupon)

    @strawberry.mutation(
        extensions=requires_any(*ISSUE),
        description=describe_any("Withdraw an unused (ISSUED) coupon; it goes back to the stock it came from.", *ISSUE),
    )
    async def coupon_void(self, info: Info, id: strawberry.ID, reason: str = "") -> CouponResult:
        return await run(
            info,
            lambda s, a: coupons.void(s, a, merchant_inputs.CouponVoid(id=str(id), reason=reason), utcnow()),
            MerchantError,
            _coupon,
        )
