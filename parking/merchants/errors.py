"""The error codes of merchants: the ones its use-cases can refuse with, each one of ``ErrorCode``."""

from __future__ import annotations

from enum import StrEnum

from parking.common.errors import ErrorCode


class MerchantErrorCode(StrEnum):
    """The codes a merchant use-case refuses with.

    Each has ``ErrorCode``'s value, so a client compares the same strings whichever enum it reads.
    """

    NOT_FOUND = ErrorCode.NOT_FOUND.value
    INVALID = ErrorCode.INVALID.value
    DUPLICATE = ErrorCode.DUPLICATE.value
    CONFLICT = ErrorCode.CONFLICT.value
    INACTIVE = ErrorCode.INACTIVE.value
    INSUFFICIENT_FUNDS = ErrorCode.INSUFFICIENT_FUNDS.value
    PERMISSION_DENIED = ErrorCode.PERMISSION_DENIED.value
    RATE_LIMITED = ErrorCode.RATE_LIMITED.value
