"""What payments announce after commit (``parking.common.domain_events``): handlers are registered by the
composition root (the API registers the drivers' payment message, parking/payments/messages/hooks.py)."""

from __future__ import annotations

from dataclasses import dataclass

from parking.common.domain_events import DomainEvent


@dataclass(frozen=True, slots=True)
class StayPaymentCredited(DomainEvent):
    """A paid order was credited to its stay (the money counts towards what the stay owes)."""

    order_id: int
    session_id: int


@dataclass(frozen=True, slots=True)
class PaymentRefunded(DomainEvent):
    """Money of a paid order went back (a refund succeeded, in part or in full): what was invoiced of it no longer
    stands (parking/invoices reverses the invoice)."""

    order_id: int
    refund_id: int
