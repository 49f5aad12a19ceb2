"""Payments, stays, lot counters and alarms around two local days, 2026-11-20 and 2026-11-21.

Lot A1a keeps the default Asia/Shanghai (UTC+8); lot A1b is moved to America/New_York (UTC-5 in November), so
the same UTC instant falls on different local days. A2a (another customer of agent A) and B1a (agent B) hold
rows that a customer-A1 operator must never see counted.
"""

from __future__ import annotations

from datetime import UTC, datetime

from parking.alarms.models import Alarm, AlarmKind, AlarmStatus
from parking.common.database import Database
from parking.common.scope import Scope
from parking.payments.models import OrderStatus, PaymentChannel, PaymentOrder, PaymentPurpose
from parking.sessions.enums import SessionState
from parking.sessions.models import ParkingSession
from parking.tenancy.models import Lot
from tests.factories import World

WECHAT, ALIPAY = PaymentChannel.WECHAT_JSAPI, PaymentChannel.ALIPAY_QR


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


# (lot, paid at UTC, channel, amount fen, refunded fen, status)
PAYMENTS = [
    ("A1a", utc(20, 15, 30), WECHAT, 500, 0, OrderStatus.PAID),  # 11-20 23:30 in Shanghai
    ("A1a", utc(20, 16, 30), WECHAT, 700, 0, OrderStatus.PAID),  # 11-21 00:30 in Shanghai
    ("A1a", utc(21, 2), ALIPAY, 1200, 200, OrderStatus.PARTLY_REFUNDED),
    ("A1a", utc(10, 2), WECHAT, 9100, 0, OrderStatus.PAID),  # before the range
    ("A1a", None, WECHAT, 999, 0, OrderStatus.CREATED),  # never paid
    ("A1b", utc(21, 3), WECHAT, 300, 0, OrderStatus.PAID),  # 11-20 22:00 in New York
    ("A2a", utc(21, 2), WECHAT, 4000, 0, OrderStatus.PAID),
    ("B1a", utc(21, 2), WECHAT, 8000, 0, OrderStatus.PAID),
]

# (lot, entry UTC, exit UTC or None)
STAYS = [
    ("A1a", utc(20, 15, 30), utc(20, 16, 10)),  # in 11-20 23h, out 11-21 00h (Shanghai)
    ("A1a", utc(21, 1, 5), None),  # in 11-21 09h
    ("A1b", utc(21, 3), utc(21, 14)),  # in 11-20 22h, out 11-21 09h (New York)
    ("B1a", utc(21, 2), None),
]

OCCUPIED = {"A1a": 30, "A1b": 100, "A2a": 7, "B1a": 5}

# (lot, kind, status)
ALARMS = [
    ("A1a", AlarmKind.LOW_CONFIDENCE, AlarmStatus.OPEN),
    ("A1a", AlarmKind.LOW_CONFIDENCE, AlarmStatus.OPEN),
    ("A1b", AlarmKind.LOW_CONFIDENCE, AlarmStatus.ACKNOWLEDGED),
    ("A1a", AlarmKind.GATE_FAILED, AlarmStatus.RESOLVED),
    ("A1a", AlarmKind.GATE_FAILED, AlarmStatus.OPEN),
    ("B1a", AlarmKind.GATE_FAILED, AlarmStatus.OPEN),
]


async def seed_overview(db: Database, world: World) -> None:
    async with db.transaction(Scope.internal()) as s:
        lots: dict[str, Lot] = {}
        for name in OCCUPIED:
            lot = await s.get(Lot, world.ids[f"lot:{name}"])
            assert lot is not None
            lots[name] = lot
            lot.occupied = OCCUPIED[name]
        lots["A1b"].timezone = "America/New_York"

        def owned(name: str) -> dict[str, int]:
            lot = lots[name]
            return {"agent_id": lot.agent_id, "customer_id": lot.customer_id, "lot_id": lot.id}

        for i, (name, paid_at, channel, amount, refunded, status) in enumerate(PAYMENTS):
            s.add(
                PaymentOrder(
                    **owned(name),
                    out_trade_no=f"OV{i:04d}",
                    channel=channel,
                    purpose=PaymentPurpose.PARKING_EXIT,
                    status=status,
                    amount_fen=amount,
                    refunded_fen=refunded,
                    paid_at=paid_at,
                )
            )
        for i, (name, entry_at, exit_at) in enumerate(STAYS):
            stay = ParkingSession(
                **owned(name),
                plate=f"沪A{i:05d}",
                entry_at=entry_at,
                exit_at=exit_at,
                state=SessionState.EXITED if exit_at else SessionState.IN_LOT,
            )
            s.add(stay)
            await s.flush()
            if name == "A1a" and exit_at is None:
                # An inner-lot (内场) stay inside it: not a second entry into the lot.
                s.add(ParkingSession(**owned(name), plate=stay.plate, entry_at=utc(21, 1, 30), parent_id=stay.id))
        for i, (name, kind, alarm_status) in enumerate(ALARMS):
            s.add(Alarm(**owned(name), kind=kind, status=alarm_status, raised_at=utc(21, 1, i), message=f"alarm {i}"))
