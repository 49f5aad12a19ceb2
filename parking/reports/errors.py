"""The error codes of the reports' mutations (the cashiers' shifts), each one of ``ErrorCode``."""

from __future__ import annotations

from enum import StrEnum

from parking.common.errors import ErrorCode


class ReportErrorCode(StrEnum):
    """The codes a shift use-case refuses with.

    Each has ``ErrorCode``'s value, so a client compares the same strings whichever enum it reads.
    """

    NOT_FOUND = ErrorCode.NOT_FOUND.value
    INVALID = ErrorCode.INVALID.value
    CONFLICT = ErrorCode.CONFLICT.value
    PERMISSION_DENIED = ErrorCode.PERMISSION_DENIED.value
