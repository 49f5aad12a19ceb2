"""Verified payment callbacks through the notify URL into the database: the rate `bench payments` reports.

Each callback is a freshly signed WeChat Pay TRANSACTION.SUCCESS for its own order, posted to our app
(in-process ASGI, so no socket cost) with a few in flight at once: verify, decrypt, lock the order, apply,
credit the stay, look for a car waiting at an exit, commit.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from tempfile import TemporaryDirectory

import httpx

from api.app import create_app
from config.settings import Settings
from fakes.wechatpay import FakeWeChatPay, PayOptions
from parking.common.database import Database
from parking.common.scope import Scope
from parking.payments.callbacks import InMemoryNonceStore
from parking.payments.channels.wechatpay import WeChatPayChannel
from parking.payments.config import WeChatPayConfig
from parking.payments.gateway import Channels
from parking.payments.ids import new_out_trade_no
from parking.payments.models import OrderStatus, PaymentChannel, PaymentOrder, PaymentPurpose
from parking.sessions.models import ParkingSession
from parking.tenancy.models import Agent, Customer, Lot

NOTIFY_URL = "http://127.0.0.1:9/payments/notify/wechatpay"  # never called: notifications are held


async def _orders(db: Database, count: int) -> list[str]:
    now = datetime.now(UTC)
    async with db.transaction(Scope.internal()) as s:
        agent = Agent(name="bench agent")
        s.add(agent)
        await s.flush()
        customer = Customer(agent_id=agent.id, name="bench customer")
        s.add(customer)
        await s.flush()
        lot = Lot(agent_id=agent.id, customer_id=customer.id, name="bench lot", code="BENCH", capacity=count)
        s.add(lot)
        await s.flush()
        tenant = {"agent_id": agent.id, "customer_id": customer.id, "lot_id": lot.id}
        stays = [ParkingSession(**tenant, plate=f"京A{i:05d}", entry_at=now - timedelta(hours=1)) for i in range(count)]
        s.add_all(stays)
        await s.flush()
        orders = [
            PaymentOrder(
                **tenant,
                out_trade_no=new_out_trade_no(now),
                channel=PaymentChannel.WECHAT_JSAPI,
                purpose=PaymentPurpose.PARKING_PREPAY,
                status=OrderStatus.PAYING,
                session_id=stay.id,
                plate=stay.plate,
                amount_fen=600,
                # As ``service._new_order`` and ``start_payment`` write them.
                details={
                    "fee_fen": 600,
                    "paid_before_fen": 0,
                    "arrears_fen": 0,
                    "fee_rate_ppm": 6000,
                    "at_channel": True,
                },
            )
            for stay in stays
        ]
        s.add_all(orders)
    return [o.out_trade_no for o in orders]


async def _notifications(fake: FakeWeChatPay, numbers: list[str]) -> list[tuple[dict[str, str], bytes]]:
    held = []
    for no in numbers:
        resource = {
            "appid": fake.appid,
            "mchid": fake.mchid,
            "out_trade_no": no,
            "transaction_id": "4200" + no[-14:],
            "trade_type": "JSAPI",
            "trade_state": "SUCCESS",
            "success_time": datetime.now(UTC).isoformat(),
            "amount": {"total": 600, "payer_total": 600, "currency": "CNY"},
            "bank_type": "OTHERS",
        }
        [n] = await fake.notify(
            NOTIFY_URL, "TRANSACTION.SUCCESS", "支付成功", "transaction", resource, PayOptions(hold=True)
        )
        held.append(({**n.headers, "Content-Type": "application/json"}, n.body.encode()))
    return held


async def measure_callbacks(db: Database, count: int, concurrency: int) -> dict[str, float | int]:
    fake = FakeWeChatPay()
    config = WeChatPayConfig(**fake.credentials().__dict__, notify_url=NOTIFY_URL, base_url="http://127.0.0.1:9")
    channels = Channels(wechatpay=WeChatPayChannel(config, InMemoryNonceStore()))
    numbers = await _orders(db, count)
    held = await _notifications(fake, numbers)
    with TemporaryDirectory() as tmp:
        settings = Settings(var_dir=Path(tmp), database_url="unused://", redis_url="", secret_key="bench")
        app = create_app(settings, db, channels)
        queue: asyncio.Queue[tuple[dict[str, str], bytes]] = asyncio.Queue()
        for item in held:
            queue.put_nowait(item)
        refused = 0

        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as http:

            async def worker() -> None:
                nonlocal refused
                while not queue.empty():
                    headers, body = queue.get_nowait()
                    response = await http.post("/payments/notify/wechatpay", content=body, headers=headers)
                    refused += response.status_code != 204

            started = time.perf_counter()
            await asyncio.gather(*(worker() for _ in range(concurrency)))
            elapsed = time.perf_counter() - started
    return {
        "callbacks_per_s": round(count / elapsed, 1),
        "callbacks": count,
        "callback_concurrency": concurrency,
        "callbacks_refused": refused,
    }
