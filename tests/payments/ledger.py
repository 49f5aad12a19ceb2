"""Seeded payment orders and refunds written straight to the database, for settlement and reconciliation tests."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import update

from parking.common.database import Database
from parking.common.scope import Scope
from parking.payments.models import (
    OrderStatus,
    PaymentChannel,
    PaymentOrder,
    PaymentPurpose,
    Refund,
    RefundStatus,
)
from parking.tenancy.models import Lot
from tests.factories import World

_numbers = itertools.count(1)
PAID_STATES = (OrderStatus.PAID, OrderStatus.PARTLY_REFUNDED, OrderStatus.REFUNDED)
OPEN_STATES = (OrderStatus.CREATED, OrderStatus.PAYING, OrderStatus.FAILED, OrderStatus.CLOSED)


@dataclass(frozen=True)
class SeededOrder:
    lot: str
    channel: PaymentChannel
    status: OrderStatus
    amount_fen: int
    paid_at: datetime | None
    out_trade_no: str


@dataclass(frozen=True)
class SeededRefund:
    lot: str
    channel: PaymentChannel
    status: RefundStatus
    amount_fen: int
    completed_at: datetime | None
    out_refund_no: str
    out_trade_no: str


async def set_timezone(db: Database, world: World, lot: str, tz: str) -> None:
    async with db.transaction(Scope.internal()) as s:
        await s.execute(update(Lot).where(Lot.id == world.ids[f"lot:{lot}"]).values(timezone=tz))


def around(day: date, tz: str, rng: random.Random) -> datetime:
    """An instant from 3 hours before ``day`` starts to 3 hours after it ends, in ``tz``; often on the edges."""
    start = datetime.combine(day, datetime.min.time(), tzinfo=ZoneInfo(tz))
    edges = [start, start - timedelta(microseconds=1), start + timedelta(days=1), start + timedelta(days=1, seconds=-1)]
    if rng.random() < 0.25:
        return rng.choice(edges)
    return start + timedelta(seconds=rng.randint(-3 * 3600, 27 * 3600))


async def seed_ledger(
    db: Database, world: World, lots: dict[str, str], day: date, rng: random.Random, count: int
) -> tuple[list[SeededOrder], list[SeededRefund]]:
    """``count`` orders over ``lots`` (name: time zone) and every channel, paid or not, some refunded."""
    orders: list[SeededOrder] = []
    refunds: list[SeededRefund] = []
    async with db.transaction(Scope.internal()) as s:
        for _ in range(count):
            lot = rng.choice(sorted(lots))
            channel = rng.choice(list(PaymentChannel))
            status = rng.choice(PAID_STATES + OPEN_STATES)
            amount = rng.choice([1, 83, 84, 250, 9999, rng.randint(1, 500_000)])
            paid_at = around(day, lots[lot], rng) if status in PAID_STATES else None
            no = f"T{next(_numbers):08d}{rng.randrange(10**6):06d}"
            row = PaymentOrder(
                agent_id=world.ids[f"agent:{lot[0]}"],
                customer_id=world.ids[f"customer:{lot[:2]}"],
                lot_id=world.ids[f"lot:{lot}"],
                out_trade_no=no,
                channel=channel,
                purpose=PaymentPurpose.PARKING_EXIT,
                status=status,
                amount_fen=amount,
                paid_at=paid_at,
                details={},
            )
            s.add(row)
            await s.flush()
            orders.append(SeededOrder(lot, channel, status, amount, paid_at, no))
            if status is OrderStatus.PAID or rng.random() < 0.5:
                continue
            # One or two refunds (succeeded or not) that never exceed the payment.
            left = amount
            for _ in range(rng.randint(1, 2)):
                if left <= 0:
                    break
                fen = rng.randint(1, left)
                left -= fen
                refund_status = rng.choice([RefundStatus.SUCCEEDED, RefundStatus.SUCCEEDED, RefundStatus.REQUESTED])
                done = around(day, lots[lot], rng) if refund_status is RefundStatus.SUCCEEDED else None
                refund_no = f"R{next(_numbers):08d}{rng.randrange(10**6):06d}"
                s.add(
                    Refund(
                        agent_id=row.agent_id,
                        customer_id=row.customer_id,
                        lot_id=row.lot_id,
                        order_id=row.id,
                        out_refund_no=refund_no,
                        amount_fen=fen,
                        reason="seeded",
                        status=refund_status,
                        completed_at=done,
                    )
                )
                refunds.append(SeededRefund(lot, channel, refund_status, fen, done, refund_no, no))
    return orders, refunds
