"""The order state machine: idempotent, order-insensitive, refunds bounded by what was paid."""

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parking.payments.errors import AmountMismatch, InvalidTransition, RefundExceedsRefundable
from parking.payments.state import (
    CreditPayment,
    CreditRefund,
    DoublePayment,
    Event,
    IssueRefund,
    Order,
    OrderClosed,
    OrderState,
    PaymentAccepted,
    PaymentFailed,
    PaymentStarted,
    PaymentSucceeded,
    RecordDoublePayment,
    RecordFailure,
    RefundFailed,
    RefundRequested,
    RefundSucceeded,
    apply,
)

PAID_AT = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)


def paid_order(amount: int = 1500) -> Order:
    return apply(Order("P1", amount), PaymentSucceeded("T1", amount, PAID_AT)).new_state


def test_success_credits_once_and_duplicate_is_a_noop() -> None:
    # given an order being paid
    order = apply(Order("P1", 1500), PaymentStarted()).new_state
    # when the same success notification arrives twice
    first = apply(order, PaymentSucceeded("T1", 1500, PAID_AT))
    second = apply(first.new_state, PaymentSucceeded("T1", 1500, PAID_AT))
    # then the money is credited exactly once
    assert first.effects == (CreditPayment("P1", "T1", 1500),)
    assert first.new_state.state is OrderState.PAID
    assert second.effects == ()
    assert second.changed is False
    assert second.new_state == first.new_state


def test_failure_arriving_after_success_is_ignored() -> None:
    # given a paid order
    order = paid_order()
    # when a stale failure arrives out of order
    transition = apply(order, PaymentFailed("PAY_FAIL"))
    # then nothing changes
    assert transition.new_state == order
    assert transition.changed is False


def test_frictionless_accepted_then_pay_fail_then_pay_back() -> None:
    # given a frictionless deduction accepted by WeChat
    accepted = apply(Order("P2", 800), PaymentAccepted("T9")).new_state
    # when the deduction fails and the driver later repays
    failed = apply(accepted, PaymentFailed("PAY_FAIL"))
    repaid = apply(failed.new_state, PaymentSucceeded("T9", 800, PAID_AT))
    # then the order went paying -> failed -> paid, crediting once
    assert accepted.state is OrderState.PAYING
    assert failed.new_state.state is OrderState.FAILED
    assert failed.effects == (RecordFailure("P2", "PAY_FAIL"),)
    assert repaid.new_state.state is OrderState.PAID
    assert repaid.effects == (CreditPayment("P2", "T9", 800),)


def test_success_with_wrong_amount_is_refused() -> None:
    # given an order of 1500 fen
    order = Order("P1", 1500)
    # when the channel says 1 fen was paid, then it is refused
    with pytest.raises(AmountMismatch):
        apply(order, PaymentSucceeded("T1", 1, PAID_AT))


def test_second_transaction_for_same_order_is_a_double_payment_not_credited() -> None:
    # given a paid order
    order = paid_order()
    # when another transaction pays the same order
    transition = apply(order, PaymentSucceeded("T2", 1500, PAID_AT))
    # then it is recorded as a double payment and not credited
    assert transition.effects == (RecordDoublePayment("P1", DoublePayment.SECOND_TRANSACTION, "T2", 1500),)
    assert transition.new_state == order


def test_money_after_close_is_a_double_payment_not_credited() -> None:
    # given a closed order
    closed = apply(Order("P1", 1500), OrderClosed()).new_state
    # when money arrives anyway
    transition = apply(closed, PaymentSucceeded("T1", 1500, PAID_AT))
    # then the order holds the money (so it can be refunded) but the stay is not credited
    assert transition.new_state.state is OrderState.PAID
    assert transition.effects == (RecordDoublePayment("P1", DoublePayment.PAID_AFTER_CLOSE, "T1", 1500),)


def test_refund_larger_than_payment_is_refused() -> None:
    # given a paid order of 1500 fen
    order = paid_order(1500)
    # when a refund of 1501 fen is asked, then it is refused
    with pytest.raises(RefundExceedsRefundable) as raised:
        apply(order, RefundRequested("R1", 1501))
    assert raised.value.refundable_fen == 1500


def test_pending_refunds_count_against_refundable() -> None:
    # given a paid order with a pending refund of 1000
    order = apply(paid_order(1500), RefundRequested("R1", 1000)).new_state
    # when a second refund of 600 is asked, then it is refused
    with pytest.raises(RefundExceedsRefundable):
        apply(order, RefundRequested("R2", 600))


def test_refund_of_unpaid_order_is_refused() -> None:
    with pytest.raises(InvalidTransition):
        apply(Order("P1", 1500), RefundRequested("R1", 100))


def test_partial_then_full_refund() -> None:
    # given a paid order
    order = paid_order(1500)
    # when two refunds are requested and succeed (the second one notified twice)
    requested = apply(order, RefundRequested("R1", 500))
    part = apply(requested.new_state, RefundSucceeded("R1", 500))
    rest = apply(apply(part.new_state, RefundRequested("R2", 1000)).new_state, RefundSucceeded("R2", 1000))
    again = apply(rest.new_state, RefundSucceeded("R2", 1000))
    # then the states and effects are exact
    assert requested.effects == (IssueRefund("P1", "R1", 500),)
    assert part.new_state.state is OrderState.PARTLY_REFUNDED
    assert part.effects == (CreditRefund("P1", "R1", 500),)
    assert rest.new_state.state is OrderState.REFUNDED
    assert rest.new_state.refunded_fen == 1500
    assert again.changed is False


def test_failed_refund_releases_the_amount() -> None:
    # given a pending refund of the whole order that then fails
    order = apply(paid_order(1500), RefundRequested("R1", 1500)).new_state
    failed = apply(order, RefundFailed("R1"))
    # then the amount is refundable again
    assert failed.changed is True
    assert failed.new_state.refundable_fen == 1500
    assert failed.effects == ()


def test_close_after_refund_is_a_noop() -> None:
    # given a fully refunded order (Alipay then reports TRADE_CLOSED)
    order = apply(paid_order(100), RefundRequested("R1", 100)).new_state
    refunded = apply(order, RefundSucceeded("R1", 100)).new_state
    # then closing it changes nothing
    assert apply(refunded, OrderClosed()).new_state == refunded


EVENTS = st.sampled_from(
    [
        PaymentStarted(),
        PaymentAccepted("T1"),
        PaymentSucceeded("T1", 1500, PAID_AT),
        PaymentFailed("PAY_FAIL"),
        OrderClosed(),
    ]
)


@given(st.lists(EVENTS, max_size=8))
def test_any_event_sequence_credits_at_most_once_and_replaying_is_a_noop(events: list[Event]) -> None:
    # given any sequence of channel events
    order = Order("P1", 1500)
    credits = doubles = 0
    for event in events:
        transition = apply(order, event)
        credits += sum(isinstance(e, CreditPayment) for e in transition.effects)
        doubles += sum(isinstance(e, RecordDoublePayment) for e in transition.effects)
        # then applying the same event again never changes anything
        assert apply(transition.new_state, event).changed is False
        order = transition.new_state
    # a paid order's money was either credited or recorded as a double payment, exactly once
    assert credits + doubles == (1 if order.state is OrderState.PAID else 0)
