"""Records of agents A and B for the read-only list tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from parking.alarms.models import Alarm, AlarmKind, AlarmStatus
from parking.common.database import Database
from parking.common.scope import Scope
from parking.devices.models import Device, DeviceKind, GateCommand, GateCommandKind, GateCommandStatus
from parking.faults.models import FaultTicket
from parking.invoices.models import Invoice
from parking.merchants.models import Coupon, CouponKind, Merchant
from parking.payments.models import OrderStatus, PaymentChannel, PaymentOrder, PaymentPurpose, Refund
from parking.sessions.enums import EventKind, ReleaseMethod, SessionState
from parking.sessions.models import LaneEvent, ParkingSession
from tests.factories import World

T0 = datetime(2030, 1, 1, 1, 0, tzinfo=UTC)


async def seed_records(db: Database, world: World) -> None:
    """Lot A1a: two sessions (one inside, one left), B1a: one; each lot gets one of every other record."""
    async with db.transaction(Scope.internal()) as s:
        lots = {name: world.ids[f"lot:{name}"] for name in ("A1a", "A1b", "B1a")}
        agents = {"A1a": world.ids["agent:A"], "A1b": world.ids["agent:A"], "B1a": world.ids["agent:B"]}
        customers = {"A1a": world.ids["customer:A1"], "A1b": world.ids["customer:A1"], "B1a": world.ids["customer:B1"]}

        def owned(lot: str) -> dict[str, int]:
            return {"agent_id": agents[lot], "customer_id": customers[lot], "lot_id": lots[lot]}

        for name in ("A1a", "A1b"):
            device = Device(**owned(name), kind=DeviceKind.CAMERA, name=f"cam {name}", serial=f"SN-{name}")
            s.add(device)
            await s.flush()
            world.ids[f"device:{name}"] = device.id
        inside = ParkingSession(**owned("A1a"), plate="京A11111", entry_at=T0)
        left = ParkingSession(
            **owned("A1a"),
            plate="京A22222",
            entry_at=T0 + timedelta(days=1),
            exit_at=T0 + timedelta(days=1, hours=2),
            state=SessionState.EXITED,
            release_method=ReleaseMethod.SOFTWARE,
        )
        other = ParkingSession(**owned("B1a"), plate="京B33333", entry_at=T0)
        s.add_all([inside, left, other])
        await s.flush()
        for name, kind, plate, at in (
            ("A1a", EventKind.ENTRY, "京A11111", T0),
            ("A1a", EventKind.EXIT, "京A22222", T0 + timedelta(days=1, hours=2)),
            ("B1a", EventKind.ENTRY, "京B33333", T0),
        ):
            s.add(
                LaneEvent(
                    **owned(name),
                    lane_id=world.ids[f"lane:{name}"],
                    kind=kind,
                    at=at,
                    received_at=at,
                    plate=plate,
                    dedup_key=f"{name}-{kind}-{plate}",
                )
            )
        for name in ("A1a", "B1a"):
            s.add(
                GateCommand(
                    **owned(name),
                    lane_id=world.ids[f"lane:{name}"],
                    kind=GateCommandKind.OPEN,
                    status=GateCommandStatus.DONE,
                    issued_at=T0,
                    expires_at=T0 + timedelta(seconds=30),
                )
            )
        s.add_all(
            [
                Alarm(**owned("A1a"), kind=AlarmKind.LOT_FULL, raised_at=T0, message="full"),
                Alarm(
                    **owned("A1a"), kind=AlarmKind.BLACKLIST, status=AlarmStatus.RESOLVED, raised_at=T0, message="bl"
                ),
                Alarm(**owned("B1a"), kind=AlarmKind.LOT_FULL, raised_at=T0, message="full"),
            ]
        )
        orders = {}
        for name, no, channel in (
            ("A1a", "A-1", PaymentChannel.WECHAT_JSAPI),
            ("A1a", "A-2", PaymentChannel.ALIPAY_QR),
            ("B1a", "B-1", PaymentChannel.WECHAT_JSAPI),
        ):
            orders[no] = PaymentOrder(
                **owned(name),
                out_trade_no=no,
                channel=channel,
                purpose=PaymentPurpose.PARKING_EXIT,
                status=OrderStatus.PAID,
                session_id=None,
                amount_fen=500,
                created_at=T0,
            )
        s.add_all(orders.values())
        await s.flush()
        for name, no in (("A1a", "A-1"), ("B1a", "B-1")):
            order_id = orders[no].id
            s.add(Refund(**owned(name), order_id=order_id, out_refund_no=f"R{no}", amount_fen=100, reason="x"))
            s.add(Invoice(**owned(name), order_id=order_id, amount_fen=500, title="公司"))
            merchant = Merchant(**owned(name), name=f"Shop {name}")
            s.add(merchant)
            await s.flush()
            s.add(
                Coupon(
                    **owned(name),
                    merchant_id=merchant.id,
                    code=f"C{no}",
                    kind=CouponKind.FULL,
                    value=0,
                    valid_until=T0 + timedelta(days=30),
                )
            )
            s.add(FaultTicket(**owned(name), title=f"camera {name}"))
