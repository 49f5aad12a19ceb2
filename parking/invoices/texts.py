"""What a driver or an operator reads about invoices: typed keys into the invoices catalogue
(``texts.zh_CN.toml``, ``texts.en.toml``)."""

from __future__ import annotations

from enum import StrEnum, auto
from typing import Final

from parking.common.catalogue import Catalogue
from parking.common.errors import DomainError, ErrorCode


class InvoiceText(StrEnum):
    LOGIN_NEEDED = auto()
    ORDERS_REQUIRED = auto()
    TOO_MANY_ORDERS = auto()
    ORDER_NOT_FOUND = auto()
    ORDER_NOT_PAID = auto()
    ORDER_REFUNDED = auto()
    ORDER_INVOICED = auto()
    ORDER_TOO_OLD = auto()
    ORDER_FREE = auto()
    ORDERS_OF_SEVERAL_LOTS = auto()
    LOT_NOT_INVOICING = auto()
    TITLE_INVALID = auto()
    TAX_NUMBER_INVALID = auto()
    TAX_NUMBER_REQUIRED = auto()
    TAX_NUMBER_NOT_PERSONAL = auto()
    EMAIL_INVALID = auto()
    INVOICE_NOT_FOUND = auto()
    NOT_RETRYABLE = auto()
    NOT_REVERSIBLE = auto()
    SELLER_NAME_INVALID = auto()
    SELLER_FIELD_TOO_LONG = auto()
    TAX_RATE_INVALID = auto()
    GOODS_CODE_INVALID = auto()
    DEADLINE_INVALID = auto()
    LOT_NOT_FOUND = auto()
    PROVIDER_NOT_CONFIGURED = auto()
    PROVIDER_PENDING = auto()
    # The line of goods on the invoice when the lot names none.
    PARKING_FEE = auto()


CATALOGUE: Final = Catalogue.load(InvoiceText, __name__.rpartition(".")[0])


def text(key: InvoiceText, /, **params: object) -> str:
    """``key`` in zh-CN."""
    return CATALOGUE.text(key, **params)


def refuse(code: ErrorCode, key: InvoiceText, field: str | None = None, **params: object) -> DomainError:
    return DomainError(code, text(key, **params), field)
