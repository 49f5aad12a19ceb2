"""What invoicing announces after commit: an invoice to issue, an invoice to reverse (handled in hooks.py)."""

from __future__ import annotations

from dataclasses import dataclass

from parking.common.domain_events import DomainEvent


@dataclass(frozen=True, slots=True)
class InvoiceRequested(DomainEvent):
    """A driver asked for it, or an operator retried a failed one: the provider is to issue it."""

    invoice_id: int


@dataclass(frozen=True, slots=True)
class InvoiceReversalWanted(DomainEvent):
    """An operator asked for its red-letter reversal."""

    invoice_id: int
