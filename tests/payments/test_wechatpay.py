"""WeChat Pay APIv3 against the fake over real HTTP: orders, paySign, notifications, refunds."""

import base64
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from fakes.keys import load_public, new_rsa_key, private_pem, public_pem
from fakes.recorder import NotificationRecorder, Recorded
from fakes.wechatpay import FakeWeChatPay
from parking.payments.callbacks import InMemoryNonceStore, apply_notification, check_amount
from parking.payments.channels.base import (
    CreatedPayment,
    NotificationKind,
    PaymentRequest,
    PayScene,
    RefundRequest,
    RefundState,
    TradeState,
    status_event,
)
from parking.payments.channels.wechatpay import WeChatPayChannel
from parking.payments.config import WeChatPayConfig
from parking.payments.errors import (
    AmountMismatch,
    ChannelError,
    ForgedSignature,
    MalformedNotification,
    RefundExceedsRefundable,
    Replay,
)
from parking.payments.ids import new_out_refund_no, new_out_trade_no
from parking.payments.state import (
    CreditPayment,
    CreditRefund,
    Order,
    OrderState,
    PaymentStarted,
    PaymentSucceeded,
    RefundRequested,
    RefundSucceeded,
    apply,
)

OPENID = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"


def now() -> datetime:
    # The fake signs with the wall clock; verification time is passed explicitly from it.
    return datetime.now(UTC)


def new_no() -> str:
    return new_out_trade_no(now())


async def create_jsapi(wechat: WeChatPayChannel, amount: int = 1500) -> tuple[str, CreatedPayment]:
    out_trade_no = new_no()
    request = PaymentRequest(out_trade_no, amount, "停车费 粤B12345", PayScene.JSAPI, payer_id=OPENID)
    return out_trade_no, await wechat.create_payment(request)


def received_since(recorder: tuple[NotificationRecorder, str], count_before: int) -> list[Recorded]:
    return recorder[0].received[count_before:]


async def test_jsapi_returns_verifiable_pay_sign(wechat: WeChatPayChannel, wechat_config: WeChatPayConfig) -> None:
    # given a JSAPI order
    _, created = await create_jsapi(wechat)
    params = created.client_params
    # then paySign verifies with the merchant public key over appId, timeStamp, nonceStr, package
    private = serialization.load_pem_private_key(wechat_config.merchant_private_key_pem.encode(), None)
    merchant_public = load_public(public_pem(private.public_key()))  # type: ignore[arg-type]
    message = f"{params['appId']}\n{params['timeStamp']}\n{params['nonceStr']}\n{params['package']}\n"
    signature = base64.b64decode(params["paySign"])
    merchant_public.verify(signature, message.encode(), padding.PKCS1v15(), hashes.SHA256())
    assert params["appId"] == wechat_config.appid
    assert params["package"].startswith("prepay_id=wx")
    assert params["signType"] == "RSA"


async def test_native_returns_code_url(wechat: WeChatPayChannel, wechat_fake: tuple[FakeWeChatPay, str]) -> None:
    # when a Native order is created
    out_trade_no = new_no()
    created = await wechat.create_payment(PaymentRequest(out_trade_no, 800, "停车费", PayScene.NATIVE))
    # then a weixin:// QR payload comes back and the fake recorded our signed request
    assert (created.qr_code or "").startswith("weixin://wxpay/bizpayurl?pr=")
    body = json.loads(wechat_fake[0].received[-1]["body"])
    assert body["amount"] == {"total": 800, "currency": "CNY"}
    assert body["out_trade_no"] == out_trade_no


async def test_success_notification_is_decrypted_verified_and_credited(
    wechat: WeChatPayChannel, wechat_control: httpx.AsyncClient, recorder: tuple[NotificationRecorder, str]
) -> None:
    # given a JSAPI order the driver pays in WeChat (the fake checks paySign like the WeChat client does)
    out_trade_no, created = await create_jsapi(wechat, 1500)
    before = len(recorder[0].received)
    reply = await wechat_control.post("/request-payment", json=dict(created.client_params))
    assert reply.status_code == 200
    # when the notification that arrived is parsed
    [delivery] = received_since(recorder, before)
    note = wechat.parse_notification(delivery.headers, delivery.body, now())
    # then it is a verified success for the exact amount, credited once
    assert note.kind is NotificationKind.PAYMENT
    assert note.out_trade_no == out_trade_no
    assert note.amount_fen == 1500
    assert isinstance(note.event, PaymentSucceeded)
    order = apply(Order(out_trade_no, 1500), PaymentStarted()).new_state
    transition = apply_notification(order, note)
    assert transition.effects == (CreditPayment(out_trade_no, note.event.transaction_id, 1500),)
    assert (await wechat.query(out_trade_no)).state is TradeState.PAID


async def test_duplicate_notifications_credit_once(
    wechat: WeChatPayChannel, wechat_control: httpx.AsyncClient, recorder: tuple[NotificationRecorder, str]
) -> None:
    # given a paid order whose notification arrives twice (each copy freshly signed)
    out_trade_no, _ = await create_jsapi(wechat, 990)
    before = len(recorder[0].received)
    await wechat_control.post(f"/transactions/{out_trade_no}/pay", json={"copies": 2})
    deliveries = received_since(recorder, before)
    # when both are verified and applied
    order, credits = Order(out_trade_no, 990), []
    for d in deliveries:
        transition = apply_notification(order, wechat.parse_notification(d.headers, d.body, now()))
        credits += [e for e in transition.effects if isinstance(e, CreditPayment)]
        order = transition.new_state
    # then the money is credited exactly once
    assert len(deliveries) == 2
    assert len(credits) == 1
    assert order.state is OrderState.PAID


async def test_forged_signature_is_refused(
    wechat: WeChatPayChannel, wechat_control: httpx.AsyncClient, recorder: tuple[NotificationRecorder, str]
) -> None:
    # given a notification signed with a key WeChat does not own
    out_trade_no, _ = await create_jsapi(wechat)
    before = len(recorder[0].received)
    await wechat_control.post(f"/transactions/{out_trade_no}/pay", json={"forge": True})
    [delivery] = received_since(recorder, before)
    # then it is refused
    with pytest.raises(ForgedSignature):
        wechat.parse_notification(delivery.headers, delivery.body, now())


async def test_tampered_body_is_refused(
    wechat: WeChatPayChannel, wechat_control: httpx.AsyncClient, recorder: tuple[NotificationRecorder, str]
) -> None:
    # given a genuine notification whose body was altered in transit
    out_trade_no, _ = await create_jsapi(wechat)
    before = len(recorder[0].received)
    await wechat_control.post(f"/transactions/{out_trade_no}/pay", json={})
    [delivery] = received_since(recorder, before)
    tampered = delivery.body.replace(b"TRANSACTION.SUCCESS", b"TRANSACTION.SUCCEED")
    # then the signature no longer verifies
    with pytest.raises(ForgedSignature):
        wechat.parse_notification(delivery.headers, tampered, now())


async def test_replay_outside_window_and_same_nonce_are_refused(
    wechat: WeChatPayChannel, wechat_control: httpx.AsyncClient, recorder: tuple[NotificationRecorder, str]
) -> None:
    # given a genuine notification
    out_trade_no, _ = await create_jsapi(wechat)
    before = len(recorder[0].received)
    await wechat_control.post(f"/transactions/{out_trade_no}/pay", json={})
    [d] = received_since(recorder, before)
    # when it is replayed 6 minutes later, then it is refused
    with pytest.raises(Replay, match="outside"):
        wechat.parse_notification(d.headers, d.body, now() + timedelta(minutes=6))
    # when it is accepted once and replayed at once, then the second is refused
    wechat.parse_notification(d.headers, d.body, now())
    with pytest.raises(Replay, match="already used"):
        wechat.parse_notification(d.headers, d.body, now())


async def test_notification_timestamped_ten_minutes_ago_is_refused(
    wechat: WeChatPayChannel, wechat_control: httpx.AsyncClient, recorder: tuple[NotificationRecorder, str]
) -> None:
    out_trade_no, _ = await create_jsapi(wechat)
    before = len(recorder[0].received)
    await wechat_control.post(f"/transactions/{out_trade_no}/pay", json={"timestamp_offset_s": -600})
    [d] = received_since(recorder, before)
    with pytest.raises(Replay):
        wechat.parse_notification(d.headers, d.body, now())


async def test_wrong_amount_is_refused(
    wechat: WeChatPayChannel, wechat_control: httpx.AsyncClient, recorder: tuple[NotificationRecorder, str]
) -> None:
    # given a validly signed notification reporting 1 fen for a 1500 fen order
    out_trade_no, _ = await create_jsapi(wechat, 1500)
    before = len(recorder[0].received)
    await wechat_control.post(f"/transactions/{out_trade_no}/pay", json={"amount_fen": 1})
    [d] = received_since(recorder, before)
    note = wechat.parse_notification(d.headers, d.body, now())
    # then the amount check, the whole notification check and the state machine all refuse it
    with pytest.raises(AmountMismatch):
        check_amount(out_trade_no, 1500, note.amount_fen)
    with pytest.raises(AmountMismatch):
        apply_notification(Order(out_trade_no, 1500), note)
    assert isinstance(note.event, PaymentSucceeded)
    with pytest.raises(AmountMismatch):
        apply(Order(out_trade_no, 1500), note.event)
    # and it cannot be applied to another order either
    with pytest.raises(MalformedNotification):
        apply_notification(Order("P_OTHER_ORDER", 1), note)


async def test_wrong_apiv3_key_cannot_decrypt(
    wechat_config: WeChatPayConfig,
    wechat_control: httpx.AsyncClient,
    recorder: tuple[NotificationRecorder, str],
    wechat: WeChatPayChannel,
) -> None:
    # given a channel configured with another APIv3 key
    other = WeChatPayChannel(replace(wechat_config, apiv3_key="k" * 32), InMemoryNonceStore())
    out_trade_no, _ = await create_jsapi(wechat)
    before = len(recorder[0].received)
    await wechat_control.post(f"/transactions/{out_trade_no}/pay", json={})
    [d] = received_since(recorder, before)
    # then the resource cannot be decrypted
    with pytest.raises(MalformedNotification):
        other.parse_notification(d.headers, d.body, now())


async def test_request_signed_with_unknown_key_is_refused_by_the_fake(wechat_config: WeChatPayConfig) -> None:
    # given a client whose private key does not match the registered serial
    intruder = WeChatPayChannel(
        replace(wechat_config, merchant_private_key_pem=private_pem(new_rsa_key())), InMemoryNonceStore()
    )
    # then WeChat (the fake) answers 401
    with pytest.raises(ChannelError) as raised:
        await intruder.create_payment(PaymentRequest(new_no(), 100, "停车费", PayScene.NATIVE))
    assert raised.value.status == 401


async def test_close_unpaid_then_paid_order_cannot_be_closed(
    wechat: WeChatPayChannel, wechat_control: httpx.AsyncClient
) -> None:
    # given an unpaid and a paid order
    unpaid, _ = await create_jsapi(wechat)
    paid, _ = await create_jsapi(wechat)
    await wechat_control.post(f"/transactions/{paid}/pay", json={})
    # when both are closed
    await wechat.close(unpaid)
    with pytest.raises(ChannelError) as raised:
        await wechat.close(paid)
    # then the unpaid one is closed and the paid one refused
    assert (await wechat.query(unpaid)).state is TradeState.CLOSED
    assert raised.value.status == 400
    assert "ORDERPAID" in raised.value.detail


async def test_refund_larger_than_payment_is_refused(
    wechat: WeChatPayChannel, wechat_control: httpx.AsyncClient
) -> None:
    # given a paid order of 1500 fen
    out_trade_no, _ = await create_jsapi(wechat, 1500)
    await wechat_control.post(f"/transactions/{out_trade_no}/pay", json={})
    order = apply(Order(out_trade_no, 1500), PaymentSucceeded("T", 1500, now())).new_state
    # when 1600 fen are asked back, then our state machine refuses before any call
    with pytest.raises(RefundExceedsRefundable):
        apply(order, RefundRequested("R1", 1600))
    # and WeChat (the fake) refuses a second refund beyond what is left, if asked directly
    await wechat.refund(RefundRequest(out_trade_no, new_out_refund_no(now()), 1000, 1500))
    with pytest.raises(ChannelError) as raised:
        await wechat.refund(RefundRequest(out_trade_no, new_out_refund_no(now()), 1000, 1500))
    assert "超过订单可退金额" in raised.value.detail
    assert raised.value.status == 400


async def test_refund_completes_by_notification(
    wechat: WeChatPayChannel, wechat_control: httpx.AsyncClient, recorder: tuple[NotificationRecorder, str]
) -> None:
    # given a paid order with a refund requested
    out_trade_no, _ = await create_jsapi(wechat, 1500)
    await wechat_control.post(f"/transactions/{out_trade_no}/pay", json={})
    out_refund_no = new_out_refund_no(now())
    order = apply(Order(out_trade_no, 1500), PaymentSucceeded("T", 1500, now())).new_state
    order = apply(order, RefundRequested(out_refund_no, 500)).new_state
    result = await wechat.refund(RefundRequest(out_trade_no, out_refund_no, 500, 1500, "多收"))
    assert result.state is RefundState.PENDING
    # when WeChat finishes the refund and notifies
    before = len(recorder[0].received)
    await wechat_control.post(f"/refunds/{out_refund_no}/complete", json={})
    [d] = received_since(recorder, before)
    note = wechat.parse_notification(d.headers, d.body, now())
    # then the refund is credited and the order is partly refunded
    assert note.kind is NotificationKind.REFUND
    assert note.event == RefundSucceeded(out_refund_no, 500)
    transition = apply(order, note.event)
    assert transition.effects == (CreditRefund(out_trade_no, out_refund_no, 500),)
    assert transition.new_state.state is OrderState.PARTLY_REFUNDED
    assert (await wechat.query_refund(out_refund_no)).state is RefundState.SUCCEEDED


async def test_lost_notification_is_recovered_by_query(
    wechat: WeChatPayChannel, wechat_control: httpx.AsyncClient
) -> None:
    # given a paid order whose notification never arrives (held in the fake's outbox)
    out_trade_no, _ = await create_jsapi(wechat, 700)
    await wechat_control.post(f"/transactions/{out_trade_no}/pay", json={"hold": True})
    # when the order is queried and the answer applied
    status = await wechat.query(out_trade_no)
    event = status_event(status)
    assert isinstance(event, PaymentSucceeded)
    transition = apply(apply(Order(out_trade_no, 700), PaymentStarted()).new_state, event)
    # then it is credited once, with WeChat's transaction id
    assert transition.effects == (CreditPayment(out_trade_no, str(status.transaction_id), 700),)
