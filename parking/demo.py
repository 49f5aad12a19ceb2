"""A realistic demo data set: two agents, three customers, five lots, lanes, owners, passes, 30 days of traffic."""

from __future__ import annotations

import random
import secrets
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select

from hardware.cameras.configs import CameraDisplayConfig, VzenithCameraConfig
from hardware.gates.camera_io import CameraIoConfig
from hardware.registry import config_document
from parking.accounts.auth import hash_password
from parking.accounts.models import Operator, Role, operator_lots
from parking.accounts.permissions import ALL_PERMISSIONS, Perm
from parking.codes.inputs import ParkingCodeCreate
from parking.codes.service import create_code
from parking.common.actor import Actor
from parking.common.database import Database
from parking.common.scope import Scope, ScopeLevel
from parking.devices.models import Device, DeviceKind, DeviceStatus
from parking.invoices.models import LotInvoiceSettings
from parking.lanes.decisions import Reason
from parking.merchant_accounts.inputs import MerchantOperatorCreate
from parking.merchant_accounts.service import create_merchant_operator
from parking.merchants.issuing import coupon_of
from parking.merchants.models import (
    CodeKind,
    CouponKind,
    CouponSource,
    CouponStatus,
    CouponStock,
    CouponTemplate,
    LedgerKind,
    Merchant,
    MerchantLedgerEntry,
    StockSource,
)
from parking.payments.ids import new_out_trade_no
from parking.payments.models import OrderStatus, PaymentChannel, PaymentOrder, PaymentPurpose
from parking.plates import LETTERS, PlateColor
from parking.sessions.enums import EventKind, ReadingSource, ReleaseMethod, SessionState
from parking.sessions.models import LaneEvent, ParkingSession
from parking.tariffs import samples
from parking.tariffs.models import TariffVersion
from parking.tenancy.enums import LaneDirection, VehicleCategory, VehicleClass
from parking.tenancy.models import Agent, Area, Customer, Lane, Lot
from parking.vehicles.enums import PassPeriod
from parking.vehicles.models import Owner, Pass, PassProduct, Vehicle

DEMO_ADMIN_USERNAME = "admin"
DEMO_ADMIN_PASSWORD = "parkcloud-admin"

# The demo's names and lots live in demo_data.toml: fixture data, kept out of the code.
_DATA: dict[str, Any] = tomllib.loads(resources.files("parking").joinpath("demo_data.toml").read_text(encoding="utf-8"))
_SURNAMES: str = _DATA["surnames"]
_GIVEN: list[str] = _DATA["given_names"]
_NAMES: dict[str, str] = _DATA["names"]

# (agent, customer, lot name, city prefix, address, lat, lon, capacity, lanes in/out, inner lot capacity)
_LOTS = [
    (
        lot["agent"],
        lot["customer"],
        lot["name"],
        lot["province"],
        lot["address"],
        lot["latitude"],
        lot["longitude"],
        lot["capacity"],
        lot["lane_pairs"],
        lot["inner_capacity"],
    )
    for lot in _DATA["lots"]
]
_CITY_LETTERS: dict[str, str] = _DATA["city_letters"]


_DEMO_MODELS = {DeviceKind.CAMERA: "VZ-R5", DeviceKind.CONTROLLER: "PC-CTRL-2", DeviceKind.DISPLAY: "LED-P10-4L"}
# A device is named after its lane and what it is, in the dashboard's language (东门入口相机).
#: Simulated cameras call every 15 s (api.simulate); a minute of silence takes one offline.
DEMO_OFFLINE_AFTER_S = 60.0


def demo_device_config(
    kind: DeviceKind, serial: str, lane_id: int
) -> VzenithCameraConfig | CameraIoConfig | CameraDisplayConfig:
    """A valid config for each demo device, as a real lane has them: a Vzenith camera played by the simulator,
    the barrier on the camera's relay, the LED card on its RS485 port."""
    if kind is DeviceKind.CAMERA:
        # Simulated cameras get a secret derived from the platform key (parkcloud simulate).
        return VzenithCameraConfig(serial=serial, simulated=True, offline_after_s=DEMO_OFFLINE_AFTER_S)
    if kind is DeviceKind.CONTROLLER:
        return CameraIoConfig(lane_id=str(lane_id), offline_after_s=DEMO_OFFLINE_AFTER_S)
    return CameraDisplayConfig(offline_after_s=DEMO_OFFLINE_AFTER_S)


def random_plate(rng: random.Random, province: str) -> str:
    letter = rng.choice(_CITY_LETTERS.get(province, "A"))
    body = "".join(rng.choice(LETTERS + "0123456789" * 3) for _ in range(5))
    return f"{province}{letter}{body}"


async def load_demo(db: Database, *, only_if_empty: bool = True, seed: int = 2026, days: int = 30) -> bool:
    """Load the demo set in one transaction; return False when skipped because data exists."""
    rng = random.Random(seed)

    now = datetime.now(UTC).replace(microsecond=0)
    async with db.transaction(Scope.internal()) as session:
        if only_if_empty and (await session.scalar(select(func.count()).select_from(Agent))):
            return False
        await _add_admin(session)
        lots = await _add_lots(session, rng, now)
        lanes_by_lot = await _add_lanes(session, lots)
        await _add_devices(session, now)
        monthly_plates = await _add_monthly_vehicles(session, rng, lots, now)
        _add_tariffs(session, lots)
        await _load_traffic(session, rng, lots, lanes_by_lot, monthly_plates, now, days)
        await _add_seat_operator(session, lots)
        await _add_merchants(session, rng, lots[0][0], lots[0][1], now)
        _add_invoicing(session, lots[0][0])
    return True


# The seller of the demo's e-invoices: the fake Nuonuo's one account (fakes/nuonuo.py), so `make run` issues them.
DEMO_SELLER_TAX_NUMBER = "91330106MA2B1C3D4E"


def _add_invoicing(session: Any, lot: Lot) -> None:
    """The first lot issues e-invoices (docs/invoices.md), as the customer's company."""
    session.add(
        LotInvoiceSettings(
            agent_id=lot.agent_id,
            customer_id=lot.customer_id,
            lot_id=lot.id,
            seller_name=_NAMES["invoice_seller"],
            seller_tax_number=DEMO_SELLER_TAX_NUMBER,
            seller_address=lot.address,
            seller_phone="021-64000000",
            clerk=_NAMES["invoice_clerk"],
        )
    )


_DemoLot = tuple[Lot, str, int, int]


async def _add_admin(session: Any) -> None:
    admin_role = Role(
        name=_NAMES["admin_role"],
        description="拥有全部权限的平台管理员",
        permissions=sorted(ALL_PERMISSIONS),
        scope_level=ScopeLevel.PLATFORM,
    )
    session.add(admin_role)
    await session.flush()
    session.add(
        Operator(
            username=DEMO_ADMIN_USERNAME,
            display_name=_NAMES["admin_role"],
            password_hash=hash_password(DEMO_ADMIN_PASSWORD),
            role_id=admin_role.id,
            scope_level=ScopeLevel.PLATFORM,
        )
    )


async def _add_lots(session: Any, rng: random.Random, now: datetime) -> list[_DemoLot]:
    """The demo's agents, customers and lots, each lot with its plate province, lane pairs and inner spaces."""
    agents: dict[str, Agent] = {}
    customers: dict[str, Customer] = {}
    lots: list[_DemoLot] = []
    for agent_name, customer_name, lot_name, province, address, lat, lon, capacity, pairs, inner in _LOTS:
        if agent_name not in agents:
            agents[agent_name] = Agent(
                name=agent_name,
                contact_name=rng.choice(_SURNAMES) + _NAMES["agent_contact_title"],
                phone="4000358266",
            )
            session.add(agents[agent_name])
            await session.flush()
        agent = agents[agent_name]
        if customer_name not in customers:
            customers[customer_name] = Customer(agent_id=agent.id, name=customer_name, phone="021-64000000")
            session.add(customers[customer_name])
            await session.flush()
        customer = customers[customer_name]
        lot = Lot(
            agent_id=agent.id,
            customer_id=customer.id,
            name=lot_name,
            code="L" + secrets.token_hex(5).upper(),
            address=address,
            latitude=lat,
            longitude=lon,
            capacity=capacity,
            licence_until=(now + timedelta(days=365)).date(),
        )
        session.add(lot)
        await session.flush()
        lots.append((lot, province, pairs, inner))
    return lots


async def _add_lanes(session: Any, lots: list[_DemoLot]) -> dict[int, tuple[list[Lane], list[Lane]]]:
    """A ground area with entry/exit lane pairs per lot, and an inner area with its own gates where the lot has one."""
    lanes_by_lot: dict[int, tuple[list[Lane], list[Lane]]] = {}
    for lot, _province, pairs, inner in lots:
        tenant = {"agent_id": lot.agent_id, "customer_id": lot.customer_id, "lot_id": lot.id}
        area = Area(**tenant, name=_NAMES["ground_area"], capacity=lot.capacity - inner)
        session.add(area)
        await session.flush()
        entries: list[Lane] = []
        exits: list[Lane] = []
        for i in range(pairs):
            for direction, label in (
                (LaneDirection.ENTRY, _NAMES["lane_entry"]),
                (LaneDirection.EXIT, _NAMES["lane_exit"]),
            ):
                lane = Lane(
                    **tenant,
                    area_id=area.id,
                    name=_NAMES["lane"].format(number=i + 1, label=label),
                    direction=direction,
                    qr_token=secrets.token_urlsafe(24),
                )
                session.add(lane)
                (entries if direction is LaneDirection.ENTRY else exits).append(lane)
        if inner:
            inner_area = Area(**tenant, name=_NAMES["inner_area"], capacity=inner, is_inner=True)
            session.add(inner_area)
            await session.flush()
            for direction, label in (
                (LaneDirection.ENTRY, _NAMES["inner_entry"]),
                (LaneDirection.EXIT, _NAMES["inner_exit"]),
            ):
                session.add(
                    Lane(
                        **tenant,
                        area_id=inner_area.id,
                        name=label,
                        direction=direction,
                        qr_token=secrets.token_urlsafe(24),
                    )
                )
        await session.flush()
        lanes_by_lot[lot.id] = (entries, exits)
    return lanes_by_lot


async def _add_devices(session: Any, now: datetime) -> None:
    """Every lane gets a camera and a controller; exits also get an LED display."""
    all_lanes = list(await session.scalars(select(Lane).order_by(Lane.id)))
    for lane in all_lanes:
        tenant = {"agent_id": lane.agent_id, "customer_id": lane.customer_id, "lot_id": lane.lot_id}
        kinds = [DeviceKind.CAMERA, DeviceKind.CONTROLLER]
        if lane.direction is LaneDirection.EXIT:
            kinds.append(DeviceKind.DISPLAY)
        for kind in kinds:
            serial = f"{kind.value[:3].upper()}{lane.id:04d}{secrets.token_hex(3).upper()}"
            config = demo_device_config(kind, serial, lane.id)
            session.add(
                Device(
                    **tenant,
                    lane_id=lane.id,
                    kind=kind,
                    name=lane.name + _NAMES[f"device_{kind.value}"],
                    model=_DEMO_MODELS[kind],
                    serial=serial,
                    ip=f"192.168.{lane.lot_id}.{lane.id % 250 + 2}",
                    protocol=config.type,
                    config=config_document(config),
                    status=DeviceStatus.ONLINE,
                    last_seen_at=now,
                )
            )


async def _add_pass_products(session: Any, lots: list[_DemoLot]) -> dict[int, PassProduct]:
    """A monthly and an off-peak product per lot; the monthly one is returned by lot id."""
    products: dict[int, PassProduct] = {}
    for lot, _province, _pairs, _inner in lots:
        product = PassProduct(
            agent_id=lot.agent_id,
            customer_id=lot.customer_id,
            lot_id=lot.id,
            name=_NAMES["monthly_product"],
            category=VehicleCategory.MONTHLY,
            period=PassPeriod.MONTH,
            price_fen=30000,
        )
        session.add(product)
        session.add(
            PassProduct(
                agent_id=lot.agent_id,
                customer_id=lot.customer_id,
                lot_id=lot.id,
                name=_NAMES["off_peak_product"],
                category=VehicleCategory.OFF_PEAK,
                period=PassPeriod.MONTH,
                price_fen=15000,
                window_start=time(18, 0),
                window_end=time(8, 0),
            )
        )
        await session.flush()
        products[lot.id] = product
    return products


async def _add_monthly_vehicles(
    session: Any, rng: random.Random, lots: list[_DemoLot], now: datetime
) -> dict[int, set[str]]:
    """300 monthly vehicles spread over the lots, each with an owner and a pass; their plates by lot id."""
    products = await _add_pass_products(session, lots)
    monthly_plates: dict[int, set[str]] = {lot.id: set() for lot, *_ in lots}
    for i in range(300):
        lot, province, _pairs, _inner = lots[i % len(lots)]
        tenant = {"agent_id": lot.agent_id, "customer_id": lot.customer_id, "lot_id": lot.id}
        plate = random_plate(rng, province)
        while plate in monthly_plates[lot.id]:
            plate = random_plate(rng, province)
        monthly_plates[lot.id].add(plate)
        owner = Owner(
            **tenant,
            name=rng.choice(_SURNAMES) + rng.choice(_GIVEN),
            phone=f"13{rng.randrange(10**9):09d}",
        )
        session.add(owner)
        await session.flush()
        vehicle = Vehicle(**tenant, owner_id=owner.id, plate=plate, plate_color=PlateColor.BLUE)
        session.add(vehicle)
        await session.flush()
        start = now - timedelta(days=rng.randrange(0, 60))
        session.add(
            Pass(
                **tenant,
                product_id=products[lot.id].id,
                vehicle_id=vehicle.id,
                starts_at=start,
                ends_at=start + timedelta(days=30 * rng.choice((1, 3, 12))),
            )
        )
    await session.flush()
    return monthly_plates


def _add_tariffs(session: Any, lots: list[_DemoLot]) -> None:
    """Each lot prices small cars by one of the published sample tariffs, in turn, under a name a manager reads."""
    for index, (lot, *_rest) in enumerate(lots):
        key = list(samples.ALL)[index % len(samples.ALL)]
        sample = samples.ALL[key]()
        session.add(
            TariffVersion(
                agent_id=lot.agent_id,
                customer_id=lot.customer_id,
                lot_id=lot.id,
                vehicle_class=VehicleClass.SMALL,
                name=_DATA["tariff_titles"].get(key, sample.name),
                version=1,
                effective_from=sample.effective_from,
                document=sample.model_dump(mode="json"),
            )
        )


async def _add_seat_operator(session: Any, lots: list[_DemoLot]) -> None:
    """A lot-scoped demo operator shows tenant isolation at a glance."""
    seat_role = Role(
        name=_NAMES["seat_role"],
        description="云坐席值守, 远程开闸与告警处理",
        scope_level=ScopeLevel.AGENT,
        agent_id=lots[0][0].agent_id,
        permissions=sorted(
            p.value
            for p in (
                Perm.LOTS_VIEW,
                Perm.RECORDS_VIEW,
                Perm.ALARMS_VIEW,
                Perm.ALARMS_HANDLE,
                Perm.GATE_REMOTE_OPEN,
                Perm.SESSIONS_CORRECT,
                Perm.FEES_WAIVE,
                Perm.DEVICES_VIEW,
            )
        ),
    )
    session.add(seat_role)
    await session.flush()
    seat = Operator(
        username="seat01",
        display_name=_NAMES["seat_operator"],
        password_hash=hash_password("parkcloud-seat"),
        role_id=seat_role.id,
        scope_level=ScopeLevel.LOT,
        agent_id=lots[0][0].agent_id,
        customer_id=lots[0][0].customer_id,
    )
    session.add(seat)
    await session.flush()
    await session.execute(
        insert(operator_lots),
        [
            {"operator_id": seat.id, "lot_id": lots[0][0].id},
            {"operator_id": seat.id, "lot_id": lots[1][0].id},
        ],
    )


async def _load_traffic(
    session: Any,
    rng: random.Random,
    lots: list[_DemoLot],
    lanes_by_lot: dict[int, tuple[list[Lane], list[Lane]]],
    monthly_plates: dict[int, set[str]],
    now: datetime,
    days: int,
) -> None:
    """Sessions and their lane events for the last ``days`` days, inserted in bulk."""
    for lot, province, _pairs, _inner in lots:
        entries, exits = lanes_by_lot[lot.id]
        monthly = sorted(monthly_plates[lot.id])
        sessions: list[dict[str, Any]] = []
        payers: list[_DemoPayment] = []  # how each stay's driver paid (when there was a fee)
        inside_plates: set[str] = set()
        local_now = now.astimezone(ZoneInfo(lot.timezone))
        for entry_at, stay, is_monthly in _demo_stays(rng, local_now, days, lot.capacity, has_monthly=bool(monthly)):
            if entry_at >= now:
                continue
            exit_at = entry_at + stay
            plate = rng.choice(monthly) if is_monthly else random_plate(rng, province)
            fee = 0 if is_monthly or stay <= timedelta(minutes=15) else min(5000, 500 * (stay.seconds // 3600 + 1))
            paid_by = rng.choices(_DEMO_PAYMENTS, weights=[p.weight for p in _DEMO_PAYMENTS])[0]
            left = exit_at < now
            if not left and plate in inside_plates:
                continue  # one open stay per plate: the lane flow's rule, enforced by a unique index
            if not left:
                inside_plates.add(plate)
            payers.append(paid_by)
            sessions.append(
                {
                    "agent_id": lot.agent_id,
                    "customer_id": lot.customer_id,
                    "lot_id": lot.id,
                    "plate": plate,
                    "plate_color": PlateColor.BLUE,
                    "vehicle_class": VehicleClass.SMALL,
                    "category": VehicleCategory.MONTHLY if is_monthly else VehicleCategory.TEMPORARY,
                    "state": SessionState.EXITED if left else SessionState.IN_LOT,
                    "entry_at": entry_at,
                    "exit_at": exit_at if left else None,
                    "entry_lane_id": rng.choice(entries).id,
                    "exit_lane_id": rng.choice(exits).id if left else None,
                    "fee_due_fen": fee,
                    "paid_fen": fee if left else 0,
                    "release_method": (ReleaseMethod.AUTOMATIC if fee == 0 else paid_by.release) if left else None,
                    "created_at": entry_at,
                    "updated_at": exit_at if left else entry_at,
                }
            )
        result = await session.execute(insert(ParkingSession).returning(ParkingSession.id), sessions)
        ids = list(result.scalars())
        events: list[dict[str, Any]] = []
        for session_id, row in zip(ids, sessions, strict=True):
            tenant = {"agent_id": lot.agent_id, "customer_id": lot.customer_id, "lot_id": lot.id}
            common = {
                **tenant,
                "session_id": session_id,
                "plate": row["plate"],
                "plate_color": PlateColor.BLUE,
                "confidence": round(rng.uniform(0.86, 0.99), 3),
                "source": ReadingSource.CAMERA,
                "opened": True,
            }
            events.append(
                {
                    **common,
                    "lane_id": row["entry_lane_id"],
                    "kind": EventKind.ENTRY,
                    "at": row["entry_at"],
                    "received_at": row["entry_at"],
                    "dedup_key": f"demo:{session_id}:in",
                    "decision_reason": (
                        Reason.WELCOME if row["category"] is VehicleCategory.TEMPORARY else Reason.PASS_HOLDER
                    ),
                }
            )
            if row["exit_at"] is not None:
                events.append(
                    {
                        **common,
                        "lane_id": row["exit_lane_id"],
                        "kind": EventKind.EXIT,
                        "at": row["exit_at"],
                        "received_at": row["exit_at"],
                        "dedup_key": f"demo:{session_id}:out",
                        "decision_reason": Reason.PAID if row["fee_due_fen"] else Reason.NOTHING_DUE,
                    }
                )
        await session.execute(insert(LaneEvent), events)
        await _add_payments(session, rng, lot, ids, sessions, payers)
        inside = sum(1 for row in sessions if row["exit_at"] is None)
        lot.occupied = inside


def _demo_stays(
    rng: random.Random, local_now: datetime, days: int, capacity: int, *, has_monthly: bool
) -> Iterator[tuple[datetime, timedelta, bool]]:
    """(entry, stay, monthly?) of a lot's cars over the lot's last ``days`` days and today, oldest day first.

    Visitors come between 06:00 and 22:00 local time for a couple of hours; a few monthly residents come in the
    evening and leave the next morning. So a demo loaded at any hour, 3 a.m. included, has the cars that would be
    inside at that hour. Entries after now are the caller's to drop.
    """
    for day in range(days, -1, -1):
        day_start = (local_now - timedelta(days=day)).replace(hour=0, minute=0, second=0, microsecond=0)
        for _ in range(capacity // 3 + rng.randrange(20)):
            entry = day_start + timedelta(minutes=rng.triangular(6 * 60, 22 * 60, 12 * 60))
            yield (
                entry.astimezone(UTC),
                timedelta(minutes=int(rng.expovariate(1 / 150)) + 2),
                has_monthly and (rng.random() < 0.25),
            )
        if has_monthly:
            for _ in range(max(1, capacity // 40)):
                entry = day_start + timedelta(minutes=rng.uniform(18 * 60, 23 * 60))
                leave = day_start + timedelta(days=1, minutes=rng.uniform(7 * 60, 9 * 60))
                yield entry.astimezone(UTC), leave - entry, True


@dataclass(frozen=True)
class _DemoPayment:
    """How a simulated driver paid: the channel, what the order was for, and the release that payment leads to
    (as parking.payments.settle.release_method decides it for a real order)."""

    channel: PaymentChannel
    purpose: PaymentPurpose
    release: ReleaseMethod
    weight: int
    fee_per_mille: int  # the channel's fee (微信/支付宝 0.6%; cash none)


_DEMO_PAYMENTS = (
    _DemoPayment(PaymentChannel.WECHAT_JSAPI, PaymentPurpose.PARKING_EXIT, ReleaseMethod.EXIT_SCAN, 30, 6),
    _DemoPayment(PaymentChannel.ALIPAY_QR, PaymentPurpose.PARKING_EXIT, ReleaseMethod.EXIT_SCAN, 20, 6),
    _DemoPayment(PaymentChannel.WECHAT_PARKING, PaymentPurpose.PARKING_EXIT, ReleaseMethod.FRICTIONLESS, 20, 6),
    _DemoPayment(PaymentChannel.ALIPAY_MINI, PaymentPurpose.PARKING_PREPAY, ReleaseMethod.PREPAID, 10, 6),
    _DemoPayment(PaymentChannel.WECHAT_JSAPI, PaymentPurpose.PARKING_PREPAY, ReleaseMethod.PREPAID, 10, 6),
    _DemoPayment(PaymentChannel.CASH, PaymentPurpose.PARKING_EXIT, ReleaseMethod.SOFTWARE, 10, 0),
)


async def _add_payments(
    session: Any,
    rng: random.Random,
    lot: Lot,
    ids: list[int],
    sessions: list[dict[str, Any]],
    payers: list[_DemoPayment],
) -> None:
    """A paid order for each paid stay that left, by the channel its release method implies, in one insert:
    the overview's revenue by day and channel then matches the traffic."""
    orders: list[dict[str, Any]] = []
    for session_id, row, paid_by in zip(ids, sessions, payers, strict=True):
        fee = row["paid_fen"]
        if not fee or row["exit_at"] is None:
            continue
        exit_at: datetime = row["exit_at"]
        # Exit scans pay at the gate; prepaid stays paid a while before leaving (within the grace period).
        before = timedelta(minutes=rng.randrange(2, 14)) if paid_by.release is ReleaseMethod.PREPAID else timedelta()
        paid_at = max(row["entry_at"], exit_at - before - timedelta(seconds=rng.randrange(5, 40)))
        orders.append(
            {
                "agent_id": lot.agent_id,
                "customer_id": lot.customer_id,
                "lot_id": lot.id,
                "out_trade_no": new_out_trade_no(paid_at, prefix="D"),
                "channel": paid_by.channel,
                "purpose": paid_by.purpose,
                "status": OrderStatus.PAID,
                "session_id": session_id,
                "plate": row["plate"],
                "payer_key": "" if paid_by.channel is PaymentChannel.CASH else f"demo-{secrets.token_hex(8)}",
                "amount_fen": fee,
                "channel_fee_fen": fee * paid_by.fee_per_mille // 1000,
                "channel_trade_no": "" if paid_by.channel is PaymentChannel.CASH else secrets.token_hex(14),
                "paid_at": paid_at,
                "created_at": paid_at - timedelta(seconds=5),
                "updated_at": paid_at,
            }
        )
    if orders:
        await session.execute(insert(PaymentOrder), orders)


DEMO_MERCHANT_USERNAME = "shop01"
DEMO_MERCHANT_PASSWORD = "parkcloud-shop"


async def _add_merchants(session: Any, rng: random.Random, lot: Lot, province: str, now: datetime) -> None:
    """The first lot's merchants with their templates and stock, coupons given to cars inside now (and a few that
    ran out unused), each merchant's standing QR code, and a merchant operator for the first merchant."""
    tenant = {"agent_id": lot.agent_id, "customer_id": lot.customer_id, "lot_id": lot.id}
    inside = list(
        await session.scalars(
            select(ParkingSession.plate)
            .where(ParkingSession.lot_id == lot.id, ParkingSession.state == SessionState.IN_LOT)
            .order_by(ParkingSession.id)
        )
    )
    system = Actor.system("demo")
    merchants: list[Merchant] = []
    for spec in _DATA["merchants"]:
        merchant = Merchant(**tenant, name=spec["name"], contact_name=spec["contact"], balance_fen=100_000)
        session.add(merchant)
        await session.flush()
        merchants.append(merchant)
        session.add(
            MerchantLedgerEntry(
                **tenant, merchant_id=merchant.id, kind=LedgerKind.TOP_UP, amount_fen=100_000, balance_after_fen=100_000
            )
        )
        for name, kind, value, price_fen, quantity in spec["templates"]:
            template = CouponTemplate(**tenant, name=name, kind=CouponKind(kind), value=value, price_fen=price_fen)
            session.add(template)
            await session.flush()
            stock = CouponStock(
                **tenant,
                merchant_id=merchant.id,
                template_id=template.id,
                source=StockSource.CREDIT,
                quantity=quantity,
                remaining=quantity,
            )
            session.add(stock)
            await session.flush()
            # A few of the cars inside got this coupon today; a few others got one that ran out unused.
            given = rng.sample(inside, min(len(inside), 3))
            for plate in given:
                coupon = coupon_of(
                    template,
                    merchant_id=merchant.id,
                    plate=plate,
                    source=CouponSource.MERCHANT,
                    now=now,
                    stock_id=stock.id,
                )
                session.add(coupon)
            expired = coupon_of(
                template,
                merchant_id=merchant.id,
                plate=random_plate(rng, province),
                source=CouponSource.MERCHANT,
                now=now - timedelta(days=3),
                stock_id=stock.id,
            )
            expired.status = CouponStatus.EXPIRED
            session.add(expired)
            stock.remaining -= len(given) + 1
        await session.flush()
        template_id = await session.scalar(
            select(CouponTemplate.id).where(CouponTemplate.lot_id == lot.id).order_by(CouponTemplate.id.desc())
        )
        code = ParkingCodeCreate(
            lot_id=str(lot.id),
            kind=CodeKind.MERCHANT,
            merchant_id=str(merchant.id),
            template_id=str(template_id),
            label=spec["name"],
            per_plate_per_day=1,
        )
        await create_code(session, system, code, now)
    login = MerchantOperatorCreate(
        merchant_id=str(merchants[0].id), username=DEMO_MERCHANT_USERNAME, password=DEMO_MERCHANT_PASSWORD
    )
    await create_merchant_operator(session, system, login)
