"""Invoice object types: the operators' view, the driver's own view, a lot's invoicing settings, the error."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from parking.invoices.errors import InvoiceErrorCode
from parking.invoices.models import BuyerKind, Invoice, InvoiceStatus
from schema.core import enums as _enums  # noqa: F401  (registers the enums)
from schema.core.errors import Error, error_codes
from schema.core.money import Fen
from schema.core.pagination import PageInfo

error_codes(InvoiceErrorCode, "an invoice")


@strawberry.type
class InvoiceError(Error):
    code: InvoiceErrorCode
    message: str
    field: str | None = None


@strawberry.type(name="Invoice", description="An electronic invoice (数电票) of one or more payments.")
class InvoiceType:
    id: strawberry.ID
    lot_id: strawberry.ID
    order_id: strawberry.ID = strawberry.field(description="The first payment it covers.")
    order_ids: list[strawberry.ID] = strawberry.field(description="Every payment it covers.")
    plate: str
    amount_fen: Fen
    title: str
    buyer_kind: BuyerKind
    tax_number: str
    email: str
    status: InvoiceStatus
    issued_at: datetime | None
    number: str = strawberry.field(description="The invoice number (发票号码) once issued.")
    attempts: int = strawberry.field(description="How often it was sent to the provider.")
    last_error: str = strawberry.field(description="The provider's last refusal or trouble, if any.")
    red_number: str = strawberry.field(
        description="Once reversed: the number of its red-letter confirmation form (红字确认单编号), with which the "
        "tax bureau issued the red invoice."
    )
    reversed_at: datetime | None
    created_at: datetime


@strawberry.type(description="An invoice as its driver sees it; the PDF is GET /api/driver/invoices/{id}/pdf.")
class DriverInvoice:
    id: strawberry.ID
    lot_id: strawberry.ID
    order_ids: list[strawberry.ID]
    amount_fen: Fen
    title: str
    buyer_kind: BuyerKind
    tax_number: str
    email: str
    status: InvoiceStatus
    number: str
    issued_at: datetime | None
    reversed_at: datetime | None
    created_at: datetime

    @classmethod
    def of(cls, row: Invoice) -> DriverInvoice:
        return cls(
            id=strawberry.ID(str(row.id)),
            lot_id=strawberry.ID(str(row.lot_id)),
            order_ids=[strawberry.ID(str(i)) for i in row.order_ids],
            amount_fen=Fen(row.amount_fen),
            title=row.title,
            buyer_kind=row.buyer_kind,
            tax_number=row.tax_number,
            email=row.email,
            status=row.status,
            number=row.number,
            issued_at=row.issued_at,
            reversed_at=row.reversed_at,
            created_at=row.created_at,
        )


@strawberry.type(description="A payment of the driver's that may be invoiced now (invoiceRequest's orderIds).")
class InvoiceablePayment:
    order_id: strawberry.ID
    lot_id: strawberry.ID
    lot_name: str
    plate: str
    amount_fen: Fen
    paid_at: datetime
    invoice_until: datetime = strawberry.field(description="The last moment it may be invoiced (the lot's deadline).")


@strawberry.type
class InvoiceablePaymentPage:
    items: list[InvoiceablePayment]
    page_info: PageInfo


@strawberry.type
class DriverInvoicePage:
    items: list[DriverInvoice]
    page_info: PageInfo


@strawberry.type(
    name="LotInvoiceSettings",
    description="A lot's invoicing entity (销售方) and tax settings. The provider's keys are not here: they stay in "
    "the server's credentials file, by seller tax number.",
)
class LotInvoiceSettingsType:
    lot_id: strawberry.ID
    enabled: bool
    seller_name: str
    seller_tax_number: str
    seller_address: str
    seller_phone: str
    seller_bank_account: str
    clerk: str
    tax_rate_permille: int = strawberry.field(description="VAT rate in per mille: 90 is 9%.")
    goods_code: str = strawberry.field(description="税收分类编码 of the parking fee (19 digits).")
    goods_name: str
    deadline_days: int = strawberry.field(description="Days after a payment its driver may ask for an invoice.")


@strawberry.type
class InvoiceSuccess:
    invoice: InvoiceType


@strawberry.type
class DriverInvoiceSuccess:
    invoice: DriverInvoice


@strawberry.type
class LotInvoiceSettingsSuccess:
    settings: LotInvoiceSettingsType


InvoiceResult = Annotated[InvoiceSuccess | InvoiceError, strawberry.union("InvoiceResult")]
InvoiceRequestResult = Annotated[DriverInvoiceSuccess | InvoiceError, strawberry.union("InvoiceRequestResult")]
LotInvoiceSettingsResult = Annotated[
    LotInvoiceSettingsSuccess | InvoiceError, strawberry.union("LotInvoiceSettingsResult")
]
