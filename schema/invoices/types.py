"""The invoice object type."""

from __future__ import annotations

from datetime import datetime

import strawberry

from parking.invoices.models import InvoiceStatus
from schema.core import enums as _enums  # noqa: F401  (registers the enums)
from schema.core.money import Fen


@strawberry.type(name="Invoice", description="An electronic invoice request for a payment.")
class InvoiceType:
    id: strawberry.ID
    lot_id: strawberry.ID
    order_id: strawberry.ID
    plate: str
    amount_fen: Fen
    title: str
    tax_number: str
    status: InvoiceStatus
    issued_at: datetime | None
    number: str
    created_at: datetime
