"""T+1 settlement statements: exact sums of their orders per lot, channel and lot-local day; idempotent; scoped."""

from __future__ import annotations

import asyncio
import random
from collections import defaultdict
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import dramatiq
import pytest
from dramatiq.brokers.stub import StubBroker
from sqlalchemy import func, select, update

from parking.common.database import Database
from parking.common.errors import DomainError
from parking.common.scope import Scope
from parking.payments.models import PaymentChannel, PaymentOrder, Refund, RefundStatus
from parking.payments.settlement_models import SettlementLine, SettlementStatement
from parking.payments.statements import produce_statements
from parking.tenancy.models import Lot
from tests.conftest import GraphQL
from tests.factories import World, build_world
from tests.payments.ledger import SeededOrder, SeededRefund, seed_ledger, set_timezone
from workers import payments as payment_actors
from workers.broker import broker

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
# Lots in three time zones, and one lot with a negotiated 0.38% rate.
ZONES = {"A1a": "Asia/Shanghai", "A1b": "Asia/Shanghai", "A2a": "Europe/London", "B1a": "America/New_York"}
RATES = {"A2a": 3800}
OFFLINE = {PaymentChannel.CASH, PaymentChannel.BOOTH, PaymentChannel.WALLET}
FIELDS = "paymentsCount grossFen refundsCount refundsFen feeFen netFen"
STATEMENTS = f"""
query S($from: Date!, $to: Date!, $lot: ID) {{
  settlementStatements(dayFrom: $from, dayTo: $to, lotId: $lot, first: 100) {{
    items {{ lotId day timezone feeRatePpm totals {{ {FIELDS} }} byChannel {{ channel totals {{ {FIELDS} }} }} }}
  }}
}}
"""
CUSTOMER = f"""
query C($customer: ID!, $day: Date!) {{
  customerSettlement(customerId: $customer, day: $day) {{
    lotsSettled totals {{ {FIELDS} }} byChannel {{ channel totals {{ {FIELDS} }} }}
  }}
}}
"""


def _fee(fen: int, channel: PaymentChannel, rate: int) -> int:
    # The rule, written out: 0.6% (or the lot's rate) of each movement, rounded half up, none for offline money.
    return 0 if channel in OFFLINE else (fen * rate + 500_000) // 1_000_000


def expected(orders: list[SeededOrder], refunds: list[SeededRefund], day: date) -> dict[str, dict[str, list[int]]]:
    """lot -> channel -> [payments, gross, refunds, refunded, fee], from the seeded rows one by one."""
    out: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0, 0, 0, 0]))
    for o in orders:
        if o.paid_at is not None and o.paid_at.astimezone(ZoneInfo(ZONES[o.lot])).date() == day:
            line = out[o.lot][o.channel.name]
            line[0] += 1
            line[1] += o.amount_fen
            line[4] += _fee(o.amount_fen, o.channel, RATES.get(o.lot, 6000))
    for r in refunds:
        done = r.completed_at
        if r.status is RefundStatus.SUCCEEDED and done and done.astimezone(ZoneInfo(ZONES[r.lot])).date() == day:
            line = out[r.lot][r.channel.name]
            line[2] += 1
            line[3] += r.amount_fen
            line[4] -= _fee(r.amount_fen, r.channel, RATES.get(r.lot, 6000))
    return out


def totals(values: list[int]) -> dict[str, int]:
    payments, gross, count, refunded, fee = values
    return {
        "paymentsCount": payments,
        "grossFen": gross,
        "refundsCount": count,
        "refundsFen": refunded,
        "feeFen": fee,
        "netFen": gross - refunded - fee,
    }


def as_graphql(lines: dict[str, list[int]]) -> tuple[dict[str, int], list[dict[str, Any]]]:
    grand = [sum(v[i] for v in lines.values()) for i in range(5)]
    return totals(grand), [{"channel": c, "totals": totals(v)} for c, v in sorted(lines.items(), key=lambda x: x[0])]


async def _world(db: Database) -> World:
    world = await build_world(db)
    for lot, tz in ZONES.items():
        await set_timezone(db, world, lot, tz)
    async with db.transaction(Scope.internal()) as s:
        await s.execute(
            update(Lot).where(Lot.id == world.ids["lot:A2a"]).values(payment_settings={"fee_rate_ppm": 3800})
        )
    return world


async def _counts(db: Database) -> tuple[int, int]:
    async with db.session(Scope.internal()) as s:
        statements = await s.scalar(select(func.count(SettlementStatement.id)))
        lines = await s.scalar(select(func.count(SettlementLine.id)))
    return int(statements or 0), int(lines or 0)


@pytest.mark.parametrize("seed", [7, 2026])
async def test_statement_totals_equal_the_sum_of_their_orders(db: Database, gql: GraphQL, seed: int) -> None:
    # given orders on every channel in four lots and three time zones, paid around the day's edges, some refunded
    world = await _world(db)
    day = date(2026, 11, 10)
    orders, refunds = await seed_ledger(db, world, ZONES, day, random.Random(seed), count=120)
    # when the day is settled
    await produce_statements(db, day, NOW)
    # then each lot's statement (totals and lines by channel) is the exact sum of its orders of that local day
    want = expected(orders, refunds, day)
    # (the seeded day does hold refunds, several channels and orders left out as another day's)
    assert sum(v[2] for lines in want.values() for v in lines.values()) > 0
    assert len({c for lines in want.values() for c in lines}) >= 5
    assert sum(v[0] for lines in want.values() for v in lines.values()) < sum(o.paid_at is not None for o in orders)
    body = await gql(STATEMENTS, {"from": "2026-11-10", "to": "2026-11-10"}, token=world.tokens["platform"])
    got = {item["lotId"]: item for item in body["data"]["settlementStatements"]["items"]}
    assert sorted(got) == sorted(world.id(f"lot:{lot}") for lot in ZONES)
    for lot, tz in ZONES.items():
        item = got[world.id(f"lot:{lot}")]
        grand, by_channel = as_graphql(want[lot])
        assert (item["timezone"], item["feeRatePpm"]) == (tz, RATES.get(lot, 6000))
        assert item["totals"] == grand, lot
        assert item["byChannel"] == by_channel, lot
    # and a customer's statement is the exact sum of its lots'
    body = await gql(
        CUSTOMER, {"customer": world.id("customer:A1"), "day": "2026-11-10"}, token=world.tokens["platform"]
    )
    merged: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for lot in ("A1a", "A1b"):
        for channel, values in want[lot].items():
            merged[channel] = [a + b for a, b in zip(merged[channel], values, strict=True)]
    grand, by_channel = as_graphql(merged)
    assert body["data"]["customerSettlement"] == {"lotsSettled": 2, "totals": grand, "byChannel": by_channel}


async def test_settling_a_day_again_gives_the_same_statement(db: Database) -> None:
    # given a settled day
    world = await _world(db)
    day = date(2026, 11, 10)
    orders, _ = await seed_ledger(db, world, ZONES, day, random.Random(3), count=40)
    first = await produce_statements(db, day, NOW)
    counts = await _counts(db)
    # when it is settled again, nothing changed: the same statements, no second one
    assert await produce_statements(db, day, NOW) == first
    assert await _counts(db) == counts
    # when a refund completes late for that day and the day is settled again: the same statement, updated
    paid = next(o for o in orders if o.lot == "A1a" and o.paid_at is not None and o.channel is not PaymentChannel.CASH)
    async with db.transaction(Scope.internal()) as s:
        order = await s.scalar(select(PaymentOrder).where(PaymentOrder.out_trade_no == paid.out_trade_no))
        assert order is not None
        before = await s.scalar(select(SettlementStatement).where(SettlementStatement.lot_id == order.lot_id))
        assert before is not None
        refunds_before = before.refunds_fen
        s.add(
            Refund(
                agent_id=order.agent_id,
                customer_id=order.customer_id,
                lot_id=order.lot_id,
                order_id=order.id,
                out_refund_no="RLATE1",
                amount_fen=1,
                reason="late",
                status=RefundStatus.SUCCEEDED,
                completed_at=datetime(2026, 11, 10, 12, tzinfo=ZoneInfo("Asia/Shanghai")),
            )
        )
    assert await produce_statements(db, day, NOW) == first
    async with db.session(Scope.internal()) as s:
        after = await s.scalar(select(SettlementStatement).where(SettlementStatement.lot_id == world.ids["lot:A1a"]))
    assert after is not None
    assert after.id == before.id
    assert after.refunds_fen == refunds_before + 1


async def test_a_day_not_over_in_the_lots_time_zone_is_refused(db: Database) -> None:
    await _world(db)
    # 2026-11-20 12:00 UTC: the 20th is over nowhere yet, and the 19th is not over in New York until 05:00 UTC.
    with pytest.raises(DomainError):
        await produce_statements(db, date(2026, 11, 20), NOW)
    with pytest.raises(DomainError):
        await produce_statements(db, date(2026, 11, 20), datetime(2026, 11, 21, 4, 59, tzinfo=UTC))
    assert await _counts(db) == (0, 0)


async def test_statements_are_scoped_to_the_callers_tenants(db: Database, gql: GraphQL) -> None:
    world = await _world(db)
    day = date(2026, 11, 10)
    await seed_ledger(db, world, ZONES, day, random.Random(5), count=30)
    await produce_statements(db, day, NOW)
    body = await gql(STATEMENTS, {"from": "2026-11-10", "to": "2026-11-10"}, token=world.tokens["custA1"])
    lots = sorted(item["lotId"] for item in body["data"]["settlementStatements"]["items"])
    assert lots == sorted([world.id("lot:A1a"), world.id("lot:A1b")])
    body = await gql(CUSTOMER, {"customer": world.id("customer:B1"), "day": "2026-11-10"}, token=world.tokens["custA1"])
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    # a lot operator's customer statement is the sum of the statements it may see: its one lot's
    body = await gql(STATEMENTS, {"from": "2026-11-10", "to": "2026-11-10"}, token=world.tokens["lotA1a"])
    [own] = body["data"]["settlementStatements"]["items"]
    body = await gql(CUSTOMER, {"customer": world.id("customer:A1"), "day": "2026-11-10"}, token=world.tokens["lotA1a"])
    assert body["data"]["customerSettlement"] == {
        "lotsSettled": 1,
        "totals": own["totals"],
        "byChannel": own["byChannel"],
    }
    body = await gql(STATEMENTS, {"from": "2026-11-10", "to": "2026-11-10"}, token=world.tokens["viewer"])
    assert body["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"


def _drain(stub: StubBroker) -> None:
    worker = dramatiq.Worker(stub, queues={payment_actors.QUEUE}, worker_timeout=100, worker_threads=1)
    worker.start()
    try:
        stub.join(payment_actors.QUEUE, fail_fast=True)  # an actor's exception fails the test
        worker.join()
    finally:
        worker.stop()


async def test_the_daily_actor_settles_each_lots_yesterday_once(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    # given a settled ledger and the worker pointed at the test database
    world = await _world(db)
    await seed_ledger(db, world, ZONES, date(2026, 11, 10), random.Random(11), count=20)
    monkeypatch.setenv("PARKCLOUD_DATABASE_URL", db.engine.url.render_as_string(hide_password=False))
    # when the statement job for the day is sent twice through Dramatiq
    payment_actors.produce_settlement_statements.send("2026-11-10")
    payment_actors.produce_settlement_statements.send("2026-11-10")
    assert isinstance(broker, StubBroker)
    await asyncio.to_thread(_drain, broker)
    # then each lot has one statement for the day
    async with db.session(Scope.internal()) as s:
        rows = (await s.execute(select(SettlementStatement.lot_id, SettlementStatement.day))).all()
    assert sorted(rows) == sorted((world.ids[f"lot:{lot}"], date(2026, 11, 10)) for lot in ZONES)
