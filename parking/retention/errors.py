"""The error codes of retention: the ones its use-cases can refuse with, each one of ``ErrorCode``."""

from __future__ import annotations

from enum import StrEnum

from parking.common.errors import ErrorCode


class RetentionErrorCode(StrEnum):
    """The codes the retention setting refuses with (``ErrorCode``'s values)."""

    NOT_FOUND = ErrorCode.NOT_FOUND.value
    INVALID = ErrorCode.INVALID.value
    PERMISSION_DENIED = ErrorCode.PERMISSION_DENIED.value
