"""Invoice queries: the scoped list with filters, newest first by default."""

from __future__ import annotations

from typing import cast

import strawberry

from parking.accounts.permissions import Perm
from parking.invoices.models import Invoice, InvoiceStatus
from schema.core import filters as flt
from schema.core.context import Info
from schema.core.listing import list_page
from schema.core.pagination import Connection, SortDirection
from schema.core.permissions import describe, requires
from schema.invoices.types import InvoiceType

DESC = SortDirection.DESC


@strawberry.input
class InvoiceFilter:
    lot_id: strawberry.ID | None = None
    order_id: strawberry.ID | None = None
    status: InvoiceStatus | None = None


@strawberry.type
class InvoicesQuery:
    @strawberry.field(extensions=requires(Perm.FINANCE_VIEW), description=describe("Invoices.", Perm.FINANCE_VIEW))
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
        return cast(Connection[InvoiceType], await list_page(info, m, w, m.created_at, direction, first, after))
