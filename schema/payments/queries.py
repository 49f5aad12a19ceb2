"""Payment queries: the payer's status check (by the order's unguessable number), orders and refunds."""

from __future__ import annotations

from datetime import datetime
from typing import cast

import strawberry
from sqlalchemy import select

from parking.accounts.permissions import Perm
from parking.common.crud import parse_id
from parking.common.db import utcnow
from parking.common.errors import DomainError
from parking.payments.models import OrderStatus, PaymentChannel, PaymentOrder, PaymentPurpose, Refund, RefundStatus
from parking.payments.service import refresh_status, stay_owed
from schema.core import filters as flt
from schema.core.context import Info
from schema.core.listing import list_page
from schema.core.money import Fen
from schema.core.pagination import Connection, SortDirection
from schema.core.permissions import describe, requires
from schema.payments.context import channels_of
from schema.payments.passes import PassSalesQuery
from schema.payments.settlement import SettlementQuery
from schema.payments.types import PaymentOrderType, RefundType, order_type

DESC = SortDirection.DESC


@strawberry.input
class PaymentOrderFilter:
    lot_id: strawberry.ID | None = None
    status: OrderStatus | None = None
    channel: PaymentChannel | None = None
    purpose: PaymentPurpose | None = None
    plate: str | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    double_payment: bool | None = strawberry.field(
        default=None, description="True: only orders whose money was a double payment; false: only the others."
    )
    on_behalf: bool | None = strawberry.field(
        default=None, description="True: only orders paid on behalf (代缴); false: only the others."
    )
    session_id: strawberry.ID | None = strawberry.field(default=None, description="The orders of one stay.")


@strawberry.input
class RefundFilter:
    lot_id: strawberry.ID | None = None
    order_id: strawberry.ID | None = None
    status: RefundStatus | None = None
    session_id: strawberry.ID | None = strawberry.field(default=None, description="The refunds of one stay's orders.")


@strawberry.type
class PaymentsQuery(SettlementQuery, PassSalesQuery):
    @strawberry.field(
        description="An order's status for the payer's device; an open order asks its channel, so a lost "
        "notification is caught up. Open to drivers: the 29-character order number is the key."
    )
    async def payment_status(self, info: Info, out_trade_no: str) -> PaymentOrderType:
        row = await refresh_status(info.context.db, channels_of(info), out_trade_no[:32], utcnow())
        return order_type(row)

    @strawberry.field(
        extensions=requires(Perm.CASH_COLLECT),
        description=describe(
            "What an open stay owes now: the amount paymentRecordCash takes (0 when it owes nothing or has ended; "
            "null for a stay not in the caller's scope).",
            Perm.CASH_COLLECT,
        ),
    )
    async def session_owed(self, info: Info, session_id: strawberry.ID) -> Fen | None:
        actor = info.context.actor
        assert actor is not None, "permission extensions run before resolvers"
        try:
            stay_id = parse_id(session_id, "sessionId")
        except DomainError:
            return None  # not an id: no stay of the caller's
        owed = await stay_owed(info.context.db, actor.scope, stay_id, utcnow())
        return None if owed is None else Fen(owed)

    @strawberry.field(
        extensions=requires(Perm.FINANCE_VIEW), description=describe("Payment orders.", Perm.FINANCE_VIEW)
    )
    async def payment_orders(
        self,
        info: Info,
        filter: PaymentOrderFilter | None = None,
        direction: SortDirection = DESC,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[PaymentOrderType]:
        f, m, w = filter or PaymentOrderFilter(), PaymentOrder, flt.where()
        flt.equal_id(w, m.lot_id, f.lot_id, "lotId")
        flt.equal(w, m.status, f.status)
        flt.equal(w, m.channel, f.channel)
        flt.equal(w, m.purpose, f.purpose)
        flt.plate(w, m.plate, f.plate)
        flt.between(w, m.created_at, f.created_from, f.created_to, "created")
        flt.equal(w, m.on_behalf, f.on_behalf)
        flt.equal_id(w, m.session_id, f.session_id, "sessionId")
        if f.double_payment is not None:
            w.append(m.double_payment.is_not(None) if f.double_payment else m.double_payment.is_(None))
        return cast(Connection[PaymentOrderType], await list_page(info, m, w, m.created_at, direction, first, after))

    @strawberry.field(extensions=requires(Perm.FINANCE_VIEW), description=describe("Refunds.", Perm.FINANCE_VIEW))
    async def refunds(
        self,
        info: Info,
        filter: RefundFilter | None = None,
        direction: SortDirection = DESC,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[RefundType]:
        f, m, w = filter or RefundFilter(), Refund, flt.where()
        flt.equal_id(w, m.lot_id, f.lot_id, "lotId")
        flt.equal_id(w, m.order_id, f.order_id, "orderId")
        flt.equal(w, m.status, f.status)
        if f.session_id is not None:
            stay = parse_id(f.session_id, "sessionId")
            w.append(m.order_id.in_(select(PaymentOrder.id).where(PaymentOrder.session_id == stay)))
        return cast(Connection[RefundType], await list_page(info, m, w, m.created_at, direction, first, after))
