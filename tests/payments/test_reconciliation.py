"""Reconciling the channels' daily bills (served signed by the fakes, in their real formats) with our records."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from parking.common.scope import Scope
from parking.payments.bills import EntryKind
from parking.payments.models import PaymentChannel
from parking.payments.reconciliation import reconcile_day
from parking.payments.settlement_models import ReconciliationItem, ReconciliationResult, ReconciliationRun
from tests.conftest import GraphQL
from tests.factories import build_world
from tests.payments.flow import ALIPAY_NOTIFY, Flow, wall_now
from tests.payments.test_refunds import DECIDE, ask, second_approver

CST = ZoneInfo("Asia/Shanghai")
LINES = """
query L($channel: String!, $day: Date!, $result: ReconciliationResult) {
  reconciliation(channel: $channel, day: $day) { matched missingOurs missingTheirs amountMismatch }
  reconciliationLines(channel: $channel, day: $day, result: $result, first: 100) {
    items { result entryKind number outTradeNo oursFen theirsFen lotId }
  }
}
"""


def today() -> date:
    return wall_now().astimezone(CST).date()


def after_today() -> datetime:
    # The bill of a day is fetched once the day is over; the fakes serve today's bill at once.
    return datetime.combine(today() + timedelta(days=1), datetime.min.time(), tzinfo=CST).astimezone(UTC) + timedelta(
        minutes=1
    )


async def paid(flow: Flow, plate: str, channel: PaymentChannel = PaymentChannel.WECHAT_NATIVE) -> tuple[int, str]:
    session_id = await flow.enter(plate=plate, minutes_ago=70)
    started = await flow.start(session_id, channel)
    no = started.order.out_trade_no
    if channel is PaymentChannel.ALIPAY_QR:
        await flow.relay(await flow.alipay_pay(no), ALIPAY_NOTIFY)
    else:
        await flow.relay(await flow.wechat_pay(no))
    return started.order.id, no


async def items(flow: Flow, run_id: int, numbers: set[str]) -> dict[str, tuple[Any, ...]]:
    async with flow.db.session(Scope.internal()) as s:
        rows = await s.scalars(select(ReconciliationItem).where(ReconciliationItem.run_id == run_id))
        return {
            r.number: (r.result, r.entry_kind, r.ours_fen, r.theirs_fen, r.lot_id)
            for r in rows
            if r.number in numbers or r.out_trade_no in numbers
        }


async def test_wechat_bill_reconciliation_stores_each_kind_of_mismatch(flow: Flow) -> None:
    # given three paid WeChat orders and a refund of 200 fen on the first, through the real flows
    gql = GraphQL(flow.http)
    world = await build_world(flow.db)
    approver = await second_approver(flow, world)
    (a_id, a), (_, b), (_, c) = [await paid(flow, plate) for plate in ("京A10001", "京A10002", "京A10003")]
    asked = await ask(gql, world.tokens["platform"], a_id, 200)
    await gql(DECIDE, {"id": asked["refund"]["id"]}, token=approver)
    refund_no = asked["refund"]["outRefundNo"]
    before = len(flow.recorder.received)
    await flow.wechat_control.post(f"/refunds/{refund_no}/complete", json={"outcome": "success"})
    await flow.relay(flow.recorder.received[before:])
    # and WeChat's bill of the day with B's amount wrong, C missing and a payment we never saw
    phantom_no = f"PHANTOM{a[-8:]}"
    phantom: dict[str, object] = {
        "trade_time": wall_now().isoformat(),
        "appid": "wx",
        "mchid": "1900000109",
        "transaction_id": "4200999",
        "out_trade_no": phantom_no,
        "openid": "o",
        "trade_type": "NATIVE",
        "trade_state": "SUCCESS",
        "bank_type": "OTHERS",
        "total_fen": 700,
        "refund_fen": 0,
        "refund_id": "",
        "out_refund_no": "",
        "description": "停车费",
    }
    day = today()
    seeded = await flow.wechat_control.put(
        f"/bills/{day.isoformat()}", json={"omit": [c], "amounts": {b: 599}, "extra": [phantom]}
    )
    assert seeded.status_code == 200
    # when the day's bill is downloaded (signed trade_bill answer, hash-checked file) and reconciled
    run_id = await reconcile_day(flow.db, flow.channels, "wechatpay", day, after_today())
    # then every kind of line is stored with both sides' amounts and our lot
    lot = flow.site.lot_id
    assert await items(flow, run_id, {a, b, c, refund_no, phantom_no}) == {
        a: (ReconciliationResult.MATCHED, EntryKind.PAYMENT, 600, 600, lot),
        refund_no: (ReconciliationResult.MATCHED, EntryKind.REFUND, 200, 200, lot),
        b: (ReconciliationResult.AMOUNT_MISMATCH, EntryKind.PAYMENT, 600, 599, lot),
        c: (ReconciliationResult.MISSING_THEIRS, EntryKind.PAYMENT, 600, None, lot),
        phantom_no: (ReconciliationResult.MISSING_OURS, EntryKind.PAYMENT, None, 700, None),
    }
    # and reconciling the day again replaces the run rather than adding one
    async with flow.db.session(Scope.internal()) as s:
        count = await s.scalar(select(func.count(ReconciliationItem.id)))
    assert await reconcile_day(flow.db, flow.channels, "wechatpay", day, after_today()) == run_id
    async with flow.db.session(Scope.internal()) as s:
        assert await s.scalar(select(func.count(ReconciliationItem.id))) == count
        assert await s.scalar(select(func.count(ReconciliationRun.id))) == 1
    # and GraphQL lists the lines: the platform sees the phantom; a customer operator only its own lots' lines
    body = await gql(
        LINES,
        {"channel": "wechatpay", "day": day.isoformat(), "result": "MISSING_OURS"},
        token=world.tokens["platform"],
    )
    numbers = [i["number"] for i in body["data"]["reconciliationLines"]["items"]]
    assert phantom_no in numbers
    body = await gql(LINES, {"channel": "wechatpay", "day": day.isoformat()}, token=world.tokens["custA1"])
    assert body["data"] == {
        "reconciliation": {"matched": 0, "missingOurs": 0, "missingTheirs": 0, "amountMismatch": 0},
        "reconciliationLines": {"items": []},
    }


async def test_alipay_bill_reconciliation_finds_a_trade_missing_on_their_side(flow: Flow) -> None:
    # given two Alipay trades, one of which the bill (a zip of a GBK CSV) leaves out
    (_, kept), (_, dropped) = [await paid(flow, plate, PaymentChannel.ALIPAY_QR) for plate in ("京B20001", "京B20002")]
    day = today()
    await flow.alipay_control.put(f"/bills/{day.isoformat()}", json={"omit": [dropped]})
    # when reconciled
    run_id = await reconcile_day(flow.db, flow.channels, "alipay", day, after_today())
    # then the kept one matches and the dropped one is missing on their side
    lot = flow.site.lot_id
    assert await items(flow, run_id, {kept, dropped}) == {
        kept: (ReconciliationResult.MATCHED, EntryKind.PAYMENT, 600, 600, lot),
        dropped: (ReconciliationResult.MISSING_THEIRS, EntryKind.PAYMENT, 600, None, lot),
    }
