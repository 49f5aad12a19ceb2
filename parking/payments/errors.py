"""Typed payment errors: every refusal names what was wrong and changes nothing."""

from __future__ import annotations

from enum import StrEnum

from parking.common.errors import ErrorCode


class PaymentError(Exception):
    """Base of every payment refusal."""


class InvalidAmount(PaymentError, ValueError):
    """An amount that is not a whole, non-negative number of fen (or a malformed yuan string)."""


class NotificationRejected(PaymentError):
    """A channel notification that must not be acted on; the HTTP handler answers it with an error."""


class ForgedSignature(NotificationRejected):
    """The signature does not verify against the channel's public key."""


class Replay(NotificationRejected):
    """The notification is outside the time window or its nonce was already used."""


class MalformedNotification(NotificationRejected):
    """The notification cannot be parsed or decrypted (wrong APIv3 key, missing fields)."""


class AmountMismatch(PaymentError):
    """The channel reports a different amount than the order is for."""

    def __init__(self, out_trade_no: str, expected_fen: int, actual_fen: int) -> None:
        super().__init__(f"order {out_trade_no}: expected {expected_fen} fen, channel says {actual_fen} fen")
        self.out_trade_no = out_trade_no
        self.expected_fen = expected_fen
        self.actual_fen = actual_fen


class RefundExceedsRefundable(PaymentError):
    """A refund larger than what is still refundable on the order."""

    def __init__(self, out_trade_no: str, requested_fen: int, refundable_fen: int) -> None:
        super().__init__(f"order {out_trade_no}: refund of {requested_fen} fen exceeds refundable {refundable_fen} fen")
        self.requested_fen = requested_fen
        self.refundable_fen = refundable_fen


class InvalidTransition(PaymentError):
    """A command that makes no sense in the order's state (refund of an unpaid order...)."""


class ChannelError(PaymentError):
    """The payment channel answered with an error or an unverifiable response."""

    def __init__(self, channel: str, status: int | None, detail: str) -> None:
        super().__init__(f"{channel}: {status} {detail}")
        self.channel = channel
        self.status = status
        self.detail = detail


class PaymentErrorCode(StrEnum):
    """The codes a payment or refund use-case refuses with.

    Each has ``ErrorCode``'s value, so a client compares the same strings whichever enum it reads.
    """

    NOT_FOUND = ErrorCode.NOT_FOUND.value
    INVALID = ErrorCode.INVALID.value
    PERMISSION_DENIED = ErrorCode.PERMISSION_DENIED.value
    CONFLICT = ErrorCode.CONFLICT.value
    INSUFFICIENT_FUNDS = ErrorCode.INSUFFICIENT_FUNDS.value
    RATE_LIMITED = ErrorCode.RATE_LIMITED.value
