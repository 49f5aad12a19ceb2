"""Invoice queries: the operators' scoped list with filters (newest first by default), a lot's invoicing
settings, and the signed-in driver's own invoices."""

from __future__ import annotations

from datetime import datetime
from typing import cast

import strawberry
from sqlalchemy import select

from parking.accounts.permissions import Perm
from parking.common.db import utcnow
from parking.common.scope import Scope
from parking.drivers.plates import need_driver
from parking.invoices.models import Invoice, InvoiceStatus
from parking.invoices.payments import invoiceable_orders, within_deadline
from parking.invoices.service import settings_of
from parking.payments.models import PaymentOrder
from parking.tenancy.models import Lot
from schema.core import filters as flt
from schema.core.context import Info
from schema.core.listing import list_page
from schema.core.money import Fen
from schema.core.pagination import Connection, PageRequest, SortDirection, paginate
from schema.core.permissions import describe, requires
from schema.invoices import types as t
from schema.invoices.types import InvoiceType

DESC = SortDirection.DESC


@strawberry.input
class InvoiceFilter:
    lot_id: strawberry.ID | None = None
    order_id: strawberry.ID | None = None
    status: InvoiceStatus | None = None
    number: str | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None


@strawberry.type
class InvoicesQuery:
    @strawberry.field(
        extensions=requires(Perm.FINANCE_VIEW),
        description=describe("Invoices (pages of at most 100).", Perm.FINANCE_VIEW),
    )
    async def invoices(
        self,
        info: Info,
        filter: InvoiceFilter | None = None,
        direction: SortDirection = DESC,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[InvoiceType]:
        f, m, w = filter or InvoiceFilter(), Invoice, flt.where()
        flt.equal_id(w, m.lot_id, f.lot_id, "lotId")
        flt.equal_id(w, m.order_id, f.order_id, "orderId")
        flt.equal(w, m.status, f.status)
        flt.equal(w, m.number, f.number)
        flt.between(w, m.created_at, f.created_from, f.created_to, "created")
        return cast(Connection[InvoiceType], await list_page(info, m, w, m.created_at, direction, first, after))

    @strawberry.field(
        extensions=requires(Perm.FINANCE_VIEW),
        description=describe("A lot's invoicing settings; null when it issues no invoices yet.", Perm.FINANCE_VIEW),
    )
    async def lot_invoice_settings(self, info: Info, lot_id: strawberry.ID) -> t.LotInvoiceSettingsType | None:
        return cast(t.LotInvoiceSettingsType | None, await settings_of(info.context.session, lot_id))

    @strawberry.field(description="The signed-in driver's invoices, newest first (driver token; pages of at most 100).")
    async def my_invoices(self, info: Info, first: int = 20, after: str | None = None) -> t.DriverInvoicePage:
        openid = need_driver(info.context.driver_openid)
        async with info.context.db.session(Scope.internal()) as session:
            stmt = select(Invoice).where(Invoice.openid == openid)
            rows, page_info = await paginate(
                session, stmt, Invoice.created_at, Invoice.id, DESC, PageRequest(first, after)
            )
            items = [t.DriverInvoice.of(row) for row in rows]
        return t.DriverInvoicePage(items=items, page_info=page_info)

    @strawberry.field(
        description="The signed-in driver's payments that may be invoiced now, newest first (driver token; pages of "
        "at most 100; a page may hold fewer items than asked when some are past their lot's deadline)."
    )
    async def invoiceable_payments(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> t.InvoiceablePaymentPage:
        openid = need_driver(info.context.driver_openid)
        now = utcnow()
        async with info.context.db.session(Scope.internal()) as session:
            rows, page_info = await paginate(
                session,
                invoiceable_orders(openid),
                PaymentOrder.paid_at,
                PaymentOrder.id,
                DESC,
                PageRequest(first, after),
            )
            kept = await within_deadline(session, rows, now)
            lot_ids = {order.lot_id for order, _ in kept}
            names = dict((await session.execute(select(Lot.id, Lot.name).where(Lot.id.in_(lot_ids)))).all())
        items = [
            t.InvoiceablePayment(
                order_id=strawberry.ID(str(order.id)),
                lot_id=strawberry.ID(str(order.lot_id)),
                lot_name=names.get(order.lot_id, ""),
                plate=order.plate,
                amount_fen=Fen(order.amount_fen),
                paid_at=order.paid_at or now,
                invoice_until=until,
            )
            for order, until in kept
        ]
        return t.InvoiceablePaymentPage(items=items, page_info=page_info)
