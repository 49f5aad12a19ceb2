"""The error codes of devices: the ones its use-cases can refuse with, each one of ``ErrorCode``."""

from __future__ import annotations

from enum import StrEnum

from parking.common.errors import ErrorCode


class DeviceErrorCode(StrEnum):
    """The codes a device registration (create, change, remove), secret or command use-case refuses with.

    Each has ``ErrorCode``'s value, so a client compares the same strings whichever enum it reads.
    """

    NOT_FOUND = ErrorCode.NOT_FOUND.value
    INVALID = ErrorCode.INVALID.value
    DUPLICATE = ErrorCode.DUPLICATE.value
    CONFLICT = ErrorCode.CONFLICT.value
    IN_USE = ErrorCode.IN_USE.value  # removing a device that records still point to
