"""The error codes of accounts: the ones its use-cases can refuse with, each one of ``ErrorCode``."""

from __future__ import annotations

from enum import StrEnum

from parking.common.errors import ErrorCode


class AccountErrorCode(StrEnum):
    """The codes an operator, role, API key or sign-in use-case refuses with.

    Each has ``ErrorCode``'s value, so a client compares the same strings whichever enum it reads.
    """

    NOT_FOUND = ErrorCode.NOT_FOUND.value
    INVALID = ErrorCode.INVALID.value
    DUPLICATE = ErrorCode.DUPLICATE.value
    PERMISSION_DENIED = ErrorCode.PERMISSION_DENIED.value
    CONFLICT = ErrorCode.CONFLICT.value
    IN_USE = ErrorCode.IN_USE.value
    INVALID_CREDENTIALS = ErrorCode.INVALID_CREDENTIALS.value
    LOCKED = ErrorCode.LOCKED.value
    INACTIVE = ErrorCode.INACTIVE.value
    UNAUTHENTICATED = ErrorCode.UNAUTHENTICATED.value
