"""The pure, idempotent payment order state machine: ``apply(order, event) -> Transition``."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from parking.payments.amounts import check_fen
from parking.payments.errors import AmountMismatch, InvalidTransition, RefundExceedsRefundable


class OrderState(StrEnum):
    CREATED = "created"
    PAYING = "paying"
    PAID = "paid"
    FAILED = "failed"
    CLOSED = "closed"
    PARTLY_REFUNDED = "partly_refunded"
    REFUNDED = "refunded"


class DoublePayment(StrEnum):
    """Why money that reached an order must go back instead of being credited to its stay."""

    ALREADY_SETTLED = "already_settled"  # the stay was paid by another order (another channel, cash...) first
    PAID_AFTER_CLOSE = "paid_after_close"  # the order had been closed (replaced, or paid another way)
    SECOND_TRANSACTION = "second_transaction"  # a second, different transaction for one paid order
    SOLD_OUT = "sold_out"  # a pass paid after its hold ran out, when the period's spaces were all sold


class RefundStatus(StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


@dataclass(frozen=True)
class RefundLine:
    out_refund_no: str
    amount_fen: int
    status: RefundStatus


@dataclass(frozen=True)
class Order:
    """What the state machine needs to know about an order; the ORM row is mapped to and from this."""

    out_trade_no: str
    amount_fen: int
    state: OrderState = OrderState.CREATED
    transaction_id: str | None = None
    paid_at: datetime | None = None
    refunds: tuple[RefundLine, ...] = ()

    @property
    def refunded_fen(self) -> int:
        return sum(r.amount_fen for r in self.refunds if r.status is RefundStatus.SUCCEEDED)

    @property
    def refundable_fen(self) -> int:
        """Paid money not yet refunded nor promised to a pending refund."""
        if self.state not in _HAS_MONEY:
            return 0
        held = sum(r.amount_fen for r in self.refunds if r.status is not RefundStatus.FAILED)
        return self.amount_fen - held

    def refund(self, out_refund_no: str) -> RefundLine | None:
        return next((r for r in self.refunds if r.out_refund_no == out_refund_no), None)


# --- events (from channels' notifications and queries, or our own commands) -------------------------------


@dataclass(frozen=True)
class PaymentStarted:
    """Client params were handed to the payer (JSAPI/QR) or deduction was requested (frictionless)."""


@dataclass(frozen=True)
class PaymentAccepted:
    """Frictionless parking: WeChat accepted the deduction (trade_state ACCEPTED), money not yet taken."""

    transaction_id: str


@dataclass(frozen=True)
class PaymentSucceeded:
    transaction_id: str
    amount_fen: int
    paid_at: datetime
    # BPA: WeChat advanced the money (垫资) because the payer's deduction failed.
    advanced_by_channel: bool = False


@dataclass(frozen=True)
class PaymentFailed:
    reason: str


@dataclass(frozen=True)
class OrderClosed:
    """We closed the order at the channel (or the channel reports it closed)."""


@dataclass(frozen=True)
class RefundRequested:
    out_refund_no: str
    amount_fen: int


@dataclass(frozen=True)
class RefundSucceeded:
    out_refund_no: str
    amount_fen: int


@dataclass(frozen=True)
class RefundFailed:
    out_refund_no: str


Event = (
    PaymentStarted
    | PaymentAccepted
    | PaymentSucceeded
    | PaymentFailed
    | OrderClosed
    | RefundRequested
    | RefundSucceeded
    | RefundFailed
)

# --- effects (what the caller must do after persisting the new order) ---------------------------------------


@dataclass(frozen=True)
class CreditPayment:
    out_trade_no: str
    transaction_id: str
    amount_fen: int


@dataclass(frozen=True)
class RecordFailure:
    out_trade_no: str
    reason: str


@dataclass(frozen=True)
class IssueRefund:
    out_trade_no: str
    out_refund_no: str
    amount_fen: int


@dataclass(frozen=True)
class CreditRefund:
    out_trade_no: str
    out_refund_no: str
    amount_fen: int


@dataclass(frozen=True)
class RecordDoublePayment:
    """Real money that must not be credited: it goes back to the payer (an alarm, a refund)."""

    out_trade_no: str
    reason: DoublePayment
    transaction_id: str
    amount_fen: int


Effect = CreditPayment | RecordFailure | IssueRefund | CreditRefund | RecordDoublePayment


@dataclass(frozen=True)
class Transition:
    new_state: Order
    effects: tuple[Effect, ...] = field(default=())
    # False for duplicates and overtaken events: nothing to persist, nothing to do.
    changed: bool = True


_OPEN = frozenset({OrderState.CREATED, OrderState.PAYING, OrderState.FAILED})
_HAS_MONEY = frozenset({OrderState.PAID, OrderState.PARTLY_REFUNDED, OrderState.REFUNDED})


def apply(order: Order, event: Event) -> Transition:
    """The order after ``event``; duplicates and events overtaken by later ones return it unchanged."""
    transition = _apply(order, event)
    return replace(transition, changed=transition.new_state != order or bool(transition.effects))


def _apply(order: Order, event: Event) -> Transition:
    match event:
        case PaymentStarted():
            if order.state is OrderState.CREATED:
                return Transition(replace(order, state=OrderState.PAYING))
            return Transition(order)
        case PaymentAccepted():
            if order.state is OrderState.CREATED:
                accepted = replace(order, state=OrderState.PAYING, transaction_id=event.transaction_id)
                return Transition(accepted)
            return Transition(order)
        case PaymentSucceeded():
            return _succeeded(order, event)
        case PaymentFailed():
            if order.state in (OrderState.CREATED, OrderState.PAYING):
                failed = replace(order, state=OrderState.FAILED)
                return Transition(failed, (RecordFailure(order.out_trade_no, event.reason),))
            return Transition(order)
        case OrderClosed():
            # Closing a paid order is a no-op: Alipay even reports TRADE_CLOSED after a full refund.
            if order.state in _OPEN:
                return Transition(replace(order, state=OrderState.CLOSED))
            return Transition(order)
        case RefundRequested():
            return _refund_requested(order, event)
        case RefundSucceeded():
            return _refund_succeeded(order, event)
        case RefundFailed():
            line = order.refund(event.out_refund_no)
            if line is None or line.status is not RefundStatus.PENDING:
                return Transition(order)
            return Transition(_with_refund(order, replace(line, status=RefundStatus.FAILED)))


def _succeeded(order: Order, event: PaymentSucceeded) -> Transition:
    check_fen(event.amount_fen)
    if event.amount_fen != order.amount_fen:
        raise AmountMismatch(order.out_trade_no, order.amount_fen, event.amount_fen)
    if order.state in _HAS_MONEY:
        if event.transaction_id == order.transaction_id:
            return Transition(order)
        # A second, different transaction for one order: money arrived twice, never credit it silently.
        double = DoublePayment.SECOND_TRANSACTION
        return Transition(
            order, (RecordDoublePayment(order.out_trade_no, double, event.transaction_id, event.amount_fen),)
        )
    paid = replace(order, state=OrderState.PAID, transaction_id=event.transaction_id, paid_at=event.paid_at)
    if order.state is OrderState.CLOSED:
        # The order was replaced or the stay paid another way: the money is recorded as the order's and goes
        # back, the stay is not credited twice.
        double = DoublePayment.PAID_AFTER_CLOSE
        return Transition(
            paid, (RecordDoublePayment(order.out_trade_no, double, event.transaction_id, event.amount_fen),)
        )
    return Transition(paid, (CreditPayment(order.out_trade_no, event.transaction_id, event.amount_fen),))


def _double(order: Order, event: PaymentSucceeded, reason: DoublePayment) -> RecordDoublePayment:
    return RecordDoublePayment(order.out_trade_no, reason, event.transaction_id, event.amount_fen)


def _refund_requested(order: Order, event: RefundRequested) -> Transition:
    check_fen(event.amount_fen)
    existing = order.refund(event.out_refund_no)
    if existing is not None:
        if existing.amount_fen != event.amount_fen:
            raise InvalidTransition(f"refund {event.out_refund_no} already exists with another amount")
        return Transition(order)
    if order.state not in _HAS_MONEY:
        raise InvalidTransition(f"order {order.out_trade_no} is {order.state}, nothing to refund")
    if event.amount_fen == 0 or event.amount_fen > order.refundable_fen:
        raise RefundExceedsRefundable(order.out_trade_no, event.amount_fen, order.refundable_fen)
    line = RefundLine(event.out_refund_no, event.amount_fen, RefundStatus.PENDING)
    new = replace(order, refunds=(*order.refunds, line))
    return Transition(new, (IssueRefund(order.out_trade_no, event.out_refund_no, event.amount_fen),))


def _refund_succeeded(order: Order, event: RefundSucceeded) -> Transition:
    line = order.refund(event.out_refund_no)
    if line is None:
        raise InvalidTransition(f"unknown refund {event.out_refund_no} on order {order.out_trade_no}")
    if event.amount_fen != line.amount_fen:
        raise AmountMismatch(event.out_refund_no, line.amount_fen, event.amount_fen)
    if line.status is RefundStatus.SUCCEEDED:
        return Transition(order)
    new = _with_refund(order, replace(line, status=RefundStatus.SUCCEEDED))
    state = OrderState.REFUNDED if new.refunded_fen == new.amount_fen else OrderState.PARTLY_REFUNDED
    effect = CreditRefund(order.out_trade_no, event.out_refund_no, event.amount_fen)
    return Transition(replace(new, state=state), (effect,))


def _with_refund(order: Order, line: RefundLine) -> Order:
    refunds = tuple(line if r.out_refund_no == line.out_refund_no else r for r in order.refunds)
    return replace(order, refunds=refunds)
