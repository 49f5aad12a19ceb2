"""The detail reports: fee details (收费明细) and renewal details (续费明细), keyset pages of at most 100."""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from parking.accounts.permissions import Perm
from parking.overview.service import DateRange
from parking.payments.models import PaymentChannel, PaymentOrder, PaymentPurpose
from parking.reports.fee_details import FeeDetail, exit_column, fee_details_of, fee_details_select
from parking.reports.renewal_details import RenewalDetail, renewal_details_of, renewal_total, renewals_select
from parking.sessions.enums import ReleaseMethod
from parking.sessions.models import ParkingSession
from schema.core.context import Info
from schema.core.listing import ids
from schema.core.money import Fen
from schema.core.pagination import Connection, PageInfo, PageRequest, SortDirection, paginate
from schema.core.permissions import describe, requires
from schema.reports.queries import From
from schema.reports.types import optional_id

# Unlike the figures, the rows are read from the records themselves (stays, orders, shifts), never the rollup.
DETAIL_RANGE = (
    " Days are local to each lot's time zone; `from` and `to` are inclusive, at most 92 days. Rows are read from"
    " the records themselves, so a late change shows at once."
)


@strawberry.type(
    description="One exit of a stay: what it owed and how it was settled. waivedFen: what a free or operator "
    "release let go unpaid (fee − paid − discount)."
)
class FeeDetailRow:
    stay_id: strawberry.ID
    lot_id: strawberry.ID
    lot_name: str
    plate: str
    entry_at: datetime
    exit_at: datetime
    lane_id: strawberry.ID | None = strawberry.field(description="The exit lane.")
    lane_name: str
    fee_fen: Fen = strawberry.field(description="What the stay owed (应收).")
    discount_fen: Fen
    coupon_fen: Fen = strawberry.field(description="What the coupons used on the stay took off.")
    coupons: list[str] = strawberry.field(description="The codes of the coupons used, first redeemed first.")
    waived_fen: Fen
    paid_fen: Fen
    channels: list[PaymentChannel] = strawberry.field(description="Of the stay's paid orders, first paid first.")
    release_method: ReleaseMethod | None
    operator_id: strawberry.ID | None = strawberry.field(
        description="Who released the car (booth cashier or remote operator), else who took its money."
    )
    operator_name: str

    @classmethod
    def of(cls, r: FeeDetail) -> FeeDetailRow:
        return cls(
            stay_id=strawberry.ID(str(r.stay_id)),
            lot_id=strawberry.ID(str(r.lot_id)),
            lot_name=r.lot_name,
            plate=r.plate,
            entry_at=r.entry_at,
            exit_at=r.exit_at,
            lane_id=optional_id(r.lane_id),
            lane_name=r.lane_name,
            fee_fen=Fen(r.fee_fen),
            discount_fen=Fen(r.discount_fen),
            coupon_fen=Fen(r.coupon_fen),
            coupons=list(r.coupons),
            waived_fen=Fen(r.waived_fen),
            paid_fen=Fen(r.paid_fen),
            channels=[PaymentChannel(c) for c in r.channels],
            release_method=ReleaseMethod(r.release_method) if r.release_method else None,
            operator_id=optional_id(r.operator_id),
            operator_name=r.operator_name,
        )


@strawberry.type(description="A pass sold (PASS_PURCHASE) or renewed (PASS_RENEWAL): its paid order.")
class RenewalDetailRow:
    order_id: strawberry.ID
    lot_id: strawberry.ID
    lot_name: str
    plate: str
    purpose: PaymentPurpose
    product_id: strawberry.ID | None
    product_name: str
    period_from: datetime | None = strawberry.field(description="A renewal: the pass's end before it.")
    period_to: datetime | None = strawberry.field(description="A renewal: the pass's new end.")
    amount_fen: Fen
    refunded_fen: Fen
    channel: PaymentChannel
    operator_id: strawberry.ID | None = strawberry.field(description="Who took it at the desk; null online.")
    operator_name: str
    paid_at: datetime

    @classmethod
    def of(cls, r: RenewalDetail) -> RenewalDetailRow:
        return cls(
            order_id=strawberry.ID(str(r.order_id)),
            lot_id=strawberry.ID(str(r.lot_id)),
            lot_name=r.lot_name,
            plate=r.plate,
            purpose=PaymentPurpose(r.purpose),
            product_id=optional_id(r.product_id),
            product_name=r.product_name,
            period_from=r.period_from,
            period_to=r.period_to,
            amount_fen=Fen(r.amount_fen),
            refunded_fen=Fen(r.refunded_fen),
            channel=PaymentChannel(r.channel),
            operator_id=optional_id(r.operator_id),
            operator_name=r.operator_name,
            paid_at=r.paid_at,
        )


@strawberry.type(description="The revenue of every row of the range, not only of the page.")
class RenewalTotalFigures:
    orders: int
    amount_fen: Fen
    refunded_fen: Fen
    net_fen: Fen = strawberry.field(description="amountFen - refundedFen.")


@strawberry.type(description="A page of renewal details, with the range's total.")
class RenewalDetailPage:
    items: list[RenewalDetailRow]
    page_info: PageInfo
    total: RenewalTotalFigures


@strawberry.type
class DetailReportsQuery:
    @strawberry.field(
        extensions=requires(Perm.FINANCE_VIEW),
        description=describe(
            "Fee details (收费明细): one row per exit of a stay, latest exit first, pages of at most 100."
            + DETAIL_RANGE,
            Perm.FINANCE_VIEW,
        ),
    )
    async def fee_detail_report(
        self,
        info: Info,
        from_: From,
        to: date,
        lot_ids: list[strawberry.ID] | None = None,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[FeeDetailRow]:
        session = info.context.session
        stmt = fee_details_select(DateRange(from_, to), ids(lot_ids))
        stays, page = await paginate(
            session, stmt, exit_column(), ParkingSession.id, SortDirection.DESC, PageRequest(first, after)
        )
        rows = await fee_details_of(session, stays)
        return Connection(items=[FeeDetailRow.of(r) for r in rows], page_info=page)

    @strawberry.field(
        extensions=requires(Perm.FINANCE_VIEW),
        description=describe(
            "Renewal details (续费明细): passes sold and renewed, latest payment first, pages of at most 100, with"
            " the range's total." + DETAIL_RANGE,
            Perm.FINANCE_VIEW,
        ),
    )
    async def renewal_detail_report(
        self,
        info: Info,
        from_: From,
        to: date,
        lot_ids: list[strawberry.ID] | None = None,
        first: int = 50,
        after: str | None = None,
    ) -> RenewalDetailPage:
        session = info.context.session
        period, lots = DateRange(from_, to), ids(lot_ids)
        assert PaymentOrder.paid_at is not None
        orders, page = await paginate(
            session,
            renewals_select(period, lots),
            PaymentOrder.paid_at,
            PaymentOrder.id,
            SortDirection.DESC,
            PageRequest(first, after),
        )
        rows = await renewal_details_of(session, orders)
        total = await renewal_total(session, period, lots)
        return RenewalDetailPage(
            items=[RenewalDetailRow.of(r) for r in rows],
            page_info=page,
            total=RenewalTotalFigures(
                orders=total.orders,
                amount_fen=Fen(total.amount_fen),
                refunded_fen=Fen(total.refunded_fen),
                net_fen=Fen(total.net_fen),
            ),
        )
