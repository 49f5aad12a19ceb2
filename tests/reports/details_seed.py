"""What the detail reports add to ``seed.seed_reports`` (times Shanghai local, lot A1a, exits at 'Out A1a'):

| stay | in           | out          | fee | paid           | release                     | coupon        |
| S3   | (seed)       | D1 08:00     |2500 | 2000 Alipay    | auto, 500 discount          | CP-S3, 300    |
| S7   | D1 11:00     | D1 12:00     | 800 |                | software, by 'cashier'      |               |
| S8   | D1 12:00     | D1 13:00     | 700 | 700 cash by 'cashier' at D1 12:59 | auto     |               |

and a desk renewal of 京A12345's monthly pass (30000 fen, cash, by 'cashier') at D1 15:00. 'cashier' is an
operator of customer A1 whose role holds cash.collect only.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from parking.accounts.auth import issue_token
from parking.accounts.models import Operator, Role
from parking.accounts.permissions import Perm
from parking.common.actor import Actor
from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.scope import Scope, ScopeLevel
from parking.merchants.models import Coupon, CouponKind, CouponSource, CouponStatus
from parking.payments.models import OrderStatus, PaymentChannel, PaymentOrder, PaymentPurpose
from parking.payments.renewals import renew_pass_paid
from parking.sessions.enums import ReleaseMethod, SessionState
from parking.sessions.models import ParkingSession
from parking.tenancy.models import Lot
from parking.vehicles import inputs, service
from tests.factories import PASSWORD_HASH, SECRET, World
from tests.reports.seed import Days


async def add_cashier(db: Database, world: World, username: str = "cashier", shown: str = "收费员小王") -> int:
    """An operator of customer A1 allowed cash.collect only (a booth cashier); its token in ``world.tokens``."""
    async with db.transaction(Scope.internal()) as s:
        role = Role(name=username, permissions=[Perm.CASH_COLLECT.value], scope_level=ScopeLevel.PLATFORM)
        s.add(role)
        await s.flush()
        cashier = Operator(
            scope_level=ScopeLevel.CUSTOMER,
            agent_id=world.ids["agent:A"],
            customer_id=world.ids["customer:A1"],
            username=username,
            display_name=shown,
            password_hash=PASSWORD_HASH,
            role_id=role.id,
        )
        s.add(cashier)
        await s.flush()
        world.ids[f"operator:{username}"] = cashier.id
        world.tokens[username] = issue_token(SECRET, cashier, utcnow(), 3600)
        return cashier.id


async def seed_details(db: Database, world: World, days: Days, lanes: dict[str, int]) -> dict[str, datetime]:
    """The rows above; the pass's end before and after the renewal."""
    cashier = await add_cashier(db, world)
    async with db.transaction(Scope.internal()) as s:
        lot = await s.get(Lot, world.ids["lot:A1a"])
        assert lot is not None
        owned = {"agent_id": lot.agent_id, "customer_id": lot.customer_id, "lot_id": lot.id}
        s3 = (await s.execute(select(ParkingSession).where(ParkingSession.plate == "沪AS3"))).scalar_one()
        s.add(
            Coupon(
                **owned,
                code="CP-S3",
                source=CouponSource.LOT,
                kind=CouponKind.AMOUNT,
                value=300,
                status=CouponStatus.REDEEMED,
                plate="沪AS3",
                valid_until=days.at(2, 0),
                session_id=s3.id,
                redeemed_at=days.at(1, 7, 45),
                discount_fen=300,
            )
        )
        common = {
            **owned,
            "entry_lane_id": lanes["in"],
            "exit_lane_id": lanes["out"],
            "state": SessionState.EXITED,
        }
        s.add(
            ParkingSession(
                **common,
                plate="沪AS7",
                entry_at=days.at(1, 11),
                exit_at=days.at(1, 12),
                fee_due_fen=800,
                release_method=ReleaseMethod.SOFTWARE,
                released_by_id=cashier,
                release_reason="车主忘带手机",
                updated_at=days.at(1, 12),
            )
        )
        s8 = ParkingSession(
            **common,
            plate="沪AS8",
            entry_at=days.at(1, 12),
            exit_at=days.at(1, 13),
            fee_due_fen=700,
            paid_fen=700,
            release_method=ReleaseMethod.AUTOMATIC,
            updated_at=days.at(1, 13),
        )
        s.add(s8)
        await s.flush()
        s.add(
            PaymentOrder(
                **owned,
                out_trade_no="RP8",
                channel=PaymentChannel.CASH,
                purpose=PaymentPurpose.PARKING_EXIT,
                status=OrderStatus.PAID,
                session_id=s8.id,
                amount_fen=700,
                paid_at=days.at(1, 12, 59),
                operator_id=cashier,
                updated_at=days.at(1, 12, 59),
            )
        )
        lot_id = str(lot.id)
        product = await service.create_product(
            s, Actor.system(), inputs.PassProductCreate(lot_id=lot_id, name="月卡", period="month", price_fen=30_000)
        )
        vehicle = await service.create_vehicle(s, Actor.system(), inputs.VehicleCreate(lot_id=lot_id, plate="京A12345"))
        pass_ = await service.create_pass(
            s,
            Actor.system(),
            inputs.PassCreate(product_id=str(product.id), vehicle_id=str(vehicle.id), starts_at=days.at(1, 0)),
        )
        before = pass_.ends_at
    desk = Actor(name="cashier", scope=Scope.internal(), operator_id=cashier)
    async with db.transaction(Scope.internal()) as s:
        renewed = await renew_pass_paid(
            s, desk, str(pass_.id), inputs.PassRenew(periods=1, method="cash"), now=days.at(1, 15)
        )
        after = renewed.ends_at
    assert after - before > timedelta(days=27)
    return {"before": before, "after": after}
