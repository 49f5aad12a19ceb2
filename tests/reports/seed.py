"""A small hand-counted data set for the reports: lot A1a (Asia/Shanghai), its entry lane and an exit lane, over
three local days D0, D1 and D2 ("today", read at 10:00). Times below are Shanghai local.

| stay | category / class | in            | out           | fee   | paid                     | release |
| S1   | temporary small  | D0 08:00 In   | D0 10:00 Out  | 1000  | 1000 WeChat at D0 09:55  | auto    |
| S2   | monthly small    | D0 09:00 In   | D0 18:30 Out  | 0     |                          | auto    |
| S3   | temporary large  | D0 20:00 In   | D1 08:00 Out  | 2500  | 2000 Alipay at D1 07:50, | auto    |
|      |                  |               |               |       | 500 discount             |         |
| S4   | temporary small  | D1 09:00 In   | D1 09:30 Out  | 500   |                          | free    |
| S5   | temporary small  | D2 08:00 In   | (inside)      |       |                          |         |

Plus a pass renewal paid 20000 in cash at D1 10:00 (no stay), an inner-lot stay in S5 (not an entry into the
lot), and lot B1a's stay on D0 (another customer's, never counted for customer A1).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from parking.common.database import Database
from parking.common.scope import Scope
from parking.payments.models import OrderStatus, PaymentChannel, PaymentOrder, PaymentPurpose, Refund, RefundStatus
from parking.sessions.enums import ReleaseMethod, SessionState
from parking.sessions.models import ParkingSession
from parking.tenancy.enums import LaneDirection, VehicleCategory, VehicleClass
from parking.tenancy.models import Lane, Lot
from tests.factories import World

SHANGHAI = ZoneInfo("Asia/Shanghai")


class Days:
    """Local days D0..D2 of the seed and the instants on them."""

    def __init__(self, d0: date) -> None:
        self.d0 = d0

    def day(self, n: int) -> date:
        return self.d0 + timedelta(days=n)

    def at(self, n: int, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(self.day(n), time(hour, minute), SHANGHAI).astimezone(UTC)

    @property
    def now(self) -> datetime:
        return self.at(2, 10)


def _owned(lot: Lot) -> dict[str, int]:
    return {"agent_id": lot.agent_id, "customer_id": lot.customer_id, "lot_id": lot.id}


async def seed_reports(db: Database, world: World, days: Days) -> dict[str, int]:
    """The rows above; the ids of the lanes and of S3's Alipay order, by name. Rows are stamped as written on D0
    to D2 (their ``updated_at``), as the lane flow would have."""
    ids: dict[str, int] = {}
    async with db.transaction(Scope.internal()) as s:
        lot = await s.get(Lot, world.ids["lot:A1a"])
        other = await s.get(Lot, world.ids["lot:B1a"])
        assert lot is not None
        assert other is not None
        out = Lane(**_owned(lot), name="Out A1a", direction=LaneDirection.EXIT, qr_token="qr-out-A1a")
        s.add(out)
        await s.flush()
        lane_in, lane_out = world.ids["lane:A1a"], out.id
        ids["in"], ids["out"] = lane_in, lane_out

        def stay(name: str, category: VehicleCategory, vclass: VehicleClass, entry: datetime, **rest: Any) -> None:
            exit_at = rest.pop("exit_at", None)
            entry_lane, exit_lane = rest.pop("lanes", (lane_in, lane_out))
            row = ParkingSession(
                **_owned(rest.pop("lot", lot)),
                plate=f"沪A{name}",
                category=category,
                vehicle_class=vclass,
                entry_at=entry,
                entry_lane_id=entry_lane,
                exit_at=exit_at,
                exit_lane_id=exit_lane if exit_at else None,
                state=SessionState.EXITED if exit_at else SessionState.IN_LOT,
                updated_at=exit_at or entry,
                **rest,
            )
            s.add(row)
            stays[name] = row

        stays: dict[str, ParkingSession] = {}
        temporary, monthly = VehicleCategory.TEMPORARY, VehicleCategory.MONTHLY
        small, large = VehicleClass.SMALL, VehicleClass.LARGE
        auto = ReleaseMethod.AUTOMATIC
        stay(
            "S1",
            temporary,
            small,
            days.at(0, 8),
            exit_at=days.at(0, 10),
            fee_due_fen=1000,
            paid_fen=1000,
            release_method=auto,
        )
        stay("S2", monthly, small, days.at(0, 9), exit_at=days.at(0, 18, 30), release_method=auto)
        stay(
            "S3",
            temporary,
            large,
            days.at(0, 20),
            exit_at=days.at(1, 8),
            fee_due_fen=2500,
            paid_fen=2000,
            discount_fen=500,
            release_method=auto,
        )
        stay(
            "S4",
            temporary,
            small,
            days.at(1, 9),
            exit_at=days.at(1, 9, 30),
            fee_due_fen=500,
            release_method=ReleaseMethod.FREE,
        )
        stay("S5", temporary, small, days.at(2, 8))
        stay("B1", temporary, small, days.at(0, 12), exit_at=days.at(0, 13), lot=other, lanes=(None, None))
        await s.flush()
        s.add(
            ParkingSession(
                **_owned(lot),
                plate="沪AS5",
                entry_at=days.at(2, 8, 10),
                parent_id=stays["S5"].id,
                updated_at=days.at(2, 8, 10),
            )
        )

        def order(
            name: str,
            channel: PaymentChannel,
            purpose: PaymentPurpose,
            amount: int,
            paid_at: datetime,
            session: str | None,
        ) -> PaymentOrder:
            row = PaymentOrder(
                **_owned(lot),
                out_trade_no=f"RP{name}",
                channel=channel,
                purpose=purpose,
                status=OrderStatus.PAID,
                session_id=stays[session].id if session else None,
                amount_fen=amount,
                paid_at=paid_at,
                updated_at=paid_at,
            )
            s.add(row)
            return row

        order("1", PaymentChannel.WECHAT_JSAPI, PaymentPurpose.PARKING_EXIT, 1000, days.at(0, 9, 55), "S1")
        alipay = order("3", PaymentChannel.ALIPAY_QR, PaymentPurpose.PARKING_EXIT, 2000, days.at(1, 7, 50), "S3")
        order("R", PaymentChannel.CASH, PaymentPurpose.PASS_RENEWAL, 20000, days.at(1, 10), None)
        await s.flush()
        ids["alipay"] = alipay.id
    return ids


async def late_replay(db: Database, world: World, days: Days, lanes: dict[str, int], written: datetime) -> None:
    """The edge agent's offline replay, written on D2: a stay of D0 12:00-13:00 paid 600 in cash at the exit."""
    async with db.transaction(Scope.internal()) as s:
        lot = await s.get(Lot, world.ids["lot:A1a"])
        assert lot is not None
        row = ParkingSession(
            **_owned(lot),
            plate="沪AS6",
            entry_at=days.at(0, 12),
            entry_lane_id=lanes["in"],
            exit_at=days.at(0, 13),
            exit_lane_id=lanes["out"],
            state=SessionState.EXITED,
            fee_due_fen=600,
            paid_fen=600,
            release_method=ReleaseMethod.AUTOMATIC,
            updated_at=written,
        )
        s.add(row)
        await s.flush()
        s.add(
            PaymentOrder(
                **_owned(lot),
                out_trade_no="RP6",
                channel=PaymentChannel.CASH,
                purpose=PaymentPurpose.PARKING_EXIT,
                status=OrderStatus.PAID,
                session_id=row.id,
                amount_fen=600,
                paid_at=days.at(0, 12, 58),
                updated_at=written,
            )
        )


async def refund(db: Database, order_id: int, amount: int, completed_at: datetime, written: datetime) -> None:
    """A refund of ``amount`` of the order, completed at ``completed_at``, learnt (written) at ``written``."""
    async with db.transaction(Scope.internal()) as s:
        order = await s.get(PaymentOrder, order_id)
        assert order is not None
        order.refunded_fen += amount
        order.status = OrderStatus.PARTLY_REFUNDED
        order.updated_at = written
        s.add(
            Refund(
                agent_id=order.agent_id,
                customer_id=order.customer_id,
                lot_id=order.lot_id,
                order_id=order.id,
                out_refund_no=f"RF{order.id}-{amount}",
                amount_fen=amount,
                reason="late",
                status=RefundStatus.SUCCEEDED,
                completed_at=completed_at,
                created_at=written,
                updated_at=written,
            )
        )
