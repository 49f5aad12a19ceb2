"""The callback replay window across API processes: nonces in real Redis (SET NX with an absolute expiry)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from api.app import create_app
from config.settings import Settings
from parking.common.database import Database
from parking.payments.channels.wechatpay import WeChatPayChannel
from parking.payments.config import WeChatPayConfig
from parking.payments.gateway import Channels
from parking.payments.models import OrderStatus, PaymentChannel
from parking.payments.nonces import RedisNonceStore
from tests.conftest import REDIS_CONNECT_TIMEOUT_S, REDIS_URL, need_service
from tests.payments.flow import WECHAT_NOTIFY, Flow

pytestmark = pytest.mark.redis


@pytest.fixture
def redis() -> Iterator[Redis]:
    client = Redis.from_url(REDIS_URL, socket_connect_timeout=REDIS_CONNECT_TIMEOUT_S)
    try:
        client.ping()
    except (OSError, RedisConnectionError) as err:
        need_service("Redis", str(err))
    yield client
    client.close()


@pytest.fixture
def prefix() -> str:
    return f"test-nonce:{uuid.uuid4().hex}:"


def test_a_nonce_is_new_once_across_stores_and_expires_when_the_window_ends(redis: Redis, prefix: str) -> None:
    # given two API processes' stores on one Redis
    first, second = RedisNonceStore(redis, prefix), RedisNonceStore(Redis.from_url(REDIS_URL), prefix)
    now = datetime.now(UTC)
    expires = now + timedelta(minutes=5)
    # when both see the same nonce, only the first takes it
    assert first.add_if_new("wechatpay:abc", expires, now) is True
    assert second.add_if_new("wechatpay:abc", expires, now) is False
    assert second.add_if_new("wechatpay:other", expires, now) is True
    # and Redis forgets it exactly when the replay window would refuse it anyway
    assert redis.pexpiretime(prefix + "wechatpay:abc") == int(expires.timestamp() * 1000)
    second.close()


async def test_a_notification_replayed_to_another_api_process_is_refused(
    db: Database, settings: Settings, wechat_config: WeChatPayConfig, flow: Flow, redis: Redis, prefix: str
) -> None:
    # given two API processes whose WeChat channels share the Redis nonce store
    def process() -> httpx.AsyncClient:
        channels = Channels(wechatpay=WeChatPayChannel(wechat_config, RedisNonceStore(redis, prefix)))
        transport = httpx.ASGITransport(app=create_app(settings, db, channels), client=("203.0.113.9", 50000))
        return httpx.AsyncClient(transport=transport, base_url="http://testserver")

    started = await flow.start(await flow.enter(), PaymentChannel.WECHAT_NATIVE, payer_id=None)
    no = started.order.out_trade_no
    [delivery] = await flow.wechat_pay(no)
    headers = {k: v for k, v in delivery.headers.items() if k.lower() not in ("host", "content-length")}
    async with process() as one, process() as two:
        # when WeChat's notification reaches the first, and a byte-for-byte copy the second
        accepted = await one.post(WECHAT_NOTIFY, content=delivery.body, headers=headers)
        replayed = await two.post(WECHAT_NOTIFY, content=delivery.body, headers=headers)
    # then the first is credited and the copy is refused as a replay
    assert accepted.status_code == 204
    assert replayed.status_code == 400
    assert replayed.json() == {"code": "FAIL", "message": "rejected"}
    assert (await flow.order(no)).status is OrderStatus.PAID
    assert redis.exists(prefix + f"wechatpay:{delivery.headers['wechatpay-nonce']}") == 1
