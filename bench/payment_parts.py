"""Payment hot paths in isolation: notification verify+decrypt (WeChat, Alipay), state apply, signed order create.

`python -m bench payments` is the end-to-end number (verified callbacks into PostgreSQL per second).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import statistics
import time
from datetime import UTC, datetime
from urllib.parse import urlencode

from fakes.alipay import FakeAlipay, NotifyOptions
from fakes.serve import serve_in_thread
from fakes.wechatpay import FakeWeChatPay, PayOptions
from parking.payments.callbacks import InMemoryNonceStore
from parking.payments.channels.alipay import AlipayChannel
from parking.payments.channels.base import PaymentRequest, PayScene
from parking.payments.channels.wechatpay import WeChatPayChannel
from parking.payments.config import AlipayConfig, WeChatPayConfig
from parking.payments.ids import new_out_trade_no
from parking.payments.state import Order, PaymentStarted, PaymentSucceeded, apply

logger = logging.getLogger(__name__)
NOTIFY_URL = "http://127.0.0.1:9/notify"  # never called: notifications are held in the fake's outbox


def _wechat_config(fake: FakeWeChatPay, base_url: str) -> WeChatPayConfig:
    return WeChatPayConfig(**fake.credentials().__dict__, notify_url=NOTIFY_URL, base_url=base_url)


async def _held_wechat(fake: FakeWeChatPay, count: int) -> list[tuple[dict[str, str], bytes]]:
    resource = {
        "appid": fake.appid,
        "mchid": fake.mchid,
        "out_trade_no": "P1",
        "transaction_id": "4200",
        "trade_type": "JSAPI",
        "trade_state": "SUCCESS",
        "success_time": datetime.now(UTC).isoformat(),
        "amount": {"total": 1500, "payer_total": 1500, "currency": "CNY"},
        "bank_type": "OTHERS",
    }
    made = await fake.notify(
        NOTIFY_URL,
        "TRANSACTION.SUCCESS",
        "支付成功",
        "transaction",
        resource,
        PayOptions(copies=count, hold=True),
    )
    return [(n.headers, n.body.encode()) for n in made]


def _us_per_item(total_s: float, count: int) -> float:
    return round(total_s / count * 1e6, 1)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench payment_parts")
    parser.add_argument("--notifications", type=int, default=300)
    parser.add_argument("--creates", type=int, default=40, help="signed Native creates over loopback HTTP")
    args = parser.parse_args(argv)

    fake = FakeWeChatPay()
    held = asyncio.run(_held_wechat(fake, args.notifications))
    channel = WeChatPayChannel(_wechat_config(fake, "http://127.0.0.1:9"), InMemoryNonceStore())
    start = time.perf_counter()
    for headers, body in held:
        channel.parse_notification(headers, body, datetime.now(UTC))
    wechat_s = time.perf_counter() - start

    alipay_fake = FakeAlipay()
    creds = alipay_fake.credentials()
    alipay = AlipayChannel(AlipayConfig(**creds.__dict__, notify_url=NOTIFY_URL), InMemoryNonceStore())
    trade = {
        "trade_no": "2026",
        "out_trade_no": "P1",
        "buyer_id": "2088",
        "trade_status": "TRADE_SUCCESS",
        "total_fen": 1500,
        "subject": "停车费",
        "gmt_create": "2026-03-01 08:00:00",
    }
    forms = [
        urlencode(alipay_fake._notification_form(trade, NotifyOptions())).encode() for _ in range(args.notifications)
    ]
    start = time.perf_counter()
    for form in forms:
        alipay.parse_notification({}, form, datetime.now(UTC))
    alipay_s = time.perf_counter() - start

    order = apply(Order("P1", 1500), PaymentStarted()).new_state
    event = PaymentSucceeded("T1", 1500, datetime.now(UTC))
    rounds = 20_000
    start = time.perf_counter()
    for _ in range(rounds):
        apply(apply(order, event).new_state, event)
    apply_s = time.perf_counter() - start

    latencies: list[float] = []
    with serve_in_thread(fake.app) as url:
        live = WeChatPayChannel(_wechat_config(fake, url), InMemoryNonceStore())

        async def creates() -> None:
            for _ in range(args.creates):
                request = PaymentRequest(new_out_trade_no(datetime.now(UTC)), 1500, "停车费", PayScene.NATIVE)
                t0 = time.perf_counter()
                await live.create_payment(request)
                latencies.append((time.perf_counter() - t0) * 1000)

        asyncio.run(creates())

    print(
        json.dumps(
            {
                "bench": "payment_parts",
                "wechat_notify_verify_decrypt_us": _us_per_item(wechat_s, len(held)),
                "alipay_notify_verify_us": _us_per_item(alipay_s, len(forms)),
                "state_apply_pair_us": _us_per_item(apply_s, rounds),
                "wechat_native_create_p50_ms": round(statistics.median(latencies), 2),
                "wechat_native_create_max_ms": round(max(latencies), 2),
                "notifications": len(held),
                "creates": len(latencies),
            }
        )
    )
