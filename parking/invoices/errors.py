"""The error codes of invoices: the ones their use-cases can refuse with, each one of ``ErrorCode``."""

from __future__ import annotations

from enum import StrEnum

from parking.common.errors import ErrorCode


class InvoiceErrorCode(StrEnum):
    """The codes an invoice request, retry, reversal or setting refuses with (``ErrorCode``'s values)."""

    UNAUTHENTICATED = ErrorCode.UNAUTHENTICATED.value
    NOT_FOUND = ErrorCode.NOT_FOUND.value
    INVALID = ErrorCode.INVALID.value
    CONFLICT = ErrorCode.CONFLICT.value
    DUPLICATE = ErrorCode.DUPLICATE.value
    EXPIRED = ErrorCode.EXPIRED.value
    PERMISSION_DENIED = ErrorCode.PERMISSION_DENIED.value
