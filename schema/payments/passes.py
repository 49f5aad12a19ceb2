"""Off-peak rental (错时停车) for the public: the products a lot sells online, and buying one."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import cast

import strawberry
from strawberry.scalars import JSON

from parking.common.crud import parse_id
from parking.common.db import utcnow
from parking.common.errors import DomainError, ErrorCode
from parking.common.scope import Scope
from parking.payments import texts
from parking.payments.models import PaymentChannel
from parking.payments.pass_sales import OnSale, buy_pass, on_sale
from parking.tenancy.enums import VehicleClass
from parking.vehicles.enums import PassPeriod
from schema.core.context import Info
from schema.core.errors import error_from
from schema.core.money import Fen
from schema.payments.context import channels_of
from schema.payments.limits import within_limit
from schema.payments.types import PaymentCreateResult, PaymentCreateSuccess, PaymentError, order_type


@strawberry.type(
    name="OffPeakProduct",
    description="A pass a lot sells online (错时停车: often valid only in a daily window), with the period a buyer "
    "starting on the asked day gets and the spaces left over it.",
)
class OffPeakProductType:
    id: strawberry.ID
    name: str
    period: PassPeriod
    price_fen: Fen
    vehicle_class: VehicleClass
    window_start: time | None = strawberry.field(description="Daily window start (lot's local time); null: all day.")
    window_end: time | None
    starts_at: datetime = strawberry.field(description="The period bought from the asked day: its start...")
    ends_at: datetime = strawberry.field(description="...and its end.")
    quota: int | None
    spaces_left: int | None = strawberry.field(description="Spaces still for sale over that period; null: unlimited.")


def _product(item: OnSale) -> OffPeakProductType:
    p = item.product
    return OffPeakProductType(
        id=strawberry.ID(str(p.id)),
        name=p.name,
        period=p.period,
        price_fen=Fen(p.price_fen),
        vehicle_class=p.vehicle_class,
        window_start=p.window_start,
        window_end=p.window_end,
        starts_at=item.period.starts_at,
        ends_at=item.period.ends_at,
        quota=p.quota,
        spaces_left=item.spaces_left,
    )


@strawberry.input(description="Buy (or renew) an off-peak pass for a plate, paid online.")
class PassBuyInput:
    product_id: strawberry.ID
    plate: str
    starts_on: date = strawberry.field(
        description="The first day (lot's local date, today up to 31 days ahead). A plate that already holds the "
        "product renews it instead: one period from its end."
    )
    channel: PaymentChannel
    openid: str | None = strawberry.field(
        default=None, description="The payer's openid (WeChat JSAPI) or buyer id (Alipay mini-program)."
    )


@strawberry.type
class PassSalesQuery:
    @strawberry.field(
        description="The passes a lot sells online (错时停车) with the spaces left over the period from startsOn "
        "(today when not given). Open to everyone."
    )
    async def off_peak_products(
        self, info: Info, lot_id: strawberry.ID, starts_on: date | None = None
    ) -> list[OffPeakProductType]:
        async with info.context.db.session(Scope.internal()) as session:
            items = await on_sale(session, parse_id(lot_id, "lotId"), starts_on, utcnow())
        return [_product(item) for item in items]


@strawberry.type
class PassSalesMutation:
    @strawberry.mutation(
        description="Buy an off-peak pass (or renew the plate's own): an order holds a space for 15 minutes while "
        "it is paid, and the pass is made when it is. CONFLICT when the period is sold out. Open to everyone "
        "(RATE_LIMITED after too many requests from one address)."
    )
    async def pass_buy(self, info: Info, input: PassBuyInput) -> PaymentCreateResult:
        actor = info.context.actor
        try:
            if actor is None and not await within_limit(info):
                raise DomainError(ErrorCode.RATE_LIMITED, texts.RATE_LIMITED)
            started = await buy_pass(
                info.context.db,
                channels_of(info),
                Scope.internal() if actor is None else actor.scope,
                parse_id(input.product_id, "productId"),
                input.plate[:32],
                input.starts_on,
                input.channel,
                utcnow(),
                payer_id=input.openid[:64] if input.openid else None,
            )
        except DomainError as err:
            return error_from(err, PaymentError)
        return PaymentCreateSuccess(
            order=order_type(started.order),
            client_params=cast(JSON, started.client_params),
            qr_code=started.qr_code,
            reused=started.reused,
        )
