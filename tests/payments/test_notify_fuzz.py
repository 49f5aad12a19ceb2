"""Hostile input at the notify URLs, generated with hypothesis: forged and mutated WeChat Pay v3 and Alipay
notifications (bodies and headers) built from genuine ones, signed by the fakes for orders the channels hold as
paid. Never a 5xx, and nothing is credited or changed. The genuine notifications themselves are never sent, so
a single accepted mutation would show as money credited.

Per channel, the answers' status codes are counted and written to the test log (CI's pytest output).
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from fakes.keys import new_rsa_key, sign_b64
from parking.alarms.models import Alarm
from parking.common.scope import Scope
from parking.devices.models import GateCommand
from parking.payments.models import PaymentChannel, PaymentOrder, Refund
from parking.sessions.models import ParkingSession
from tests.payments.flow import ALIPAY_NOTIFY, WECHAT_NOTIFY, Flow, wall_now

EXAMPLES = 150
COUNTS: dict[str, Counter[int]] = {"wechatpay": Counter(), "alipay": Counter()}
ATTACKER = new_rsa_key()
# As the recorder hands them over (lower case; HTTP header names are case-insensitive).
SIGNED_HEADERS = ("wechatpay-timestamp", "wechatpay-nonce", "wechatpay-signature", "wechatpay-serial")
HEADER_TEXT = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=80)
FORM_TEXT = st.text(max_size=40)
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module", autouse=True)
def report(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    # Written past pytest's output capture, so the counts show in every run's log, passing or not.
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled() if capture is not None else contextlib.nullcontext():
        for channel, counts in COUNTS.items():
            total = sum(counts.values())
            print(f"\nnotify fuzz {channel}: {total} requests, status codes {dict(sorted(counts.items()))}")


@dataclass
class Genuine:
    headers: dict[str, str]
    body: bytes
    before: tuple[Any, ...]


async def state(flow: Flow) -> tuple[Any, ...]:
    """Everything a notification could change: the orders, the stays' payments, refunds, alarms, gate commands."""
    async with flow.db.session(Scope.internal()) as s:
        orders = (
            await s.execute(select(PaymentOrder.status, PaymentOrder.channel_trade_no, PaymentOrder.paid_at))
        ).all()
        paid = (await s.execute(select(ParkingSession.paid_fen, ParkingSession.state))).all()
        counts = [await s.scalar(select(func.count(m.id))) for m in (Refund, Alarm, GateCommand)]
    return (sorted(map(tuple, orders)), sorted(map(tuple, paid)), counts)


async def genuine(flow: Flow, channel: PaymentChannel) -> Genuine:
    """A paid order at the channel whose real, signed notification we hold back."""
    stay = await flow.enter(minutes_ago=70)
    await flow.site.read("out", "京A12345", wall_now() - timedelta(minutes=1))
    started = await flow.start(stay, channel)
    no = started.order.out_trade_no
    pay = flow.alipay_pay(no) if channel is PaymentChannel.ALIPAY_QR else flow.wechat_pay(no)
    [delivery] = await pay
    headers = {k.lower(): v for k, v in delivery.headers.items() if k.lower() not in ("host", "content-length")}
    return Genuine(headers, delivery.body, await state(flow))


_held: dict[PaymentChannel, tuple[Flow, Genuine]] = {}


async def held(flow: Flow, channel: PaymentChannel) -> Genuine:
    # Fixtures are set up once per test, not per example: the genuine notification is made on the first one.
    cached = _held.get(channel)
    if cached is None or cached[0] is not flow:
        _held[channel] = (flow, await genuine(flow, channel))
    return _held[channel][1]


@st.composite
def wechat_mutation(draw: st.DrawFn, headers: dict[str, str], body: bytes) -> tuple[dict[str, str], bytes]:
    headers, body = dict(headers), body
    kind = draw(st.sampled_from(["body", "header", "drop", "resign", "random"]))
    if kind == "body":
        at = draw(st.integers(0, len(body) - 1))
        change = draw(st.sampled_from(["flip", "insert", "cut"]))
        if change == "flip":
            body = body[:at] + bytes([body[at] ^ draw(st.integers(1, 255))]) + body[at + 1 :]
        elif change == "insert":
            body = body[:at] + draw(st.binary(min_size=1, max_size=8)) + body[at:]
        else:
            body = body[:at]
    elif kind == "header":
        name = draw(st.sampled_from(SIGNED_HEADERS))
        headers[name] = draw(HEADER_TEXT)
    elif kind == "drop":
        del headers[draw(st.sampled_from(SIGNED_HEADERS))]
    elif kind == "resign":
        # A well-formed notification signed with the attacker's key, perhaps with a new body and time.
        text = draw(st.sampled_from([body.decode(), '{"event_type":"TRANSACTION.SUCCESS","resource":{}}']))
        stamp = str(int(wall_now().timestamp()) + draw(st.integers(-600, 600)))
        nonce = draw(st.text("ABCDEFGHJK0123456789", min_size=1, max_size=32))
        headers.update({"wechatpay-timestamp": stamp, "wechatpay-nonce": nonce})
        headers["wechatpay-signature"] = sign_b64(ATTACKER, f"{stamp}\n{nonce}\n{text}\n")
        body = text.encode()
    else:
        body = draw(st.binary(max_size=300))
        for name in SIGNED_HEADERS:
            headers[name] = draw(HEADER_TEXT)
    return headers, body


@st.composite
def alipay_mutation(draw: st.DrawFn, body: bytes) -> bytes:
    form = dict(parse_qsl(body.decode(), keep_blank_values=True))
    signed = sorted(k for k in form if k not in ("sign", "sign_type"))
    kind = draw(st.sampled_from(["value", "drop", "add", "sign", "resign", "random"]))
    if kind == "value":
        name = draw(st.sampled_from(signed))
        old = form[name]
        form[name] = draw(FORM_TEXT.filter(lambda v: v != old))
    elif kind == "drop":
        del form[draw(st.sampled_from([*signed, "sign"]))]
    elif kind == "add":
        form[draw(st.text("abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12).filter(lambda k: k not in form))] = (
            draw(FORM_TEXT)
        )
    elif kind == "sign":
        form["sign"] = draw(st.one_of(FORM_TEXT, st.binary(max_size=256).map(lambda b: b.hex())))
    elif kind == "resign":
        # Alipay's RSA2 over the sorted parameters, with the attacker's key, after changing the amount.
        form["total_amount"] = draw(st.sampled_from(["0.01", "6.00", "600.00"]))
        content = "&".join(f"{k}={form[k]}" for k in sorted(form) if k not in ("sign", "sign_type"))
        form["sign"] = sign_b64(ATTACKER, content)
    else:
        return draw(st.binary(max_size=400))
    return urlencode(form).encode()


@FUZZ
@given(data=st.data())
async def test_forged_or_mutated_wechat_notifications_change_nothing(flow: Flow, data: st.DataObject) -> None:
    real = await held(flow, PaymentChannel.WECHAT_NATIVE)
    headers, body = data.draw(wechat_mutation(real.headers, real.body))
    assume((headers, body) != (real.headers, real.body))
    response = await flow.http.post(WECHAT_NOTIFY, content=body, headers=headers)
    COUNTS["wechatpay"][response.status_code] += 1
    assert response.status_code < 500, response.text
    assert await state(flow) == real.before


@FUZZ
@given(data=st.data())
async def test_forged_or_mutated_alipay_notifications_change_nothing(flow: Flow, data: st.DataObject) -> None:
    real = await held(flow, PaymentChannel.ALIPAY_QR)
    body = data.draw(alipay_mutation(real.body))
    assume(dict(parse_qsl(body.decode("utf-8", "replace"))) != dict(parse_qsl(real.body.decode())))
    response = await flow.http.post(ALIPAY_NOTIFY, content=body, headers=real.headers)
    COUNTS["alipay"][response.status_code] += 1
    assert response.status_code < 500, response.text
    assert (response.text, await state(flow)) == ("fail", real.before)
