"""The error codes of parking codes: the ones making, changing or scanning a code can refuse with, each one of
``ErrorCode``."""

from __future__ import annotations

from enum import StrEnum

from parking.common.errors import ErrorCode


class CodeErrorCode(StrEnum):
    """The codes a parking-code use-case refuses with (``ErrorCode``'s values)."""

    NOT_FOUND = ErrorCode.NOT_FOUND.value
    INVALID = ErrorCode.INVALID.value
    EXPIRED = ErrorCode.EXPIRED.value
    USED = ErrorCode.USED.value
    DUPLICATE = ErrorCode.DUPLICATE.value
    CONFLICT = ErrorCode.CONFLICT.value
    INACTIVE = ErrorCode.INACTIVE.value
    INSUFFICIENT_FUNDS = ErrorCode.INSUFFICIENT_FUNDS.value
    PERMISSION_DENIED = ErrorCode.PERMISSION_DENIED.value
    RATE_LIMITED = ErrorCode.RATE_LIMITED.value
