"""Entry notifications (车辆入场通知): a car entering a lot with an entry template, whose plate a WeChat user paid
for before, gets one subscribe message from the fake WeChat API, sent after the entry committed.

Entries go through the lane flow; the messages go to the fake WeChat API over real HTTP (wechatpy uses requests).
"""

from __future__ import annotations

import itertools
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, update

from fakes.wechat_api import FakeWeChatAPI
from parking.common.scope import Scope
from parking.payments.ids import new_out_trade_no
from parking.payments.messages.dispatch import InProcessMessages
from parking.payments.messages.entry import EntryNoticeFailed, send_entry_notice
from parking.payments.messages.hooks import SERVICE
from parking.payments.messages.models import DriverMessage, MessageKind, MessageStatus
from parking.payments.models import OrderStatus, PaymentChannel, PaymentOrder, PaymentPurpose
from parking.tenancy.models import Lot
from tests.payments.flow import Flow, wall_now

TEMPLATE = "TPL_ENTRY_1"
_plates = itertools.count(100)


def new_plate() -> str:
    return f"沪N{next(_plates):05d}"


async def use_template(flow: Flow, template: str | None = TEMPLATE) -> None:
    settings = {"entry_template_id": template} if template else {}
    async with flow.db.transaction(Scope.internal()) as tx:
        await tx.execute(update(Lot).where(Lot.id == flow.site.lot_id).values(payment_settings=settings))


async def paid_before(flow: Flow, plate: str, openid: str) -> None:
    """A WeChat user paid for this plate once (a JSAPI order): we know the openid to notify."""
    async with flow.db.transaction(Scope.internal()) as tx:
        lot = await tx.get(Lot, flow.site.lot_id)
        assert lot is not None
        tx.add(
            PaymentOrder(
                agent_id=lot.agent_id,
                customer_id=lot.customer_id,
                lot_id=lot.id,
                out_trade_no=new_out_trade_no(wall_now()),
                channel=PaymentChannel.WECHAT_JSAPI,
                purpose=PaymentPurpose.PARKING_EXIT,
                status=OrderStatus.PAID,
                session_id=None,
                plate=plate,
                payer_key=openid,
                amount_fen=600,
            )
        )


async def enter(flow: Flow, messages: InProcessMessages, plate: str) -> int:
    session_id = await flow.enter(plate, minutes_ago=5)
    await messages.drain()
    return session_id


async def rows(flow: Flow, session_id: int) -> list[DriverMessage]:
    async with flow.db.session(Scope.internal()) as s:
        return list(await s.scalars(select(DriverMessage).where(DriverMessage.session_id == session_id)))


async def test_entry_with_known_openid_sends_one_message(
    flow: Flow, messages: InProcessMessages, wechat_api: FakeWeChatAPI
) -> None:
    # given a lot with an entry template and a plate paid for before by oDriver1
    plate = new_plate()
    await use_template(flow)
    await paid_before(flow, plate, "oDriver1")
    # when the car enters
    session_id = await enter(flow, messages, plate)
    # then one message with the plate, the lot's name and the entry time in Shanghai went to oDriver1
    stay = await flow.stay(session_id)
    async with flow.db.session(Scope.internal()) as s:
        lot = await s.get(Lot, flow.site.lot_id)
    assert lot is not None
    local = stay.entry_at.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M")
    assert len(wechat_api.messages) == 1
    sent = wechat_api.messages[0]
    assert sent["touser"] == "oDriver1"
    assert sent["template_id"] == TEMPLATE
    assert sent["data"] == {
        "car_number1": {"value": plate},
        "thing2": {"value": lot.name[:20]},
        "time3": {"value": local},
    }
    [row] = await rows(flow, session_id)
    assert (row.kind, row.status, row.msgid, row.attempts) == (
        MessageKind.ENTRY,
        MessageStatus.SENT,
        str(sent["msgid"]),
        1,
    )


async def test_a_second_run_sends_nothing_more(
    flow: Flow, messages: InProcessMessages, wechat_api: FakeWeChatAPI
) -> None:
    # given a stay whose entry message was sent
    plate = new_plate()
    await use_template(flow)
    await paid_before(flow, plate, "oDriver2")
    session_id = await enter(flow, messages, plate)
    # when the job runs again (a redelivered message), twice at once
    await messages.entered(session_id)
    await messages.entered(session_id)
    await messages.drain()
    # then WeChat got one message and there is one row
    assert len(wechat_api.messages) == 1
    assert len(await rows(flow, session_id)) == 1


async def test_no_openid_sends_nothing(flow: Flow, messages: InProcessMessages, wechat_api: FakeWeChatAPI) -> None:
    # given a lot with a template but a plate nobody paid for with WeChat
    await use_template(flow)
    session_id = await enter(flow, messages, new_plate())
    # then nothing is sent and nothing recorded
    assert wechat_api.messages == []
    assert await rows(flow, session_id) == []


async def test_no_template_sends_nothing(flow: Flow, messages: InProcessMessages, wechat_api: FakeWeChatAPI) -> None:
    # given a known openid but a lot without an entry template
    plate = new_plate()
    await use_template(flow, None)
    await paid_before(flow, plate, "oDriver3")
    session_id = await enter(flow, messages, plate)
    # when the job is run anyway (a lot's template removed after the entry was queued)
    await messages.entered(session_id)
    await messages.drain()
    # then nothing is sent and nothing recorded
    assert wechat_api.messages == []
    assert await rows(flow, session_id) == []


async def test_user_refused_is_recorded_and_not_retried(
    flow: Flow, messages: InProcessMessages, wechat_api: FakeWeChatAPI
) -> None:
    # given a driver who refused subscribe messages
    plate = new_plate()
    await use_template(flow)
    await paid_before(flow, plate, "oRefuses")
    wechat_api.refusing.add("oRefuses")
    session_id = await enter(flow, messages, plate)
    [row] = await rows(flow, session_id)
    assert (row.status, row.errcode, row.attempts) == (MessageStatus.REFUSED, 43101, 1)
    # when the job is retried, then WeChat is not asked again
    tokens_before = len(wechat_api.tokens)
    status = await send_entry_notice(flow.db, messages.client, session_id, wall_now() + timedelta(minutes=5))
    assert status is None
    [again] = await rows(flow, session_id)
    assert (again.status, again.attempts) == (MessageStatus.REFUSED, 1)
    assert wechat_api.messages == []
    assert len(wechat_api.tokens) == tokens_before


async def test_transient_error_is_retried_then_sent_once(
    flow: Flow, messages: InProcessMessages, wechat_api: FakeWeChatAPI
) -> None:
    # given WeChat busy for the first send
    plate = new_plate()
    await use_template(flow)
    await paid_before(flow, plate, "oDriver4")
    wechat_api.busy_sends = 1
    session_id = await flow.enter(plate, minutes_ago=5)
    await messages.drain()
    [row] = await rows(flow, session_id)
    assert (row.status, row.errcode, row.claimed_until) == (MessageStatus.PENDING, -1, None)
    # when the worker retries, then it raises nothing and the message goes out once
    assert await send_entry_notice(flow.db, messages.client, session_id, wall_now()) is MessageStatus.SENT
    assert await send_entry_notice(flow.db, messages.client, session_id, wall_now()) is None
    [row] = await rows(flow, session_id)
    assert (row.status, row.errcode, row.attempts) == (MessageStatus.SENT, 0, 2)
    assert len(wechat_api.messages) == 1


async def test_transient_error_raises_for_the_worker_to_retry(
    flow: Flow, messages: InProcessMessages, wechat_api: FakeWeChatAPI
) -> None:
    # given a pending stay (no dispatch at entry) and WeChat busy
    plate = new_plate()
    await use_template(flow)
    await paid_before(flow, plate, "oDriver5")
    flow.db.services.pop(SERVICE)
    session_id = await flow.enter(plate, minutes_ago=5)
    wechat_api.busy_sends = 1
    # when the worker's send fails, then it raises (Dramatiq retries) and the row stays pending
    with pytest.raises(EntryNoticeFailed):
        await send_entry_notice(flow.db, messages.client, session_id, wall_now())
    async with flow.db.session(Scope.internal()) as s:
        pending = await s.scalar(
            select(func.count()).select_from(DriverMessage).where(DriverMessage.status == MessageStatus.PENDING)
        )
    assert pending == 1
    assert wechat_api.messages == []
