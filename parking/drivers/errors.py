"""The error codes of a driver's plates and what only a proven driver may see, each one of ``ErrorCode``."""

from __future__ import annotations

from enum import StrEnum

from parking.common.errors import ErrorCode


class DriverErrorCode(StrEnum):
    """The codes a driver's use-case refuses with (``ErrorCode``'s values)."""

    UNAUTHENTICATED = ErrorCode.UNAUTHENTICATED.value
    INVALID_PLATE = ErrorCode.INVALID_PLATE.value
    PLATE_LIMIT = ErrorCode.PLATE_LIMIT.value
    PLATE_BOUND_ELSEWHERE = ErrorCode.PLATE_BOUND_ELSEWHERE.value
    NOT_FOUND = ErrorCode.NOT_FOUND.value
    NOT_PROVEN = ErrorCode.NOT_PROVEN.value
    RATE_LIMITED = ErrorCode.RATE_LIMITED.value
    INVALID = ErrorCode.INVALID.value
    INVALID_CREDENTIALS = ErrorCode.INVALID_CREDENTIALS.value
    DUPLICATE = ErrorCode.DUPLICATE.value
