"""The e-invoice details report (电子发票明细): keyset pages of at most 100, with the range's totals."""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from parking.accounts.permissions import Perm
from parking.invoices.models import BuyerKind, Invoice, InvoiceStatus
from parking.overview.service import DateRange
from parking.reports.invoice_details import (
    InvoiceDetail,
    InvoiceTotal,
    invoice_details_of,
    invoice_details_select,
    invoice_total,
    issued_column,
)
from schema.core.context import Info
from schema.core.listing import ids
from schema.core.money import Fen
from schema.core.pagination import PageInfo, PageRequest, SortDirection, paginate
from schema.core.permissions import describe, requires
from schema.reports.details import DETAIL_RANGE
from schema.reports.queries import From


@strawberry.type(description="An invoice issued or reversed in the range, with its status now.")
class InvoiceDetailRow:
    invoice_id: strawberry.ID
    lot_id: strawberry.ID
    lot_name: str
    buyer_kind: BuyerKind
    buyer_name: str = strawberry.field(description="The invoice's title (抬头).")
    tax_number: str = strawberry.field(description="The buyer's tax number, masked (9144********1234).")
    amount_fen: Fen
    tax_fen: Fen = strawberry.field(description="The VAT inside the amount at the lot's rate.")
    status: InvoiceStatus
    issued_at: datetime
    reversed_at: datetime | None
    number: str = strawberry.field(description="The invoice number (发票号码).")
    payments: int = strawberry.field(description="How many paid orders it covers.")

    @classmethod
    def of(cls, r: InvoiceDetail) -> InvoiceDetailRow:
        return cls(
            invoice_id=strawberry.ID(str(r.invoice_id)),
            lot_id=strawberry.ID(str(r.lot_id)),
            lot_name=r.lot_name,
            buyer_kind=BuyerKind(r.buyer_kind),
            buyer_name=r.buyer_name,
            tax_number=r.tax_number,
            amount_fen=Fen(r.amount_fen),
            tax_fen=Fen(r.tax_fen),
            status=InvoiceStatus(r.status),
            issued_at=r.issued_at,
            reversed_at=r.reversed_at,
            number=r.number,
            payments=r.payments,
        )


@strawberry.type(description="The range's invoices: issued on its days, reversed on its days, and the net.")
class InvoiceTotalFigures:
    issued: int
    issued_fen: Fen
    issued_tax_fen: Fen
    reversed: int
    reversed_fen: Fen
    reversed_tax_fen: Fen
    net_fen: Fen = strawberry.field(description="issuedFen - reversedFen.")
    net_tax_fen: Fen

    @classmethod
    def of(cls, t: InvoiceTotal) -> InvoiceTotalFigures:
        return cls(
            issued=t.issued,
            issued_fen=Fen(t.issued_fen),
            issued_tax_fen=Fen(t.issued_tax_fen),
            reversed=t.reversed,
            reversed_fen=Fen(t.reversed_fen),
            reversed_tax_fen=Fen(t.reversed_tax_fen),
            net_fen=Fen(t.net_fen),
            net_tax_fen=Fen(t.net_tax_fen),
        )


@strawberry.type(description="A page of invoice details, with the range's totals.")
class InvoiceDetailPage:
    items: list[InvoiceDetailRow]
    page_info: PageInfo
    total: InvoiceTotalFigures


@strawberry.type
class InvoiceReportQuery:
    @strawberry.field(
        extensions=requires(Perm.FINANCE_VIEW),
        description=describe(
            "E-invoice details (电子发票明细): invoices issued or reversed (红冲) in the range, latest issue first,"
            " pages of at most 100, with the range's totals. A requested invoice not issued is not a row."
            + DETAIL_RANGE,
            Perm.FINANCE_VIEW,
        ),
    )
    async def invoice_detail_report(
        self,
        info: Info,
        from_: From,
        to: date,
        lot_ids: list[strawberry.ID] | None = None,
        first: int = 50,
        after: str | None = None,
    ) -> InvoiceDetailPage:
        session = info.context.session
        period, lots = DateRange(from_, to), ids(lot_ids)
        invoices, page = await paginate(
            session,
            invoice_details_select(period, lots),
            issued_column(),
            Invoice.id,
            SortDirection.DESC,
            PageRequest(first, after),
        )
        rows = await invoice_details_of(session, invoices)
        total = await invoice_total(session, period, lots)
        return InvoiceDetailPage(
            items=[InvoiceDetailRow.of(r) for r in rows], page_info=page, total=InvoiceTotalFigures.of(total)
        )
