"""Alipay against the fake gateway over real HTTP: RSA2 both ways, precreate/create, notify, refund, close."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import httpx
import pytest

from fakes.alipay import FakeAlipay
from fakes.keys import new_rsa_key, private_pem
from fakes.recorder import NotificationRecorder, Recorded
from parking.payments.callbacks import InMemoryNonceStore, apply_notification
from parking.payments.channels.alipay import AlipayChannel
from parking.payments.channels.base import (
    CreatedPayment,
    PaymentRequest,
    PayScene,
    RefundRequest,
    RefundState,
    TradeState,
)
from parking.payments.config import AlipayConfig
from parking.payments.errors import (
    AmountMismatch,
    ChannelError,
    ForgedSignature,
    MalformedNotification,
    Replay,
)
from parking.payments.ids import new_out_refund_no, new_out_trade_no
from parking.payments.state import CreditPayment, Order, OrderClosed, OrderState, PaymentSucceeded, apply


def now() -> datetime:
    return datetime.now(UTC)


async def precreate(alipay: AlipayChannel, amount: int = 1500) -> tuple[str, CreatedPayment]:
    out_trade_no = new_out_trade_no(now())
    created = await alipay.create_payment(PaymentRequest(out_trade_no, amount, "停车费 粤B12345", PayScene.ALIPAY_QR))
    return out_trade_no, created


async def pay(
    control: httpx.AsyncClient, recorder: tuple[NotificationRecorder, str], out_trade_no: str, **options: object
) -> list[Recorded]:
    before = len(recorder[0].received)
    await control.post(f"/trades/{out_trade_no}/pay", json=options)
    return recorder[0].received[before:]


async def test_precreate_returns_qr_and_request_was_rsa2_signed(
    alipay: AlipayChannel, alipay_fake: tuple[FakeAlipay, str]
) -> None:
    # when a QR trade is created
    out_trade_no, created = await precreate(alipay, 1234)
    # then a QR code comes back (the fake verified our RSA2 request signature) with the amount in yuan
    assert (created.qr_code or "").startswith("https://qr.alipay.com/bax0")
    request = alipay_fake[0].received[-1]
    assert request["method"] == "alipay.trade.precreate"
    assert '"total_amount":"12.34"' in request["biz_content"]
    assert alipay_fake[0].trades[out_trade_no]["total_fen"] == 1234


async def test_signed_notification_verified_and_credited_once(
    alipay: AlipayChannel, alipay_control: httpx.AsyncClient, recorder: tuple[NotificationRecorder, str]
) -> None:
    # given a QR trade paid, its notification retried once
    out_trade_no, _ = await precreate(alipay, 1500)
    deliveries = await pay(alipay_control, recorder, out_trade_no, copies=2)
    # when both are verified and applied
    order, credits = Order(out_trade_no, 1500), []
    for d in deliveries:
        note = alipay.parse_notification(d.headers, d.body, now())
        transition = apply_notification(order, note)
        credits += [e for e in transition.effects if isinstance(e, CreditPayment)]
        order = transition.new_state
    # then the amount is exact and the money is credited once
    assert len(deliveries) == 2
    assert note.amount_fen == 1500
    assert isinstance(note.event, PaymentSucceeded)
    assert len(credits) == 1
    assert order.state is OrderState.PAID
    assert (await alipay.query(out_trade_no)).state is TradeState.PAID
    assert alipay.acknowledgement(True).body == b"success"


async def test_forged_alipay_notification_is_refused(
    alipay: AlipayChannel, alipay_control: httpx.AsyncClient, recorder: tuple[NotificationRecorder, str]
) -> None:
    out_trade_no, _ = await precreate(alipay)
    [d] = await pay(alipay_control, recorder, out_trade_no, forge=True)
    with pytest.raises(ForgedSignature):
        alipay.parse_notification(d.headers, d.body, now())


async def test_altered_amount_breaks_the_signature(
    alipay: AlipayChannel, alipay_control: httpx.AsyncClient, recorder: tuple[NotificationRecorder, str]
) -> None:
    # given a genuine notification whose total_amount was changed in transit
    out_trade_no, _ = await precreate(alipay, 1500)
    [d] = await pay(alipay_control, recorder, out_trade_no)
    tampered = d.body.replace(b"total_amount=15.00", b"total_amount=0.01")
    # then it is refused
    with pytest.raises(ForgedSignature):
        alipay.parse_notification(d.headers, tampered, now())


async def test_signed_wrong_amount_is_refused_by_state_machine(
    alipay: AlipayChannel, alipay_control: httpx.AsyncClient, recorder: tuple[NotificationRecorder, str]
) -> None:
    out_trade_no, _ = await precreate(alipay, 1500)
    [d] = await pay(alipay_control, recorder, out_trade_no, amount_fen=100)
    note = alipay.parse_notification(d.headers, d.body, now())
    with pytest.raises(AmountMismatch):
        apply_notification(Order(out_trade_no, 1500), note)


async def test_old_and_replayed_alipay_notifications_are_refused(
    alipay: AlipayChannel, alipay_control: httpx.AsyncClient, recorder: tuple[NotificationRecorder, str]
) -> None:
    # given a notification sent 10 minutes ago, and a fresh one
    old_no, _ = await precreate(alipay)
    [old] = await pay(alipay_control, recorder, old_no, notify_time_offset_s=-600)
    fresh_no, _ = await precreate(alipay)
    [fresh] = await pay(alipay_control, recorder, fresh_no)
    # then the old one is outside the window and an exact copy of the fresh one is a replay
    with pytest.raises(Replay):
        alipay.parse_notification(old.headers, old.body, now())
    alipay.parse_notification(fresh.headers, fresh.body, now())
    with pytest.raises(Replay):
        alipay.parse_notification(fresh.headers, fresh.body, now())
    with pytest.raises(Replay):
        alipay.parse_notification(fresh.headers, fresh.body, now() + timedelta(minutes=6))


async def test_mini_program_create_returns_trade_no(alipay: AlipayChannel, alipay_fake: tuple[FakeAlipay, str]) -> None:
    out_trade_no = new_out_trade_no(now())
    request = PaymentRequest(out_trade_no, 600, "停车费", PayScene.ALIPAY_MINI, payer_id="2088102177846880")
    created = await alipay.create_payment(request)
    assert created.client_params == {"tradeNO": alipay_fake[0].trades[out_trade_no]["trade_no"]}
    assert (await alipay.query(out_trade_no)).state is TradeState.NOT_PAID


async def test_refund_within_and_beyond_payment(
    alipay: AlipayChannel, alipay_control: httpx.AsyncClient, recorder: tuple[NotificationRecorder, str]
) -> None:
    # given a paid trade of 15.00
    out_trade_no, _ = await precreate(alipay, 1500)
    await pay(alipay_control, recorder, out_trade_no)
    # when 5.00 is refunded, then it succeeds synchronously
    ok = await alipay.refund(RefundRequest(out_trade_no, new_out_refund_no(now()), 500, 1500, "多收"))
    assert ok.state is RefundState.SUCCEEDED
    # when 11.00 more is asked, then Alipay refuses it
    with pytest.raises(ChannelError) as raised:
        await alipay.refund(RefundRequest(out_trade_no, new_out_refund_no(now()), 1100, 1500))
    assert "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL" in raised.value.detail


async def test_close_unpaid_trade_and_closed_notification(
    alipay: AlipayChannel, alipay_control: httpx.AsyncClient, recorder: tuple[NotificationRecorder, str]
) -> None:
    # given an unpaid mini-program trade that is closed
    out_trade_no = new_out_trade_no(now())
    await alipay.create_payment(PaymentRequest(out_trade_no, 600, "停车费", PayScene.ALIPAY_MINI, payer_id="2088"))
    await alipay.close(out_trade_no)
    # then Alipay reports it closed
    assert (await alipay.query(out_trade_no)).state is TradeState.CLOSED
    assert apply(Order(out_trade_no, 600), OrderClosed()).new_state.state is OrderState.CLOSED


async def test_request_signed_with_wrong_app_key_is_refused(alipay_config: AlipayConfig) -> None:
    intruder = AlipayChannel(
        replace(alipay_config, app_private_key_pem=private_pem(new_rsa_key())), InMemoryNonceStore()
    )
    with pytest.raises(ChannelError, match=r"isv\.invalid-signature"):
        await intruder.create_payment(PaymentRequest(new_out_trade_no(now()), 100, "停车费", PayScene.ALIPAY_QR))


def test_unparseable_body_is_malformed(alipay: AlipayChannel) -> None:
    with pytest.raises(MalformedNotification):
        alipay.parse_notification({}, urlencode({"a": "1"}).encode() + b"&&&=", now())
