"""Paying at the exit and inside the lot: the gate opens once, grace after a prepayment, one open order per stay."""

from __future__ import annotations

from datetime import timedelta

import pytest

from parking.common.errors import DomainError, ErrorCode
from parking.common.scope import Scope
from parking.devices.models import GateCommandStatus
from parking.lanes.decisions import Reason
from parking.payments.models import OrderStatus, PaymentChannel, PaymentPurpose
from parking.payments.service import StayRef, record_cash, start_payment
from parking.sessions.enums import ReleaseMethod, SessionState
from tests.payments.flow import PLATE, Flow, wall_now


async def test_payment_while_waiting_at_the_exit_opens_the_gate_once(flow: Flow) -> None:
    # given a car held at the exit for its 600 fen
    session_id = await flow.enter(minutes_ago=70)
    held = await flow.site.read("out", PLATE, wall_now() - timedelta(minutes=1))
    assert held.decision.reason is Reason.FEE_DUE
    assert held.decision.fee_fen == 600
    # when the driver scans the exit code, pays, and WeChat notifies us twice
    started = await flow.start(session_id, PaymentChannel.WECHAT_NATIVE)
    assert started.order.purpose is PaymentPurpose.PARKING_EXIT
    assert (started.qr_code or "").startswith("weixin://wxpay/bizpayurl")
    responses = await flow.relay(await flow.wechat_pay(started.order.out_trade_no, copies=2))
    assert [r.status_code for r in responses] == [204, 204]
    # then exactly one open is queued for the exit lane, and the stay is closed as paid by exit scan
    [command] = await flow.queued_opens(session_id)
    assert command.status is GateCommandStatus.PENDING
    assert command.lane_id == flow.site.ids["out"]
    assert command.lane_event_id == held.event_id
    stay = await flow.stay(session_id)
    assert stay.state is SessionState.EXITED
    assert stay.release_method is ReleaseMethod.EXIT_SCAN
    assert stay.paid_fen == 600
    assert await flow.site.occupied() == (0, 0)


async def test_prepay_inside_then_exit_within_grace_opens_free(flow: Flow) -> None:
    # given a driver who paid 600 fen from the mini-program while still parked
    session_id = await flow.enter(minutes_ago=70)
    started = await flow.start(session_id)
    await flow.relay(await flow.wechat_request_payment(started.client_params))
    assert (await flow.stay(session_id)).paid_fen == 600
    assert await flow.queued_opens(session_id) == []  # nobody at the exit: nothing to open
    # when the car reaches the exit 10 minutes later (inside the 15-minute grace)
    out = await flow.site.read("out", PLATE, wall_now() + timedelta(minutes=10))
    # then it leaves at once, with nothing more to pay
    assert out.decision.opens
    assert out.decision.reason is Reason.IN_GRACE
    stay = await flow.stay(session_id)
    assert stay.state is SessionState.EXITED
    assert stay.release_method is ReleaseMethod.PREPAID
    assert len(await flow.orders(session_id)) == 1


async def test_prepay_then_exit_after_grace_pays_only_the_difference(flow: Flow) -> None:
    # given a car inside for 110 minutes that paid 600 fen in cash at the booth 40 minutes ago (70 minutes in)
    now = wall_now()
    session_id = await flow.enter(minutes_ago=110)
    paid_at = now - timedelta(minutes=40)
    booth = await record_cash(flow.db, flow.channels, Scope.internal(), session_id, 600, None, paid_at)
    assert booth.order.status is OrderStatus.PAID
    # when it reaches the exit, 25 minutes past the grace window
    held = await flow.site.read("out", PLATE, now - timedelta(minutes=1))
    # then it owes only the difference: 4 half hours (800) less the 600 paid
    assert held.decision.reason is Reason.FEE_DUE
    assert held.decision.fee_fen == 200
    started = await flow.start(session_id, PaymentChannel.WECHAT_NATIVE)
    assert started.order.amount_fen == 200
    await flow.relay(await flow.wechat_pay(started.order.out_trade_no))
    [command] = await flow.queued_opens(session_id)
    assert command.status is GateCommandStatus.PENDING
    stay = await flow.stay(session_id)
    assert (stay.state, stay.paid_fen, stay.release_method) == (SessionState.EXITED, 800, ReleaseMethod.EXIT_SCAN)


async def test_asking_again_reuses_the_open_order_and_a_new_amount_gets_an_order_beside_it(flow: Flow) -> None:
    session_id = await flow.enter(minutes_ago=70)
    now = wall_now()
    first = await flow.start(session_id, now=now)
    again = await flow.start(session_id, now=now + timedelta(minutes=5))
    assert again.reused
    assert again.order.out_trade_no == first.order.out_trade_no
    assert again.client_params == first.client_params
    # 25 minutes later a fourth half hour has started: an 800 fen order is made beside the 600 fen one, which
    # stays open (the payer may be paying it right now; if both are paid, the second goes back)
    later = await flow.start(session_id, now=now + timedelta(minutes=25))
    assert not later.reused
    assert later.order.amount_fen == 800
    orders = await flow.orders(session_id)
    assert [(o.amount_fen, o.status) for o in orders] == [(600, OrderStatus.PAYING), (800, OrderStatus.PAYING)]


async def test_another_channel_never_closes_the_open_order(flow: Flow) -> None:
    session_id = await flow.enter(minutes_ago=70)
    wechat = await flow.start(session_id, PaymentChannel.WECHAT_NATIVE)
    alipay = await flow.start(session_id, PaymentChannel.ALIPAY_QR)
    orders = await flow.orders(session_id)
    assert [(o.out_trade_no, o.status) for o in orders] == [
        (wechat.order.out_trade_no, OrderStatus.PAYING),
        (alipay.order.out_trade_no, OrderStatus.PAYING),
    ]
    # and the first one is still payable at WeChat
    assert (await flow.channels.wechatpay.query(wechat.order.out_trade_no)).state.value == "not_paid"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("channel", "payer", "field"),
    [(PaymentChannel.WECHAT_JSAPI, None, "payerId"), (PaymentChannel.CASH, None, "channel")],
)
async def test_bad_requests_are_refused_and_make_no_order(
    flow: Flow, channel: PaymentChannel, payer: str | None, field: str
) -> None:
    session_id = await flow.enter(minutes_ago=70)
    with pytest.raises(DomainError) as refused:
        await start_payment(flow.db, flow.channels, Scope.internal(), StayRef(session_id), channel, wall_now())
    assert (refused.value.code, refused.value.field) == (ErrorCode.INVALID, field)
    assert await flow.orders(session_id) == []


async def test_nothing_due_makes_no_order(flow: Flow) -> None:
    session_id = await flow.enter(minutes_ago=5)  # inside the 15 free minutes
    with pytest.raises(DomainError) as refused:
        await flow.start(session_id)
    assert refused.value.message == "nothing to pay"
    assert await flow.orders(session_id) == []


async def test_cash_for_the_wrong_amount_is_refused(flow: Flow) -> None:
    session_id = await flow.enter(minutes_ago=70)
    with pytest.raises(DomainError) as refused:
        await record_cash(flow.db, flow.channels, Scope.internal(), session_id, 500, None, wall_now())
    assert (refused.value.code, refused.value.field) == (ErrorCode.INVALID, "amountFen")
    assert await flow.orders(session_id) == []
    assert (await flow.stay(session_id)).paid_fen == 0


async def test_cash_at_the_exit_lets_the_car_out(flow: Flow) -> None:
    session_id = await flow.enter(minutes_ago=70)
    await flow.site.read("out", PLATE, wall_now() - timedelta(minutes=1))
    open_online = await flow.start(session_id, PaymentChannel.WECHAT_NATIVE)
    cash = await record_cash(flow.db, flow.channels, Scope.internal(), session_id, 600, None, wall_now())
    assert cash.applied.credited
    assert cash.applied.gate_command_id is not None
    orders = await flow.orders(session_id)
    assert [(o.channel, o.status) for o in orders] == [
        (PaymentChannel.WECHAT_NATIVE, OrderStatus.CLOSED),
        (PaymentChannel.CASH, OrderStatus.PAID),
    ]
    assert orders[0].out_trade_no == open_online.order.out_trade_no
    stay = await flow.stay(session_id)
    assert (stay.state, stay.paid_fen) == (SessionState.EXITED, 600)
