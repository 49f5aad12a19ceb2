"""Payment callbacks while Redis is down: answered as the channels expect and recorded, never a 500; the payment's
event waits in the outbox for Redis, and a replayed copy is still refused (the nonces fall back to memory)."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import select

from api.app import create_app
from config.settings import Settings
from parking.common.database import Database
from parking.common.events import payments_topic
from parking.common.outbox import OUTBOX
from parking.payments.channels.alipay import AlipayChannel
from parking.payments.channels.wechatpay import WeChatPayChannel
from parking.payments.config import AlipayConfig, WeChatPayConfig
from parking.payments.gateway import Channels
from parking.payments.models import OrderStatus, PaymentChannel
from parking.payments.nonces import RedisNonceStore
from tests.conftest import REDIS_URL
from tests.live import live_server
from tests.payments.flow import ALIPAY_NOTIFY, Flow
from tests.realtime.faulty_redis import closed_port_url


@pytest.fixture
def redis_down() -> str:
    return closed_port_url(REDIS_URL)


@pytest.fixture
def wechat(wechat_config: WeChatPayConfig, redis_down: str) -> WeChatPayChannel:
    return WeChatPayChannel(wechat_config, RedisNonceStore.from_url(redis_down))


@pytest.fixture
def alipay(alipay_config: AlipayConfig, redis_down: str) -> AlipayChannel:
    return AlipayChannel(alipay_config, RedisNonceStore.from_url(redis_down))


@pytest.fixture
async def pay_client(
    db: Database, settings: Settings, channels: Channels, redis_down: str
) -> AsyncIterator[httpx.AsyncClient]:
    """The app as deployed with Redis (outbox, relay, Redis nonces), the Redis it names down; served for real."""
    app = create_app(dataclasses.replace(settings, redis_url=redis_down), db, channels)
    async with live_server(app) as server, httpx.AsyncClient(base_url=server.url) as http:
        yield http


async def _pending(db: Database, topic: str) -> list[bool]:
    async with db.engine.connect() as conn:
        rows = await conn.execute(select(OUTBOX.c.published_at).where(OUTBOX.c.topic == topic))
        return [published is None for (published,) in rows]


async def test_a_wechat_payment_callback_with_redis_down_is_acknowledged_and_recorded(flow: Flow) -> None:
    session_id = await flow.enter()
    started = await flow.start(session_id)
    deliveries = await flow.wechat_pay(started.order.out_trade_no)
    # the notification, then the same bytes again (a replay)
    first, replay = await flow.relay(deliveries + deliveries)
    assert (first.status_code, replay.status_code) == (204, 400)
    assert (await flow.order(started.order.out_trade_no)).status is OrderStatus.PAID
    assert (await flow.stay(session_id)).paid_fen == 600
    # the payment's event waits for Redis in the outbox
    assert await _pending(flow.db, payments_topic(started.order.out_trade_no)) == [True]


async def test_an_alipay_callback_with_redis_down_is_acknowledged_and_recorded(flow: Flow) -> None:
    session_id = await flow.enter()
    started = await flow.start(session_id, PaymentChannel.ALIPAY_QR)
    responses = await flow.relay(await flow.alipay_pay(started.order.out_trade_no), ALIPAY_NOTIFY)
    assert [(r.status_code, r.text) for r in responses] == [(200, "success")]
    assert (await flow.order(started.order.out_trade_no)).status is OrderStatus.PAID
    assert (await flow.stay(session_id)).paid_fen == 600
    assert await _pending(flow.db, payments_topic(started.order.out_trade_no)) == [True]
