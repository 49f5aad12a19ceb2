"""The one gateway interface every payment channel adapter implements, and its value types."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from parking.payments.state import Event, OrderClosed, PaymentAccepted, PaymentFailed, PaymentSucceeded


class PayScene(StrEnum):
    JSAPI = "jsapi"  # WeChat official account / mini-program (payer openid required)
    NATIVE = "native"  # WeChat QR code shown at the exit
    ALIPAY_QR = "alipay_qr"  # alipay.trade.precreate
    ALIPAY_MINI = "alipay_mini"  # alipay.trade.create (payer buyer_id / open_id required)


class TradeState(StrEnum):
    NOT_PAID = "not_paid"
    PAYING = "paying"
    PAID = "paid"
    FAILED = "failed"
    CLOSED = "closed"
    REFUNDED = "refunded"


class RefundState(StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class NotificationKind(StrEnum):
    PAYMENT = "payment"
    REFUND = "refund"
    ENTRANCE = "entrance"


@dataclass(frozen=True)
class PaymentRequest:
    out_trade_no: str
    amount_fen: int
    description: str
    scene: PayScene
    payer_id: str | None = None
    expires_at: datetime | None = None
    attach: str | None = None


@dataclass(frozen=True)
class CreatedPayment:
    out_trade_no: str
    scene: PayScene
    # What the mini-program / web page passes to wx.requestPayment or my.tradePay.
    client_params: Mapping[str, str] = field(default_factory=dict)
    qr_code: str | None = None


@dataclass(frozen=True)
class TradeStatus:
    out_trade_no: str
    state: TradeState
    amount_fen: int
    transaction_id: str | None = None
    paid_at: datetime | None = None
    advanced_by_channel: bool = False


@dataclass(frozen=True)
class RefundRequest:
    out_trade_no: str
    out_refund_no: str
    amount_fen: int
    total_fen: int
    reason: str = ""


@dataclass(frozen=True)
class RefundResult:
    out_refund_no: str
    refund_id: str
    state: RefundState
    amount_fen: int


@dataclass(frozen=True)
class ChannelNotification:
    """A verified notification, already turned into the state machine's event (None: nothing to apply)."""

    channel: str
    kind: NotificationKind
    out_trade_no: str
    amount_fen: int
    event: Event | None
    raw: Mapping[str, Any]


@dataclass(frozen=True)
class Ack:
    """The HTTP answer the channel expects from our notify_url."""

    status_code: int
    body: bytes
    media_type: str


class PaymentChannel(Protocol):
    @property
    def name(self) -> str: ...

    async def create_payment(self, request: PaymentRequest) -> CreatedPayment: ...

    async def query(self, out_trade_no: str) -> TradeStatus: ...

    async def close(self, out_trade_no: str) -> None: ...

    async def refund(self, request: RefundRequest) -> RefundResult: ...

    def parse_notification(self, headers: Mapping[str, str], body: bytes, now: datetime) -> ChannelNotification:
        """Verify and decode; raises a ``NotificationRejected`` subclass for anything not to act on."""
        ...

    def acknowledgement(self, accepted: bool) -> Ack: ...


def status_event(status: TradeStatus) -> Event | None:
    """The event a query result stands for, to catch up on a lost notification."""
    match status.state:
        case TradeState.PAID | TradeState.REFUNDED if status.transaction_id and status.paid_at:
            return PaymentSucceeded(
                status.transaction_id, status.amount_fen, status.paid_at, status.advanced_by_channel
            )
        case TradeState.PAYING if status.transaction_id:
            return PaymentAccepted(status.transaction_id)
        case TradeState.FAILED:
            return PaymentFailed("query: failed")
        case TradeState.CLOSED:
            return OrderClosed()
        case _:
            return None
