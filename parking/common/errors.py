"""Expected domain errors: a code the API maps to an enum, a message, and the offending field."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    NOT_FOUND = "not_found"
    INVALID = "invalid"
    DUPLICATE = "duplicate"
    PERMISSION_DENIED = "permission_denied"
    CONFLICT = "conflict"
    IN_USE = "in_use"
    INVALID_CREDENTIALS = "invalid_credentials"
    LOCKED = "locked"
    INACTIVE = "inactive"
    INSUFFICIENT_FUNDS = "insufficient_funds"
    RATE_LIMITED = "rate_limited"  # too many requests from one client address: try again later
    EXPIRED = "expired"  # a code or token past its time (or before it)
    USED = "used"  # a code that has been used as often as it may be
    UNAUTHENTICATED = "unauthenticated"  # no (valid) login where one is needed: a driver's or operator's token
    INVALID_PLATE = "invalid_plate"  # text that is not a plate under the grammar (parking.plates)
    PLATE_LIMIT = "plate_limit"  # a driver's account holds as many plates as it may
    PLATE_BOUND_ELSEWHERE = "plate_bound_elsewhere"  # another driver's account holds the plate
    NOT_PROVEN = "not_proven"  # the driver has not proven that they drive the plate
    # The live event bus (Redis) cannot be reached: a subscription refused, or a live one ended; subscribe again.
    EVENTS_UNAVAILABLE = "events_unavailable"
    # The image store (an S3 bucket) did not answer: nothing changed; ask again later.
    IMAGES_UNAVAILABLE = "images_unavailable"


class DomainError(Exception):
    def __init__(self, code: ErrorCode, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


class NotFound(DomainError):
    def __init__(self, what: str, field: str | None = None) -> None:
        super().__init__(ErrorCode.NOT_FOUND, f"{what} not found", field)


class PermissionDenied(DomainError):
    def __init__(self, permission: str) -> None:
        permission = str(permission)  # a Perm member reads as its code, not as the enum's repr
        super().__init__(ErrorCode.PERMISSION_DENIED, f"permission {permission!r} required")
        self.permission = permission
