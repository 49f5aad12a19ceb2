"""Payment notifications (停车缴费成功): a stay of a plate a driver bound in the mini-program is paid through the
WeChat Pay fake; after the payment committed, one subscribe message reaches the fake WeChat API through wechatpy
(real HTTP), recorded so that a redelivered job sends nothing more. The entry of a bound plate notifies its driver.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy import select, update

from fakes.wechat_api import FakeWeChatAPI
from parking.common.db import utcnow
from parking.common.scope import Scope
from parking.drivers.models import DriverPlate
from parking.payments.messages.dispatch import InProcessMessages
from parking.payments.messages.models import DriverMessage, MessageKind, MessageStatus
from parking.payments.messages.paid import send_paid_notice
from parking.tenancy.models import Lot
from tests.conftest import REDIS_CONNECT_TIMEOUT_S, REDIS_URL, need_service
from tests.payments.flow import Flow
from tests.wechat import ServedWeChat

PAID_TEMPLATE = "TPL_PAID_1"
ENTRY_TEMPLATE = "TPL_ENTRY_1"
_plates = itertools.count(300)


async def templates(flow: Flow, **settings: str) -> None:
    async with flow.db.transaction(Scope.internal()) as tx:
        await tx.execute(update(Lot).where(Lot.id == flow.site.lot_id).values(payment_settings=settings))


async def bind(flow: Flow, plate: str, openid: str) -> None:
    async with flow.db.transaction(Scope.internal()) as tx:
        tx.add(DriverPlate(openid=openid, plate=plate, slot=1, bound_at=utcnow()))


async def pay(flow: Flow, messages: InProcessMessages, session_id: int) -> int:
    started = await flow.start(session_id)
    [response] = await flow.relay(await flow.wechat_pay(started.order.out_trade_no))
    assert response.status_code == 204
    await messages.drain()
    return started.order.id


async def rows(flow: Flow, session_id: int) -> list[DriverMessage]:
    async with flow.db.session(Scope.internal()) as s:
        stmt = select(DriverMessage).where(DriverMessage.session_id == session_id).order_by(DriverMessage.id)
        return list(await s.scalars(stmt))


async def test_a_paid_stay_of_a_bound_plate_notifies_its_driver_once(
    flow: Flow, messages: InProcessMessages, wechat_api: FakeWeChatAPI
) -> None:
    # given a lot with a payment template and a plate bound by oOwner, inside for 70 minutes
    plate = f"粤C{next(_plates):05d}"
    await templates(flow, paid_template_id=PAID_TEMPLATE)
    await bind(flow, plate, "oOwner")
    session_id = await flow.enter(plate)
    # when someone pays its fee through WeChat Pay (the notification reaches our endpoint)
    order_id = await pay(flow, messages, session_id)
    # then the fake WeChat API got one message for oOwner with the plate, lot, amount and time
    order = await flow.order((await flow.orders(session_id))[0].out_trade_no)
    assert order.paid_at is not None
    async with flow.db.session(Scope.internal()) as s:
        lot = await s.get(Lot, flow.site.lot_id)
    assert lot is not None
    local = order.paid_at.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M")
    [sent] = wechat_api.messages
    assert (sent["touser"], sent["template_id"]) == ("oOwner", PAID_TEMPLATE)
    assert sent["data"] == {
        "car_number1": {"value": plate},
        "thing2": {"value": lot.name[:20]},
        "amount3": {"value": "6.00元"},
        "time4": {"value": local},
    }
    [row] = await rows(flow, session_id)
    assert (row.kind, row.ref, row.status, row.msgid) == (
        MessageKind.PAID,
        str(order_id),
        MessageStatus.SENT,
        str(sent["msgid"]),
    )
    # and a redelivered job sends nothing more
    assert await send_paid_notice(flow.db, messages.client, order_id, utcnow()) is None
    assert len(wechat_api.messages) == 1


async def test_an_unbound_plates_payment_sends_nothing(
    flow: Flow, messages: InProcessMessages, wechat_api: FakeWeChatAPI
) -> None:
    plate = f"粤C{next(_plates):05d}"
    await templates(flow, paid_template_id=PAID_TEMPLATE)
    session_id = await flow.enter(plate)
    await pay(flow, messages, session_id)
    assert wechat_api.messages == []
    assert await rows(flow, session_id) == []


async def test_the_entry_of_a_bound_plate_notifies_its_driver(
    flow: Flow, messages: InProcessMessages, wechat_api: FakeWeChatAPI
) -> None:
    plate = f"粤C{next(_plates):05d}"
    await templates(flow, entry_template_id=ENTRY_TEMPLATE)
    await bind(flow, plate, "oOwner")
    session_id = await flow.enter(plate, minutes_ago=5)
    await messages.drain()
    [sent] = wechat_api.messages
    assert (sent["touser"], sent["template_id"], sent["data"]["car_number1"]) == (
        "oOwner",
        ENTRY_TEMPLATE,
        {"value": plate},
    )
    [row] = await rows(flow, session_id)
    assert (row.kind, row.ref, row.status) == (MessageKind.ENTRY, "", MessageStatus.SENT)


@pytest.mark.redis
async def test_the_worker_actor_sends_it_with_a_token_shared_through_redis(
    flow: Flow, served: ServedWeChat, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    redis = Redis.from_url(REDIS_URL, socket_connect_timeout=REDIS_CONNECT_TIMEOUT_S)
    try:
        redis.ping()
    except (OSError, RedisConnectionError) as err:
        need_service("Redis", str(err))
    redis.delete(*redis.keys("parkcloud:wechatpy*") or ["-"])
    # given a paid stay of a bound plate, and no dispatch in this process (the API queues to the worker)
    plate = f"粤C{next(_plates):05d}"
    await templates(flow, paid_template_id=PAID_TEMPLATE)
    await bind(flow, plate, "oWorker")
    session_id = await flow.enter(plate)
    started = await flow.start(session_id)
    await flow.relay(await flow.wechat_pay(started.order.out_trade_no))
    assert served.fake.messages == []
    # when the Dramatiq actor runs the job, configured from the environment like a worker process
    for name, value in {
        "DATABASE_URL": flow.db.engine.url.render_as_string(hide_password=False),
        "REDIS_URL": REDIS_URL,
        "VAR_DIR": str(tmp_path),
        "WECHAT_APPID": served.fake.appid,
        "WECHAT_SECRET": served.fake.secret,
        "WECHAT_API_URL": served.url,
    }.items():
        monkeypatch.setenv(f"PARKCLOUD_{name}", value)
    from workers.notifications import send_paid_notification

    await asyncio.to_thread(send_paid_notification.fn, started.order.id)
    await asyncio.to_thread(send_paid_notification.fn, started.order.id)
    # then one message arrived (the redelivered job sent nothing), and the access token is kept in Redis for
    # every worker process
    assert [m["touser"] for m in served.fake.messages] == ["oWorker"]
    [token] = served.fake.tokens
    [key] = redis.keys("parkcloud:wechatpy*")
    assert json.loads(redis.get(key) or b"null") == token
    redis.close()
