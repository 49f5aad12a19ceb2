"""What the invoicing use-cases need of an e-invoice provider (数电票 platform), whatever its wire format.

Our order number at the provider is derived from our invoice id (``blue_order_no``, ``red_order_no``): the
provider refuses a second order of the same number, so a retry after a lost answer asks the provider about the
number instead of issuing a second invoice.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

ORDER_PREFIX = "PC"


def blue_order_no(invoice_id: int) -> str:
    """The provider's order number of our invoice (at most 20 characters: Nuonuo's orderNo limit)."""
    return f"{ORDER_PREFIX}B{invoice_id:014d}"


def red_order_no(invoice_id: int) -> str:
    """The order number of its red-letter (红字) reversal."""
    return f"{ORDER_PREFIX}R{invoice_id:014d}"


class ProviderError(Exception):
    """Base of what a provider call can end in besides an answer."""


class ProviderUnavailable(ProviderError):
    """Unreachable, timed out or failing on its side: try again later (the work is idempotent)."""


class ProviderRefused(ProviderError):
    """The provider said no to this request (its code and words): retrying the same request will not help."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class ProviderDuplicate(ProviderRefused):
    """The order number is known already: the request was received before (ask for its result)."""


class ProviderState(StrEnum):
    PENDING = "pending"  # being issued or signed
    ISSUED = "issued"
    FAILED = "failed"


@dataclass(frozen=True)
class ProviderInvoice:
    """The provider's word on one order number."""

    order_no: str
    serial_no: str
    state: ProviderState
    number: str = ""
    pdf_url: str = ""
    fail_reason: str = ""


@dataclass(frozen=True)
class Seller:
    name: str
    tax_number: str
    address: str
    phone: str
    bank_account: str
    clerk: str


@dataclass(frozen=True)
class Buyer:
    name: str
    tax_number: str
    email: str


@dataclass(frozen=True)
class Line:
    """One line of goods, tax included (含税), amounts in fen."""

    goods_name: str
    goods_code: str
    amount_fen: int
    tax_rate_permille: int


@dataclass(frozen=True)
class BlueRequest:
    order_no: str
    seller: Seller
    buyer: Buyer
    lines: tuple[Line, ...]
    issued_at_local: str  # yyyy-MM-dd HH:mm:ss in China time, as the provider reads it


@dataclass(frozen=True)
class RedRequest:
    """The red-letter reversal of a whole issued invoice (our order number for it, the blue invoice's number)."""

    order_no: str
    seller_tax_number: str
    seller_name: str
    buyer_name: str
    blue_number: str
    requested_at_local: str  # yyyy-MM-dd HH:mm:ss in China time


class InvoiceProvider(Protocol):
    async def issue(self, request: BlueRequest) -> str:
        """Send a blue invoice; its serial number at the provider (issuing goes on there)."""
        ...

    async def reverse(self, request: RedRequest) -> str:
        """Ask for the red-letter reversal of an issued invoice; the provider's id of the request."""
        ...

    async def query(self, seller_tax_number: str, order_no: str) -> ProviderInvoice | None:
        """What the provider knows of the invoice ``order_no``; None when it never received it."""
        ...

    async def query_reversal(self, seller_tax_number: str, order_no: str) -> ProviderInvoice | None:
        """What the provider knows of the reversal ``order_no`` (ISSUED once the red invoice is out)."""
        ...


class InvoiceProviders(Protocol):
    def for_seller(self, tax_number: str) -> InvoiceProvider | None:
        """The provider account of a seller (by tax number); None when none is configured."""
        ...


def tax_of(amount_fen: int, rate_permille: int) -> int:
    """The tax inside a tax-included amount, in fen, rounded half up: amount × r / (1 + r)."""
    return (2 * amount_fen * rate_permille + (1000 + rate_permille)) // (2 * (1000 + rate_permille))
