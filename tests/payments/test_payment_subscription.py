"""The paymentStatus subscription over a real websocket: a verified callback marking the order paid reaches the
driver's device; other drivers and operators without finance.view are refused (PERMISSION_DENIED)."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis

from api.app import create_app
from config.settings import Settings
from fakes.recorder import Recorded
from parking.common.database import Database
from parking.common.events import payments_topic
from parking.drivers import issue_driver_token
from parking.payments.gateway import Channels
from parking.payments.models import PaymentChannel
from tests.conftest import REDIS_CONNECT_TIMEOUT_S, REDIS_URL, need_service
from tests.factories import SECRET, World, build_world
from tests.live import LiveServer, bearer, graphql_ws, live_server
from tests.payments.flow import OPENID, WECHAT_NOTIFY, Flow

STATUS = "subscription S($no: String!) { paymentStatus(outTradeNo: $no) { outTradeNo status amountFen lotId } }"


@pytest.fixture(params=["local", pytest.param("redis", marks=pytest.mark.redis)])
async def bus_url(request: pytest.FixtureRequest) -> str:
    if request.param == "local":
        return ""
    redis = Redis.from_url(REDIS_URL, socket_connect_timeout=REDIS_CONNECT_TIMEOUT_S)
    try:
        await redis.ping()
    except OSError as err:
        need_service("Redis", str(err))
    finally:
        await redis.aclose()
    return REDIS_URL


@pytest.fixture
async def server(db: Database, settings: Settings, channels: Channels, bus_url: str) -> AsyncIterator[LiveServer]:
    async with live_server(create_app(dataclasses.replace(settings, redis_url=bus_url), db, channels)) as running:
        yield running


def driver(openid: str) -> dict[str, Any]:
    return bearer(issue_driver_token(SECRET, openid, datetime.now(UTC), 3600))


async def relay_to(server: LiveServer, deliveries: list[Recorded]) -> list[int]:
    """The channel's notifications, posted byte for byte to the live server's notify URL."""
    async with httpx.AsyncClient(base_url=server.url) as http:
        codes = []
        for d in deliveries:
            headers = {k: v for k, v in d.headers.items() if k.lower() not in ("host", "content-length")}
            codes.append((await http.post(WECHAT_NOTIFY, content=d.body, headers=headers)).status_code)
        return codes


def order_next(op: str, no: str, status: str, lot_id: int) -> dict[str, Any]:
    order = {"outTradeNo": no, "status": status, "amountFen": 600, "lotId": str(lot_id)}
    return {"id": op, "type": "next", "payload": {"data": {"paymentStatus": order}}}


async def test_a_paid_callback_reaches_the_drivers_device(server: LiveServer, flow: Flow) -> None:
    # given a driver's JSAPI order for their stay, and the driver's device subscribed with its driver token
    started = await flow.start(await flow.enter(), PaymentChannel.WECHAT_JSAPI)
    no, lot = started.order.out_trade_no, flow.site.lot_id
    async with graphql_ws(server, driver(OPENID)) as ws:
        op = await ws.subscribe(STATUS, {"no": no})
        assert await ws.receive() == order_next(op, no, "PAYING", lot)
        await server.wait_for_subscribers(payments_topic(no))
        # when WeChat's signed payment notification (sent twice) reaches our notify URL
        assert await relay_to(server, await flow.wechat_pay(no, copies=2)) == [204, 204]
        # then the device is told once that the order is paid, and the subscription ends
        assert await ws.receive() == order_next(op, no, "PAID", lot)
        assert await ws.receive() == {"id": op, "type": "complete"}
    await server.wait_for_no_subscribers(payments_topic(no))


async def test_an_operator_in_scope_may_follow_a_payment(server: LiveServer, flow: Flow) -> None:
    world = await build_world(flow.db)
    started = await flow.start(await flow.enter(), PaymentChannel.WECHAT_NATIVE, payer_id=None)
    no = started.order.out_trade_no
    async with graphql_ws(server, bearer(world.tokens["platform"])) as ws:
        op = await ws.subscribe(STATUS, {"no": no})
        assert await ws.receive() == order_next(op, no, "PAYING", flow.site.lot_id)


async def _refusal(server: LiveServer, auth: dict[str, Any], no: str) -> str:
    async with graphql_ws(server, auth) as ws:
        op = await ws.subscribe(STATUS, {"no": no})
        message = await ws.receive()
    assert (message["id"], message["type"]) == (op, "error")
    return str(message["payload"][0]["extensions"]["code"])


async def test_other_drivers_and_operators_without_permission_or_scope_are_refused(
    server: LiveServer, flow: Flow
) -> None:
    world: World = await build_world(flow.db)
    started = await flow.start(await flow.enter(), PaymentChannel.WECHAT_JSAPI)
    no = started.order.out_trade_no
    assert await _refusal(server, driver("o-someone-else"), no) == "PERMISSION_DENIED"
    assert await _refusal(server, bearer(world.tokens["viewer"]), no) == "PERMISSION_DENIED"
    # an operator with finance.view in another tenant: the order reads as missing
    assert await _refusal(server, bearer(world.tokens["agentB"]), no) == "NOT_FOUND"
    assert await _refusal(server, driver(OPENID), "P-NO-SUCH-ORDER") == "PERMISSION_DENIED"
    assert await server.bus.subscriber_count(payments_topic(no)) == 0
    # and nothing about the order changed
    assert (await flow.order(no)).status.value == "paying"
