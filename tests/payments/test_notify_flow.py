"""Channel notifications through our notify URL, on both databases: verified, amount-checked, credited once."""

from __future__ import annotations

import asyncio
from datetime import datetime

import pytest

from parking.common.scope import Scope
from parking.payments.models import OrderStatus, PaymentChannel, PaymentOrder, PaymentPurpose
from parking.payments.service import refresh_status
from parking.sessions.enums import SessionState
from tests.payments.flow import ALIPAY_NOTIFY, Flow, wall_now


def snapshot(order: PaymentOrder, paid_fen: int, last_paid_at: datetime | None) -> tuple[object, ...]:
    return (order.status, order.channel_trade_no, order.paid_at, order.details, paid_fen, last_paid_at)


async def test_jsapi_payment_credits_the_stay(flow: Flow) -> None:
    # given a car inside for 70 minutes (600 fen) and a JSAPI order for it
    session_id = await flow.enter()
    started = await flow.start(session_id)
    assert started.order.amount_fen == 600
    assert started.order.status is OrderStatus.PAYING
    assert started.order.purpose is PaymentPurpose.PARKING_PREPAY
    assert started.client_params["package"].startswith("prepay_id=wx")
    # when the driver pays in WeChat and WeChat's notification reaches our notify URL
    deliveries = await flow.wechat_request_payment(started.client_params)
    [response] = await flow.relay(deliveries)
    # then it is acknowledged, the order is paid and the stay credited with the payment time
    assert response.status_code == 204
    order = await flow.order(started.order.out_trade_no)
    assert order.status is OrderStatus.PAID
    assert order.channel_trade_no.startswith("4200")
    stay = await flow.stay(session_id)
    assert stay.paid_fen == 600
    assert stay.last_paid_at == order.paid_at
    assert stay.state is SessionState.IN_LOT


async def test_failed_payment_marks_the_order_and_credits_nothing(flow: Flow) -> None:
    session_id = await flow.enter()
    started = await flow.start(session_id)
    [response] = await flow.relay(await flow.wechat_pay(started.order.out_trade_no, outcome="fail"))
    assert response.status_code == 204
    order = await flow.order(started.order.out_trade_no)
    assert order.status is OrderStatus.FAILED
    assert order.details["failure"] == "扣款失败"
    assert (await flow.stay(session_id)).paid_fen == 0


@pytest.mark.parametrize(
    "options",
    [{"forge": True}, {"amount_fen": 1}, {"timestamp_offset_s": -600}, {"timestamp_offset_s": 600}],
    ids=["forged-signature", "wrong-amount", "replay-10-min-old", "from-10-min-ahead"],
)
async def test_refused_notification_changes_nothing(flow: Flow, options: dict[str, object]) -> None:
    # given an order waiting for its payment
    session_id = await flow.enter()
    started = await flow.start(session_id)
    before = await flow.order(started.order.out_trade_no)
    stay = await flow.stay(session_id)
    # when a notification that must not be trusted arrives
    [response] = await flow.relay(await flow.wechat_pay(started.order.out_trade_no, **options))
    # then it is refused with WeChat's failure reply, and the order and the stay are exactly as they were
    assert response.status_code == 400
    assert response.json() == {"code": "FAIL", "message": "rejected"}
    after = await flow.order(started.order.out_trade_no)
    stay_after = await flow.stay(session_id)
    assert snapshot(after, stay_after.paid_fen, stay_after.last_paid_at) == snapshot(
        before, stay.paid_fen, stay.last_paid_at
    )
    assert after.status is OrderStatus.PAYING
    assert await flow.queued_opens(session_id) == []


async def test_replayed_copy_of_an_accepted_notification_is_refused(flow: Flow) -> None:
    session_id = await flow.enter()
    started = await flow.start(session_id)
    deliveries = await flow.wechat_pay(started.order.out_trade_no)
    # the same bytes (same nonce) posted twice: the second is a replay
    first, second = await flow.relay(deliveries + deliveries)
    assert (first.status_code, second.status_code) == (204, 400)
    assert (await flow.stay(session_id)).paid_fen == 600


async def test_duplicate_notifications_credit_once(flow: Flow) -> None:
    # given WeChat delivering its notification three times (each copy signed anew, as its retries are)
    session_id = await flow.enter()
    started = await flow.start(session_id)
    deliveries = await flow.wechat_pay(started.order.out_trade_no, copies=3)
    # when all three reach us
    responses = await flow.relay(deliveries)
    # then all are acknowledged (so WeChat stops) and the money is credited once
    assert [r.status_code for r in responses] == [204, 204, 204]
    assert (await flow.stay(session_id)).paid_fen == 600
    assert (await flow.order(started.order.out_trade_no)).status is OrderStatus.PAID


async def test_concurrent_duplicate_notifications_credit_once(flow: Flow, backend: str) -> None:
    if backend == "sqlite":
        pytest.skip("SQLite serialises writers itself; the row lock and compare-and-set matter on PostgreSQL")
    session_id = await flow.enter()
    started = await flow.start(session_id)
    deliveries = await flow.wechat_pay(started.order.out_trade_no, copies=4)
    responses = await asyncio.gather(*(flow.relay([d]) for d in deliveries))
    assert [r.status_code for [r] in responses] == [204] * 4
    assert (await flow.stay(session_id)).paid_fen == 600


async def test_notification_before_the_status_query(flow: Flow) -> None:
    # given a payment whose notification reached us before the driver's page asked for the status
    session_id = await flow.enter()
    started = await flow.start(session_id)
    await flow.relay(await flow.wechat_pay(started.order.out_trade_no))
    # when the page asks
    order = await refresh_status(flow.db, flow.channels, started.order.out_trade_no, wall_now())
    # then it sees the payment, and nothing is credited a second time
    assert order.status is OrderStatus.PAID
    assert (await flow.stay(session_id)).paid_fen == 600


async def test_status_query_catches_up_before_the_notification(flow: Flow) -> None:
    # given a payment whose notification is held back by WeChat
    session_id = await flow.enter()
    started = await flow.start(session_id)
    assert await flow.wechat_pay(started.order.out_trade_no, hold=True) == []
    # when the driver's page asks first, the channel is queried and the payment credited
    order = await refresh_status(flow.db, flow.channels, started.order.out_trade_no, wall_now())
    assert order.status is OrderStatus.PAID
    assert (await flow.stay(session_id)).paid_fen == 600
    # and when the held notification finally arrives, it is acknowledged and credits nothing more
    outbox = (await flow.wechat_control.get("/outbox")).json()
    ids = [n["id"] for n in outbox if n["url"].endswith("/notify/wechatpay")][-1:]
    deliveries = await flow._deliveries(flow.wechat_control.post("/outbox/deliver", json={"ids": ids}))
    [response] = await flow.relay(deliveries)
    assert response.status_code == 204
    assert (await flow.stay(session_id)).paid_fen == 600


async def test_unknown_order_is_refused(flow: Flow) -> None:
    session_id = await flow.enter()
    started = await flow.start(session_id)
    deliveries = await flow.wechat_pay(started.order.out_trade_no)
    async with flow.db.transaction(Scope.internal()) as tx:
        row = await tx.get(PaymentOrder, started.order.id)
        assert row is not None
        await tx.delete(row)
    [response] = await flow.relay(deliveries)
    assert response.status_code == 400
    assert (await flow.stay(session_id)).paid_fen == 0


async def test_alipay_qr_payment_credits_the_stay(flow: Flow) -> None:
    session_id = await flow.enter()
    started = await flow.start(session_id, PaymentChannel.ALIPAY_QR)
    assert (started.qr_code or "").startswith("https://qr.alipay.com/")
    deliveries = await flow.alipay_pay(started.order.out_trade_no, copies=2)
    responses = await flow.relay(deliveries, ALIPAY_NOTIFY)
    assert [(r.status_code, r.text) for r in responses] == [(200, "success"), (200, "success")]
    assert (await flow.order(started.order.out_trade_no)).status is OrderStatus.PAID
    assert (await flow.stay(session_id)).paid_fen == 600


async def test_alipay_forged_notification_is_refused(flow: Flow) -> None:
    session_id = await flow.enter()
    started = await flow.start(session_id, PaymentChannel.ALIPAY_QR)
    [response] = await flow.relay(await flow.alipay_pay(started.order.out_trade_no, forge=True), ALIPAY_NOTIFY)
    assert response.text == "fail"
    assert (await flow.order(started.order.out_trade_no)).status is OrderStatus.PAYING
    assert (await flow.stay(session_id)).paid_fen == 0
