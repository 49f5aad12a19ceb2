"""Our WeChat Pay channel for a merchant still on platform certificates (no WeChat Pay public key configured).

The fake signs every answer and notification with its platform certificate's key; the channel fetches the
certificate from `/v3/certificates` when it first meets its serial (never at start), verifies answers through
wechatpayv3 and notifications itself, and refuses anything signed by another key.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest

from fakes.recorder import NotificationRecorder
from fakes.serve import serve_in_thread
from fakes.wechatpay import FakeWeChatPay, PayOptions
from parking.payments.callbacks import InMemoryNonceStore
from parking.payments.channels.base import (
    NotificationKind,
    PaymentRequest,
    PayScene,
    RefundRequest,
    RefundState,
    TradeState,
)
from parking.payments.channels.wechatpay import WeChatPayChannel
from parking.payments.config import WeChatPayConfig
from parking.payments.errors import ChannelError, ForgedSignature
from parking.payments.ids import new_out_refund_no, new_out_trade_no
from parking.payments.state import PaymentSucceeded, RefundSucceeded


def now() -> datetime:
    return datetime.now(UTC)


@pytest.fixture(scope="module")
def certificate_fake() -> Iterator[tuple[FakeWeChatPay, str]]:
    fake = FakeWeChatPay(mode="certificate")
    with serve_in_thread(fake.app) as url:
        yield fake, url


def channel_for(fake: FakeWeChatPay, url: str, notify_url: str) -> WeChatPayChannel:
    # The fake's credentials in this mode carry no public key: WeChatPayConfig(**…) is a certificate-mode merchant.
    config = WeChatPayConfig(**fake.credentials().__dict__, notify_url=notify_url, base_url=url)
    assert config.certificate_mode
    return WeChatPayChannel(config, InMemoryNonceStore())


async def test_a_certificate_mode_merchant_pays_refunds_and_reads_notifications(
    certificate_fake: tuple[FakeWeChatPay, str], recorder: tuple[NotificationRecorder, str]
) -> None:
    fake, url = certificate_fake
    # given the channel made without touching the network (the fake has received nothing from it)
    received = len(fake.received)
    channel = channel_for(fake, url, f"{recorder[1]}/notify/wechat-certificates")
    assert len(fake.received) == received
    # when a Native order is made: the answer names the certificate's serial, which the SDK fetches and verifies
    no = new_out_trade_no(now())
    created = await channel.create_payment(PaymentRequest(no, 1800, "停车费 粤B12345", PayScene.NATIVE))
    assert (created.qr_code or "").startswith("weixin://")
    paths = [r["path"] for r in fake.received[received:]]
    assert paths == ["/v3/pay/transactions/native", "/v3/certificates"]
    # and it is paid: the notification verifies with the downloaded certificate and credits the order's amount
    paid = await fake.pay(no, "success", PayOptions(hold=True))
    [note] = [n for n in fake.outbox if n.id in paid["notifications"]]
    parsed = await asyncio.to_thread(channel.parse_notification, note.headers, note.body.encode(), now())
    assert parsed.kind is NotificationKind.PAYMENT
    assert isinstance(parsed.event, PaymentSucceeded)
    assert (parsed.out_trade_no, parsed.event.amount_fen) == (no, 1800)
    # and the query and a refund go through, verified the same way (no second download)
    status = await channel.query(no)
    assert (status.state, status.amount_fen) == (TradeState.PAID, 1800)
    refund_no = new_out_refund_no(now())
    refund = await channel.refund(RefundRequest(no, refund_no, 500, 1800, "test"))
    assert refund.state is RefundState.PENDING
    done = await fake.complete_refund(refund_no, "success", PayOptions(hold=True))
    [refund_note] = [n for n in fake.outbox if n.id in done["notifications"]]
    parsed = await asyncio.to_thread(channel.parse_notification, refund_note.headers, refund_note.body.encode(), now())
    assert parsed.event == RefundSucceeded(refund_no, 500)
    assert [r["path"] for r in fake.received[received:]].count("/v3/certificates") == 1


async def test_a_notification_signed_by_another_key_or_serial_is_refused(
    certificate_fake: tuple[FakeWeChatPay, str],
) -> None:
    fake, url = certificate_fake
    channel = channel_for(fake, url, "http://127.0.0.1:9/notify")
    no = new_out_trade_no(now())
    await channel.create_payment(PaymentRequest(no, 300, "停车费", PayScene.NATIVE))
    # a notification with the certificate's serial but another key's signature
    forged = await fake.pay(no, "success", PayOptions(hold=True, forge=True))
    [note] = [n for n in fake.outbox if n.id in forged["notifications"]]
    with pytest.raises(ForgedSignature):
        await asyncio.to_thread(channel.parse_notification, note.headers, note.body.encode(), now())
    # and one naming a serial WeChat never issued: refused after at most one certificate refresh
    before = [r["path"] for r in fake.received].count("/v3/certificates")
    unknown = {**note.headers, "Wechatpay-Serial": "0123456789ABCDEF"}
    for _ in range(3):
        with pytest.raises(ForgedSignature):
            await asyncio.to_thread(channel.parse_notification, unknown, note.body.encode(), now())
    assert [r["path"] for r in fake.received].count("/v3/certificates") - before <= 1


async def test_a_certificate_not_encrypted_under_our_apiv3_key_is_never_trusted(
    certificate_fake: tuple[FakeWeChatPay, str],
) -> None:
    # given a man in the middle that accepts our requests and signs with a certificate of its own, which it can
    # only hand out encrypted under another APIv3 key (ours is known to WeChat and us alone)
    fake, url = certificate_fake
    impostor = FakeWeChatPay(mode="certificate", mchid=fake.mchid, appid=fake.appid)
    impostor._merchant_key, impostor.merchant_serial_no = fake._merchant_key, fake.merchant_serial_no
    channel = channel_for(fake, url, "http://127.0.0.1:9/notify")
    await channel.create_payment(PaymentRequest(new_out_trade_no(now()), 100, "停车费", PayScene.NATIVE))
    with serve_in_thread(impostor.app) as impostor_url:
        channel._client._core._gate_way = impostor_url
        # when it answers an order: its serial is unknown, the certificate it serves does not decrypt
        with pytest.raises(ChannelError, match="sdk"):
            await channel.create_payment(PaymentRequest(new_out_trade_no(now()), 100, "停车费", PayScene.NATIVE))
    # then the impostor's certificate is not held (wechatpayv3 drops its list before a download, so it may hold none)
    impostor_serial = impostor.platform_certificate.certificate.serial_number
    assert impostor_serial not in [c.serial_number for c in channel._client._core._certificates]
    # and back at WeChat, the next answer fetches the real certificate again and verifies
    channel._client._core._gate_way = url
    await channel.create_payment(PaymentRequest(new_out_trade_no(now()), 100, "停车费", PayScene.NATIVE))
    assert [c.serial_number for c in channel._client._core._certificates] == [
        fake.platform_certificate.certificate.serial_number
    ]


async def test_error_answers_carry_the_certificate_signature(certificate_fake: tuple[FakeWeChatPay, str]) -> None:
    fake, url = certificate_fake
    channel = channel_for(fake, url, "http://127.0.0.1:9/notify")
    with pytest.raises(ChannelError) as refused:
        await channel.query("NO_SUCH_ORDER")
    assert refused.value.status == 404
    assert json.loads(refused.value.detail)["code"] == "ORDER_NOT_EXIST"
    # and a request WeChat cannot authenticate is answered 401 under the certificate's serial too
    async with httpx.AsyncClient() as http:
        response = await http.get(f"{url}/v3/certificates")
    assert response.status_code == 401
    assert response.headers["Wechatpay-Serial"] == fake.platform_certificate.serial_no
