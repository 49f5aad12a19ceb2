"""A lot with every list the dashboard shows, grown a few rows at a time, so a query in a loop shows as a count
that moves with the number of rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert

from parking.accounts.auth import issue_token
from parking.accounts.models import Operator, Role, operator_lots
from parking.accounts.permissions import ALL_PERMISSIONS
from parking.alarms.models import Alarm, AlarmKind, AlarmStatus
from parking.common.audit import AuditEntry
from parking.common.database import Database
from parking.common.scope import Scope, ScopeLevel
from parking.devices.models import Device, DeviceCommand, DeviceCommandKind, DeviceKind, DeviceRefusal
from parking.invoices.models import Invoice
from parking.merchants.models import CouponKind, CouponStock, CouponTemplate, Merchant, StockSource
from parking.payments.models import OrderStatus, PaymentChannel, PaymentOrder, PaymentPurpose, Refund
from parking.payments.statements import produce_statements
from parking.tariffs.document import VehicleClass
from parking.tariffs.models import TariffVersion
from parking.tenancy.enums import LaneDirection, VehicleCategory
from parking.tenancy.models import Agent, Area, Customer, Lane, Lot
from parking.vehicles.enums import PassPeriod
from parking.vehicles.models import Owner, Pass, PassProduct, PassRenewal, Vehicle, VehicleGroup, Wallet
from tests.factories import PASSWORD_HASH, SECRET
from tests.lanes.site import T0, Site, build_site, flat_tariff

# The seeded stays' day: over in every time zone by the time a test runs, so it can be settled.
DAY = T0.date()


@dataclass
class Seeded:
    """The lot and the tokens the operations are sent with."""

    site: Site
    tokens: dict[str, str]

    def id(self, name: str) -> str:
        return str(self.site.ids[name])


async def seed_lot(db: Database) -> Seeded:
    """The lane flow's site (lanes with cameras, an inner lot, a tariff) and two operators with every permission:
    one over the whole platform, one over the site's customer (a cloud seat's usual scope)."""
    site = await build_site(db)
    now = datetime.now(UTC)
    async with db.transaction(Scope.internal()) as s:
        role = Role(name="counts", permissions=sorted(ALL_PERMISSIONS), scope_level=ScopeLevel.PLATFORM)
        s.add(role)
        await s.flush()
        site.ids["role"] = role.id
        platform = Operator(
            username="counts-platform", password_hash=PASSWORD_HASH, role_id=role.id, scope_level=ScopeLevel.PLATFORM
        )
        customer = Operator(
            username="counts-customer",
            password_hash=PASSWORD_HASH,
            role_id=role.id,
            scope_level=ScopeLevel.CUSTOMER,
            agent_id=site.ids["agent"],
            customer_id=site.ids["customer"],
        )
        s.add_all([platform, customer])
        await s.flush()
        site.ids["operator:customer"] = customer.id
        # A merchant with a pack of coupons, for the coupon issue: at a lot of its own, since a lot with coupons
        # costs its lane decisions a query more (the plate's coupons).
        tenant = {"agent_id": site.ids["agent"], "customer_id": site.ids["customer"]}
        shops = Lot(**tenant, name="Counts shops", code="QCSHOP", capacity=10)
        s.add(shops)
        await s.flush()
        owned = {**tenant, "lot_id": shops.id}
        merchant = Merchant(**owned, name="counts merchant")
        template = CouponTemplate(**owned, name="counts", kind=CouponKind.AMOUNT, value=500, price_fen=300)
        s.add_all([merchant, template])
        await s.flush()
        s.add(
            CouponStock(
                **owned,
                merchant_id=merchant.id,
                template_id=template.id,
                source=StockSource.CREDIT,
                quantity=100,
                remaining=100,
            )
        )
        site.ids["merchant"], site.ids["template"] = merchant.id, template.id
        tokens = {
            "platform": issue_token(SECRET, platform, now, 3600),
            "customer": issue_token(SECRET, customer, now, 3600),
        }
    return Seeded(site, tokens)


async def add_rows(seeded: Seeded, start: int, stop: int) -> None:
    """Rows ``start`` to ``stop - 1`` of every list: each list then holds (at least) ``stop`` rows of its own."""
    site = seeded.site
    for i in range(start, stop):
        await _tenancy_and_people(site, i)
        # Stays, lane events and gate commands come from the lane flow itself: one car inside, one gone.
        inside = await site.read("in", f"京Q{i:04d}A", T0 + timedelta(minutes=i))
        assert inside.session_id is not None
        site.ids[f"stay:{i}"] = inside.session_id
        await site.read("in", f"京Q{i:04d}B", T0 + timedelta(minutes=i))
        await site.read("out", f"京Q{i:04d}B", T0 + timedelta(minutes=i + 5))
        await _money_and_alarms(site, i)
    # Each new lot's day of payments is settled, so the statements list grows with the rest.
    await produce_statements(site.db, DAY, datetime.now(UTC), [site.ids[f"lot:{i}"] for i in range(start, stop)])


async def _tenancy_and_people(site: Site, i: int) -> None:
    async with site.db.transaction(Scope.internal()) as s:
        tenant = {"agent_id": site.ids["agent"], "customer_id": site.ids["customer"]}
        agent = Agent(name=f"Counts agent {i}")
        s.add(agent)
        await s.flush()
        s.add(Customer(agent_id=agent.id, name=f"Counts customer {i}"))
        lot = Lot(**tenant, name=f"Counts lot {i}", code=f"QC{i}", capacity=50)
        s.add(lot)
        await s.flush()
        site.ids[f"lot:{i}"] = lot.id
        s.add(
            TariffVersion(
                **tenant,
                lot_id=lot.id,
                vehicle_class=VehicleClass.SMALL,
                name="flat",
                version=1,
                effective_from=datetime(2026, 1, 1, tzinfo=UTC),
                document=flat_tariff().model_dump(mode="json"),
            )
        )
        owned = {**tenant, "lot_id": site.lot_id}
        area = Area(**owned, name=f"区{i}", capacity=5, parent_id=site.ids["inner"])
        s.add(area)
        await s.flush()
        # An exit no car has used yet: a remote open there is priced the same for every row.
        lane = Lane(**owned, area_id=area.id, name=f"lane {i}", direction=LaneDirection.EXIT, qr_token=f"qr-qc-{i}")
        s.add(lane)
        await s.flush()
        site.ids[f"lane:{i}"] = lane.id
        device = Device(**owned, lane_id=lane.id, kind=DeviceKind.CAMERA, name=f"cam {i}", serial=f"QC-{i}")
        s.add(device)
        await s.flush()
        s.add(
            DeviceCommand(
                **owned,
                device_id=device.id,
                kind=DeviceCommandKind.REBOOT,
                issued_at=T0,
                expires_at=T0 + timedelta(minutes=5),
            )
        )
        s.add(DeviceRefusal(at=T0, protocol="vzenith", serial=f"NOPE-{i}", reason="unknown_device"))

        group = VehicleGroup(**owned, name=f"group {i}", spaces=2)
        owner = Owner(**owned, name=f"车主{i}", phone=f"1380000{i:04d}")
        product = PassProduct(
            **owned, name=f"月卡{i}", category=VehicleCategory.MONTHLY, period=PassPeriod.MONTH, price_fen=30000
        )
        s.add_all([group, owner, product])
        await s.flush()
        s.add(Wallet(**owned, owner_id=owner.id, balance_fen=1000))
        vehicle = Vehicle(**owned, plate=f"京V{i:04d}A", owner_id=owner.id, group_id=group.id)
        s.add(vehicle)
        await s.flush()
        monthly = Pass(
            **owned, product_id=product.id, vehicle_id=vehicle.id, starts_at=T0, ends_at=T0 + timedelta(days=30)
        )
        s.add(monthly)
        await s.flush()
        s.add(
            PassRenewal(
                **owned,
                pass_id=monthly.id,
                at=T0,
                periods=1,
                amount_fen=30000,
                method="cash",
                previous_ends_at=T0,
                new_ends_at=T0 + timedelta(days=30),
            )
        )

        operator = Operator(
            username=f"counts-lot-{i}",
            password_hash=PASSWORD_HASH,
            role_id=site.ids["role"],
            scope_level=ScopeLevel.LOT,
            agent_id=site.ids["agent"],
            customer_id=site.ids["customer"],
        )
        s.add_all([operator, Role(name=f"role {i}", permissions=[], scope_level=ScopeLevel.LOT, **tenant)])
        await s.flush()
        await s.execute(insert(operator_lots), [{"operator_id": operator.id, "lot_id": site.lot_id}])
        s.add(AuditEntry(**owned, at=T0, actor_name="counts", action="lot.update", entity="lot", entity_id=lot.id))


async def _money_and_alarms(site: Site, i: int) -> None:
    async with site.db.transaction(Scope.internal()) as s:
        tenant = {"agent_id": site.ids["agent"], "customer_id": site.ids["customer"]}
        paid = {**tenant, "lot_id": site.ids[f"lot:{i}"]}
        order = PaymentOrder(
            **paid,
            out_trade_no=f"QC{i:04d}",
            channel=PaymentChannel.WECHAT_JSAPI if i % 2 else PaymentChannel.ALIPAY_QR,
            purpose=PaymentPurpose.PARKING_EXIT,
            status=OrderStatus.PAID,
            plate=f"京Q{i:04d}A",
            amount_fen=600,
            created_at=T0 + timedelta(minutes=i),
            paid_at=T0 + timedelta(minutes=i),
        )
        s.add(order)
        await s.flush()
        site.ids[f"order:{i}"] = order.id
        s.add(Refund(**paid, order_id=order.id, out_refund_no=f"RQC{i:04d}", amount_fen=100, reason="counts"))
        s.add(Invoice(**paid, order_id=order.id, amount_fen=600, title="公司"))
        owned = {**tenant, "lot_id": site.lot_id}
        alarm = Alarm(**owned, kind=AlarmKind.LOT_FULL, raised_at=T0 + timedelta(minutes=i), message="full")
        s.add_all(
            [
                alarm,
                Alarm(
                    **owned,
                    kind=AlarmKind.BLACKLIST,
                    status=AlarmStatus.ACKNOWLEDGED,
                    raised_at=T0 + timedelta(minutes=i),
                    message="blacklisted",
                ),
            ]
        )
        await s.flush()
        site.ids[f"alarm:{i}"] = alarm.id
