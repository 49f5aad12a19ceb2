"""The fakes are the oracle of the payment tests, so they must refuse what the vendors refuse.

The merchant side here is the real SDKs, unwrapped: wechatpayv3 2.0.4 (public-key mode and platform-certificate
mode, which downloads `/v3/certificates` and verifies every answer and notification with the certificate) and
python-alipay-sdk 3.4. References: WeChat Pay APIv3 "签名验证" (every answer, errors included, carries
Wechatpay-Timestamp/Nonce/Signature/Serial), "平台证书下载" (`GET /v3/certificates`, AEAD_AES_256_GCM with
associated_data "certificate"), "查询订单" (by out_trade_no or transaction_id, `?mchid=` required), "JSAPI/Native
下单" error ORDER_CLOSED (订单已关闭); Alipay openapi: Price fields are yuan with two decimals in [0.01,
100000000] (ACQ.INVALID_PARAMETER "订单总金额格式错误", ACQ.TOTAL_FEE_EXCEED), alipay.trade.cancel (action close or
refund, retry_flag), alipay.trade.fastpay.refund.query (code 10000 alone is no refund; refund_status
REFUND_SUCCESS), and the trade_status_sync notification of a refund (refund_fee, gmt_refund, out_biz_no;
TRADE_SUCCESS while partly refunded, TRADE_CLOSED once fully).
"""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlencode

import httpx
import pytest
from alipay import AliPay
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wechatpayv3 import WeChatPay, WeChatPayType
from wechatpayv3.core import Core
from wechatpayv3.utils import build_authorization, load_private_key

from fakes.alipay import FakeAlipay
from fakes.keys import load_public, public_pem, verify_b64
from fakes.recorder import NotificationRecorder
from fakes.serve import serve_in_thread
from fakes.wechatpay import FakeWeChatPay, PayOptions
from parking.payments.callbacks import InMemoryNonceStore
from parking.payments.channels.alipay import AlipayChannel
from parking.payments.channels.base import NotificationKind
from parking.payments.config import AlipayConfig

T = TypeVar("T")


def now() -> datetime:
    return datetime.now(UTC)


def order_no() -> str:
    return "P" + secrets.token_hex(12).upper()


async def eventually(probe: Callable[[], T | None], what: str) -> T:
    """A fake's background delivery, waited for (bounded; nothing is timed)."""
    for _ in range(400):
        if (found := probe()) is not None:
            return found
        await asyncio.sleep(0.025)
    raise AssertionError(f"never happened: {what}")


# --- WeChat Pay ---------------------------------------------------------------------------------------------


class _CertificateModeCore(Core):  # type: ignore[misc]
    """wechatpayv3's Core with no public key: it downloads the platform certificates while it is built, so the
    fake's address must be in place before the download (the SDK hard-codes the production host)."""

    def __init__(self, base_url: str, **kwargs: Any) -> None:
        self._base_url = base_url
        super().__init__(**kwargs)

    def _init_certificates(self) -> None:
        self._gate_way = self._base_url
        super()._init_certificates()


def sdk_client(fake: FakeWeChatPay, url: str, notify_url: str, cert_dir: Path | None = None) -> WeChatPay:
    """The merchant's SDK client: public-key mode, or platform-certificate mode when ``cert_dir`` is given."""
    creds = fake.credentials()
    common = {
        "mchid": creds.mchid,
        "private_key": creds.merchant_private_key_pem,
        "cert_serial_no": creds.merchant_serial_no,
        "apiv3_key": creds.apiv3_key,
    }
    if cert_dir is None:
        client = WeChatPay(
            wechatpay_type=WeChatPayType.NATIVE,
            appid=creds.appid,
            notify_url=notify_url,
            public_key=creds.platform_public_key_pem,
            public_key_id=creds.platform_public_key_id,
            **common,
        )
        client._core._gate_way = url
        return client
    # WeChatPay.__init__ would build its Core against the production host: the same object, our Core inside.
    client = WeChatPay.__new__(WeChatPay)
    client._type, client._mchid, client._appid = WeChatPayType.NATIVE, creds.mchid, creds.appid
    client._notify_url, client._partner_mode = notify_url, False
    client._core = _CertificateModeCore(url, cert_dir=str(cert_dir), **common)
    return client


@pytest.fixture(scope="module")
def certificate_fake() -> Iterator[tuple[FakeWeChatPay, str]]:
    fake = FakeWeChatPay(mode="certificate")
    with serve_in_thread(fake.app) as url:
        yield fake, url


def _held(**options: Any) -> PayOptions:
    # The notification stays in the fake's outbox, where the test reads it as the merchant would receive it.
    return PayOptions(hold=True, **options)


def raw_request(fake: FakeWeChatPay, url: str, method: str, path: str, body: Any = None) -> httpx.Response:
    """A request signed as the merchant (or not at all), to see the answer's headers the SDK hides."""
    creds = fake.credentials()
    text = json.dumps(body) if body is not None else ""
    key = load_private_key(creds.merchant_private_key_pem)
    auth = build_authorization(path, method, creds.mchid, creds.merchant_serial_no, key, data=text or None)
    headers = {"Authorization": auth, "Content-Type": "application/json", "Accept": "application/json"}
    return httpx.request(method, url + path, content=text.encode(), headers=headers)


def verifies(fake: FakeWeChatPay, response: httpx.Response) -> bool:
    """WeChat's answer signature: timestamp\\nnonce\\nbody\\n, under the key the merchant's mode names."""
    h = response.headers
    if fake.mode == "certificate":
        assert h["Wechatpay-Serial"] == fake.platform_certificate.serial_no
        public = load_public(public_pem(fake.platform_certificate.key))
    else:
        assert h["Wechatpay-Serial"] == fake.platform_public_key_id
        public = load_public(fake.credentials().platform_public_key_pem)
    message = f"{h['Wechatpay-Timestamp']}\n{h['Wechatpay-Nonce']}\n{response.text}\n"
    return h["Wechatpay-Signature-Type"] == "WECHATPAY2-SHA256-RSA2048" and verify_b64(
        public, message, h["Wechatpay-Signature"]
    )


async def test_certificate_mode_downloads_the_certificate_and_verifies_answers_and_notifications(
    certificate_fake: tuple[FakeWeChatPay, str], tmp_path: Path
) -> None:
    fake, url = certificate_fake
    # given the SDK in platform-certificate mode: building it downloads /v3/certificates and decrypts it
    client = await asyncio.to_thread(sdk_client, fake, url, "http://127.0.0.1:9/notify", tmp_path)
    [certificate] = client._core._certificates
    assert certificate.serial_number == fake.platform_certificate.certificate.serial_number
    assert (tmp_path / f"{fake.platform_certificate.serial_no}.pem").read_text() == fake.platform_certificate.pem
    # and the download itself is signed with that certificate (the SDK skips this check; a careful merchant not)
    assert verifies(fake, await asyncio.to_thread(raw_request, fake, url, "GET", "/v3/certificates"))
    # when an order is made, paid and queried by both its numbers (the SDK verifies each answer or raises)
    no = order_no()
    code, created = await asyncio.to_thread(client.pay, "停车费", no, {"total": 1500})
    assert code == 200
    assert json.loads(created)["code_url"].startswith("weixin://wxpay/bizpayurl?pr=")
    paid = await fake.pay(no, "success", _held())
    transaction_id = fake.orders[no]["transaction_id"]
    by_no = json.loads((await asyncio.to_thread(client.query, out_trade_no=no))[1])
    by_id = json.loads((await asyncio.to_thread(client.query, transaction_id=transaction_id))[1])
    # then both answers are the same paid order
    assert by_no == by_id
    assert (by_no["trade_state"], by_no["transaction_id"], by_no["amount"]["total"]) == (
        "SUCCESS",
        transaction_id,
        1500,
    )
    # and the notification verifies and decrypts with the downloaded certificate
    [note] = [n for n in fake.outbox if n.id in paid["notifications"]]
    decoded = client.callback(note.headers, note.body)
    assert decoded["event_type"] == "TRANSACTION.SUCCESS"
    assert decoded["resource"]["out_trade_no"] == no
    assert note.headers["Wechatpay-Serial"] == fake.platform_certificate.serial_no


async def test_certificate_mode_refuses_an_answer_signed_by_another_key(
    certificate_fake: tuple[FakeWeChatPay, str], tmp_path: Path
) -> None:
    fake, url = certificate_fake
    client = await asyncio.to_thread(sdk_client, fake, url, "http://127.0.0.1:9/notify", tmp_path)
    no = order_no()
    await asyncio.to_thread(client.pay, "停车费", no, {"total": 100})
    paid = await fake.pay(no, "success", _held(forge=True))
    [note] = [n for n in fake.outbox if n.id in paid["notifications"]]
    # a notification signed by a key that is not the certificate's is not decrypted
    assert client.callback(note.headers, note.body) is None


@pytest.mark.parametrize("mode", ["public_key", "certificate"])
async def test_every_error_answer_is_signed(
    mode: str, wechat_fake: tuple[FakeWeChatPay, str], certificate_fake: tuple[FakeWeChatPay, str]
) -> None:
    fake, url = wechat_fake if mode == "public_key" else certificate_fake
    mchid = fake.mchid
    errors = [
        ("GET", f"/v3/pay/transactions/out-trade-no/NOPE?mchid={mchid}", None, 404, "ORDER_NOT_EXIST"),
        ("GET", "/v3/pay/transactions/id/4200000000?mchid=" + mchid, None, 404, "ORDER_NOT_EXIST"),
        ("GET", "/v3/pay/transactions/out-trade-no/NOPE", None, 400, "PARAM_ERROR"),
        ("POST", "/v3/pay/transactions/native", {"mchid": mchid}, 400, "PARAM_ERROR"),
        ("POST", "/v3/pay/transactions/out-trade-no/NOPE/close", {"mchid": mchid}, 404, "ORDER_NOT_EXIST"),
        ("POST", "/v3/refund/domestic/refunds", {"out_trade_no": "NOPE"}, 404, "RESOURCE_NOT_EXISTS"),
        ("GET", "/v3/bill/tradebill?bill_date=yesterday", None, 400, "PARAM_ERROR"),
    ]
    for method, path, body, status, code in errors:
        response = await asyncio.to_thread(raw_request, fake, url, method, path, body)
        assert (response.status_code, response.json()["code"]) == (status, code), path
        assert verifies(fake, response), path
    # a request WeChat cannot authenticate is answered 401, signed too
    unsigned = await asyncio.to_thread(httpx.get, f"{url}/v3/pay/transactions/out-trade-no/NOPE?mchid={mchid}")
    assert (unsigned.status_code, unsigned.json()["code"]) == (401, "SIGN_ERROR")
    assert verifies(fake, unsigned)


async def test_a_closed_order_cannot_be_paid_or_made_again(
    wechat_fake: tuple[FakeWeChatPay, str], wechat_control: httpx.AsyncClient
) -> None:
    fake, url = wechat_fake
    client = sdk_client(fake, url, "http://127.0.0.1:9/notify")
    no = order_no()
    assert (await asyncio.to_thread(client.pay, "停车费", no, {"total": 800}))[0] == 200
    # when the merchant closes it (204, signed and verified by the SDK)
    assert (await asyncio.to_thread(client.close, no))[0] == 204
    # then the payer's WeChat cannot pay it, and the same number cannot be ordered again
    refused = await wechat_control.post(f"/transactions/{no}/pay", json={"outcome": "success"})
    assert (refused.status_code, refused.json()["code"]) == (400, "ORDER_CLOSED")
    status, again = await asyncio.to_thread(client.pay, "停车费", no, {"total": 800})
    assert (status, json.loads(again)["code"]) == (400, "ORDER_CLOSED")
    # and it stays closed, with no payment and no notification
    state = json.loads((await asyncio.to_thread(client.query, out_trade_no=no))[1])
    assert (state["trade_state"], "transaction_id" in state) == ("CLOSED", False)
    # closing twice is harmless; a paid order cannot be closed or paid again
    assert (await asyncio.to_thread(client.close, no))[0] == 204
    paid_no = order_no()
    await asyncio.to_thread(client.pay, "停车费", paid_no, {"total": 800})
    await fake.pay(paid_no, "success", _held())
    status, closing = await asyncio.to_thread(client.close, paid_no)
    assert (status, json.loads(closing)["code"]) == (400, "ORDERPAID")
    twice = await wechat_control.post(f"/transactions/{paid_no}/pay", json={"outcome": "success"})
    assert (twice.status_code, twice.json()["code"]) == (400, "ORDERPAID")


@pytest.mark.parametrize(
    ("out_trade_no", "description"),
    [("P1234", "停车费"), ("P" + "1" * 32, "停车费"), ("P123456#", "停车费"), ("P1234567", "停" * 128)],
)
async def test_order_numbers_and_descriptions_wechat_refuses(
    wechat_fake: tuple[FakeWeChatPay, str], out_trade_no: str, description: str
) -> None:
    fake, url = wechat_fake
    client = sdk_client(fake, url, "http://127.0.0.1:9/notify")
    status, text = await asyncio.to_thread(client.pay, description, out_trade_no, {"total": 100})
    assert (status, json.loads(text)["code"]) == (400, "PARAM_ERROR")
    assert out_trade_no not in fake.orders


async def test_a_refund_names_an_order_that_exists(wechat_fake: tuple[FakeWeChatPay, str]) -> None:
    # given an unpaid order (it has no transaction id yet)
    fake, url = wechat_fake
    client = sdk_client(fake, url, "http://127.0.0.1:9/notify")
    await asyncio.to_thread(client.pay, "停车费", order_no(), {"total": 100})
    refunds = len(fake.refunds)
    # when a refund names an unknown order and no transaction id, it is not matched to some unpaid order
    body = {"out_trade_no": "NOPE42", "out_refund_no": "R1", "amount": {"refund": 1, "total": 100, "currency": "CNY"}}
    response = await asyncio.to_thread(raw_request, fake, url, "POST", "/v3/refund/domestic/refunds", body)
    assert (response.status_code, response.json()["code"]) == (404, "RESOURCE_NOT_EXISTS")
    assert len(fake.refunds) == refunds


async def test_query_by_transaction_id_finds_the_same_order(wechat_fake: tuple[FakeWeChatPay, str]) -> None:
    fake, url = wechat_fake
    client = sdk_client(fake, url, "http://127.0.0.1:9/notify")
    no = order_no()
    await asyncio.to_thread(client.pay, "停车费", no, {"total": 2300})
    # an unpaid order has no transaction id yet, so nothing is found by one
    status, _ = await asyncio.to_thread(client.query, transaction_id="4200" + "0" * 24)
    assert status == 404
    await fake.pay(no, "success", _held())
    transaction_id = fake.orders[no]["transaction_id"]
    status, text = await asyncio.to_thread(client.query, transaction_id=transaction_id)
    assert status == 200
    assert json.loads(text) == json.loads((await asyncio.to_thread(client.query, out_trade_no=no))[1])


# --- Alipay -------------------------------------------------------------------------------------------------


def alipay_sdk(fake: FakeAlipay, url: str, notify_url: str = "") -> AliPay:
    creds = fake.credentials()
    client = AliPay(
        appid=creds.app_id,
        app_notify_url=notify_url or None,
        app_private_key_string=creds.app_private_key_pem,
        alipay_public_key_string=creds.alipay_public_key_pem,
        sign_type="RSA2",
    )
    client._gateway = f"{url}/gateway.do"
    return client


BAD_AMOUNTS = [
    ("0", "ACQ.INVALID_PARAMETER"),
    ("0.00", "ACQ.INVALID_PARAMETER"),
    ("-1.00", "ACQ.INVALID_PARAMETER"),
    ("12.345", "ACQ.INVALID_PARAMETER"),
    ("0.30000000000000004", "ACQ.INVALID_PARAMETER"),
    ("1e3", "ACQ.INVALID_PARAMETER"),
    ("12.", "ACQ.INVALID_PARAMETER"),
    (".5", "ACQ.INVALID_PARAMETER"),
    ("01.00", "ACQ.INVALID_PARAMETER"),
    (" 12.00", "ACQ.INVALID_PARAMETER"),
    ("十二", "ACQ.INVALID_PARAMETER"),
    ("", "ACQ.INVALID_PARAMETER"),
    ("100000000.01", "ACQ.TOTAL_FEE_EXCEED"),
    ("999999999", "ACQ.TOTAL_FEE_EXCEED"),
]


@pytest.mark.parametrize("out_trade_no", ["P-1", "P 1", "P" * 65, "停车1"])
def test_trade_numbers_alipay_refuses(alipay_fake: tuple[FakeAlipay, str], out_trade_no: str) -> None:
    fake, url = alipay_fake
    answer = alipay_sdk(fake, url).api_alipay_trade_precreate("停车费", out_trade_no, "1.00")
    assert (answer["code"], answer["sub_code"]) == ("40004", "ACQ.INVALID_PARAMETER")
    assert out_trade_no not in fake.trades


@pytest.mark.parametrize(("amount", "sub_code"), BAD_AMOUNTS)
def test_amounts_the_gateway_refuses(alipay_fake: tuple[FakeAlipay, str], amount: str, sub_code: str) -> None:
    fake, url = alipay_fake
    client = alipay_sdk(fake, url)
    no = order_no()
    # when a QR trade is asked for with an amount Alipay would not take
    answer = client.api_alipay_trade_precreate("停车费", no, amount)
    # then the signed answer is a business failure naming the parameter, and no trade exists
    assert (answer["code"], answer["sub_code"]) == ("40004", sub_code)
    assert no not in fake.trades


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fen=st.integers(min_value=1, max_value=100_000_000 * 100), as_number=st.booleans())
def test_every_amount_in_range_with_two_decimals_is_taken_exactly(
    alipay_fake: tuple[FakeAlipay, str], fen: int, as_number: bool
) -> None:
    fake, url = alipay_fake
    client = alipay_sdk(fake, url)
    no = order_no()
    text = f"{fen // 100}.{fen % 100:02d}"
    # a JSON number with the same two decimals is read as the same amount (biz_content is JSON)
    answer = client.api_alipay_trade_precreate("停车费", no, float(text) if as_number and fen % 10 else text)
    assert answer["code"] == "10000", answer
    assert fake.trades[no]["total_fen"] == fen


async def test_refund_amounts_are_checked_the_same_way(
    alipay_fake: tuple[FakeAlipay, str], alipay_control: httpx.AsyncClient
) -> None:
    fake, url = alipay_fake
    client = alipay_sdk(fake, url)
    no = order_no()
    client.api_alipay_trade_precreate("停车费", no, "10.00")
    await alipay_control.post(f"/trades/{no}/pay", json={"hold": True})
    for i, amount in enumerate(("0.001", "-1", "0", "abc")):
        answer = await asyncio.to_thread(client.api_alipay_trade_refund, amount, no, out_request_no=f"R{i}")
        assert (answer["code"], answer["sub_code"]) == ("40004", "ACQ.INVALID_PARAMETER"), amount
    assert fake.trades[no]["refunded_fen"] == 0
    # the same request number again must be the same refund
    ok = await asyncio.to_thread(client.api_alipay_trade_refund, "1.00", no, out_request_no="R1")
    assert (ok["code"], ok["fund_change"]) == ("10000", "Y")
    again = await asyncio.to_thread(client.api_alipay_trade_refund, "1.00", no, out_request_no="R1")
    assert (again["code"], again["fund_change"]) == ("10000", "N")
    other = await asyncio.to_thread(client.api_alipay_trade_refund, "2.00", no, out_request_no="R1")
    assert (other["code"], other["sub_code"]) == ("40004", "ACQ.INVALID_PARAMETER")
    assert fake.trades[no]["refunded_fen"] == 100


async def test_cancel_closes_an_unpaid_trade_and_refunds_a_paid_one(
    alipay_fake: tuple[FakeAlipay, str],
    alipay_control: httpx.AsyncClient,
    recorder: tuple[NotificationRecorder, str],
) -> None:
    fake, url = alipay_fake
    client = alipay_sdk(fake, url, f"{recorder[1]}/notify/alipay-cancel")
    unpaid, paid = order_no(), order_no()
    for no in (unpaid, paid):
        await asyncio.to_thread(client.api_alipay_trade_precreate, "停车费", no, "15.00")
    await alipay_control.post(f"/trades/{paid}/pay", json={"hold": True})
    # when both are cancelled
    closed = await asyncio.to_thread(client.api_alipay_trade_cancel, out_trade_no=unpaid)
    refunded = await asyncio.to_thread(client.api_alipay_trade_cancel, out_trade_no=paid)
    # then the unpaid one is closed and the paid one refunded in full (answers verified by the SDK)
    assert (closed["code"], closed["action"], closed["retry_flag"]) == ("10000", "close", "N")
    assert (refunded["code"], refunded["action"], refunded["trade_no"]) == (
        "10000",
        "refund",
        fake.trades[paid]["trade_no"],
    )
    assert fake.trades[unpaid]["trade_status"] == fake.trades[paid]["trade_status"] == "TRADE_CLOSED"
    assert fake.trades[paid]["refunded_fen"] == 1500
    # and the refund is notified: TRADE_CLOSED with the refund fields, signed by Alipay
    note = await eventually(lambda: _delivered(fake, paid), "the cancel's refund notification")
    assert (note["trade_status"], note["refund_fee"], note["out_biz_no"]) == ("TRADE_CLOSED", "15.00", paid)
    signature = note.pop("sign")
    assert client.verify(note, signature)
    # cancelling again answers the same; a paid-then-partly-refunded trade cannot be cancelled
    assert (await asyncio.to_thread(client.api_alipay_trade_cancel, out_trade_no=paid))["action"] == "refund"
    partly = order_no()
    await asyncio.to_thread(client.api_alipay_trade_precreate, "停车费", partly, "15.00")
    await alipay_control.post(f"/trades/{partly}/pay", json={"hold": True})
    await asyncio.to_thread(client.api_alipay_trade_refund, "1.00", partly, out_request_no=f"{partly}R1")
    refused = await asyncio.to_thread(client.api_alipay_trade_cancel, out_trade_no=partly)
    assert refused["sub_code"] == "ACQ.REASON_TRADE_REFUND_FEE_ERR"
    assert fake.trades[partly]["refunded_fen"] == 100
    missing = await asyncio.to_thread(client.api_alipay_trade_cancel, out_trade_no="NO_SUCH_TRADE")
    assert missing["sub_code"] == "ACQ.TRADE_NOT_EXIST"


def _delivered(fake: FakeAlipay, out_trade_no: str, count: int = 1) -> dict[str, str] | None:
    refunds = [n.form for n in fake.delivered if n.form["out_trade_no"] == out_trade_no and "refund_fee" in n.form]
    return dict(refunds[count - 1]) if len(refunds) >= count else None


async def test_refund_query_and_refund_notifications(
    alipay_fake: tuple[FakeAlipay, str],
    alipay_control: httpx.AsyncClient,
    recorder: tuple[NotificationRecorder, str],
    alipay_config: AlipayConfig,
) -> None:
    fake, url = alipay_fake
    client = alipay_sdk(fake, url, f"{recorder[1]}/notify/alipay-refunds")
    no = order_no()
    await asyncio.to_thread(client.api_alipay_trade_precreate, "停车费", no, "20.00")
    await alipay_control.post(f"/trades/{no}/pay", json={"hold": True})
    # before any refund, the query succeeds but says nothing was refunded
    none = await asyncio.to_thread(client.api_alipay_trade_fastpay_refund_query, f"{no}R1", out_trade_no=no)
    assert none["code"] == "10000"
    assert "refund_amount" not in none
    assert "refund_status" not in none
    # when 5.00 and then the remaining 15.00 are refunded
    await asyncio.to_thread(client.api_alipay_trade_refund, "5.00", no, out_request_no=f"{no}R1")
    first = await eventually(lambda: _delivered(fake, no), "the first refund's notification")
    await asyncio.to_thread(client.api_alipay_trade_refund, "15.00", no, out_request_no=f"{no}R2")
    second = await eventually(lambda: _delivered(fake, no, 2), "the second refund's notification")
    # then each is found by its request number
    for request_no, amount in ((f"{no}R1", "5.00"), (f"{no}R2", "15.00")):
        found = await asyncio.to_thread(client.api_alipay_trade_fastpay_refund_query, request_no, out_trade_no=no)
        assert (found["refund_status"], found["refund_amount"], found["total_amount"]) == (
            "REFUND_SUCCESS",
            amount,
            "20.00",
        )
    # and the notifications carry the refunded total so far: partly refunded is TRADE_SUCCESS, fully TRADE_CLOSED
    assert (first["trade_status"], first["refund_fee"], first["out_biz_no"]) == ("TRADE_SUCCESS", "5.00", f"{no}R1")
    assert (second["trade_status"], second["refund_fee"], second["out_biz_no"]) == ("TRADE_CLOSED", "20.00", f"{no}R2")
    assert second["gmt_refund"].endswith(".000")
    for note in (first, second):
        signature = note.pop("sign")
        assert client.verify(note, signature)
        note["sign"] = signature
    # and our channel reads them as refund echoes that credit nothing
    channel = AlipayChannel(alipay_config, InMemoryNonceStore())
    for note in (first, second):
        parsed = channel.parse_notification({}, urlencode(note).encode(), now())
        assert (parsed.kind, parsed.event, parsed.out_trade_no) == (NotificationKind.REFUND, None, no)
    # an unknown trade is refused
    unknown = await asyncio.to_thread(client.api_alipay_trade_fastpay_refund_query, "R1", out_trade_no="NO_SUCH")
    assert unknown["sub_code"] == "ACQ.TRADE_NOT_EXIST"
