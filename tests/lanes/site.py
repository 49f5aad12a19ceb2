"""A lot wired for the lane flow: entry and exit lanes with cameras, an inner lot, a tariff, passes on demand."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import func, select, update

from parking.alarms.models import Alarm, AlarmKind
from parking.common.database import Database
from parking.common.scope import Scope
from parking.devices.auth import hash_secret
from parking.devices.models import Device, DeviceKind
from parking.lanes.flow import LaneInput, Outcome, handle_reading
from parking.plates import PlateColor
from parking.sessions.enums import SessionState
from parking.sessions.models import ParkingSession
from parking.tariffs.document import ClassTariff, FreeTime, Period, Tariff, TimedRule, VehicleClass
from parking.tariffs.models import TariffVersion
from parking.tenancy.enums import DuplicateEntryPolicy, LaneDirection, LaneMode, VehicleCategory
from parking.tenancy.models import Agent, Area, Customer, Lane, Lot
from parking.vehicles.enums import PassPeriod
from parking.vehicles.models import ListEntry, Pass, PassProduct, Vehicle, VehicleGroup

T0 = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai, a Monday
_keys = itertools.count()


def flat_tariff() -> Tariff:
    """2 元 per started 30 min all day; the first 15 min free, but a longer stay pays from the start."""
    rule = TimedRule(
        free=FreeTime(minutes=15, mode="charge_from_start"),
        periods=[Period(name="全天", start=time(0), end=time(0), unit_minutes=30, unit_price_fen=200)],
    )
    return Tariff(
        name="flat",
        effective_from=datetime(2026, 1, 1, tzinfo=UTC),
        classes={VehicleClass.SMALL: ClassTariff(rule=rule)},
    )


@dataclass
class Site:
    db: Database
    ids: dict[str, int] = field(default_factory=dict)
    secrets: dict[str, str] = field(default_factory=dict)

    @property
    def lot_id(self) -> int:
        return self.ids["lot"]

    async def read(
        self,
        lane: str,
        plate: str,
        at: datetime,
        *,
        confidence: float = 0.95,
        key: str | None = None,
        offline: bool = False,
        driver_key: str | None = None,
        color: PlateColor = PlateColor.BLUE,
    ) -> Outcome:
        return await handle_reading(
            self.db,
            LaneInput(
                lane_id=self.ids[lane],
                plate=plate,
                color=color,
                confidence=confidence,
                at=at,
                dedup_key=key or f"test:{next(_keys)}",
                is_offline=offline,
                driver_key=driver_key,
            ),
            now=at,
        )

    async def open_sessions(self, plate: str | None = None) -> list[ParkingSession]:
        async with self.db.session(Scope.internal()) as s:
            stmt = select(ParkingSession).where(
                ParkingSession.lot_id == self.lot_id,
                ParkingSession.state == SessionState.IN_LOT,
                ParkingSession.parent_id.is_(None),
            )
            if plate is not None:
                stmt = stmt.where(ParkingSession.plate == plate)
            return list(await s.scalars(stmt))

    async def session(self, session_id: int) -> ParkingSession:
        async with self.db.session(Scope.internal()) as s:
            row = await s.get(ParkingSession, session_id)
            assert row is not None
            return row

    async def alarms(self, kind: AlarmKind | None = None) -> list[Alarm]:
        async with self.db.session(Scope.internal()) as s:
            stmt = select(Alarm).where(Alarm.lot_id == self.lot_id).order_by(Alarm.id)
            if kind is not None:
                stmt = stmt.where(Alarm.kind == kind)
            return list(await s.scalars(stmt))

    async def all_sessions(self) -> list[ParkingSession]:
        async with self.db.session(Scope.internal()) as s:
            stmt = select(ParkingSession).where(ParkingSession.lot_id == self.lot_id).order_by(ParkingSession.id)
            return list(await s.scalars(stmt))

    async def update_session(self, session_id: int, **values: object) -> None:
        """Set columns directly (a payment credited elsewhere, e.g. in-lot prepayment)."""
        async with self.db.transaction(Scope.internal()) as s:
            await s.execute(update(ParkingSession).where(ParkingSession.id == session_id).values(**values))

    async def area_occupied(self, name: str) -> int:
        async with self.db.session(Scope.internal()) as s:
            area = await s.get(Area, self.ids[name])
            assert area is not None
            return area.occupied

    async def occupied(self) -> tuple[int, int]:
        """The lot's counter and the number of open outer stays: they must always agree."""
        async with self.db.session(Scope.internal()) as s:
            lot = await s.get(Lot, self.lot_id)
            assert lot is not None
            count = await s.scalar(
                select(func.count()).where(
                    ParkingSession.lot_id == self.lot_id,
                    ParkingSession.state == SessionState.IN_LOT,
                    ParkingSession.parent_id.is_(None),
                )
            )
            return lot.occupied, int(count or 0)

    async def add_pass(
        self,
        plate: str,
        starts_at: datetime,
        ends_at: datetime,
        *,
        window: tuple[time, time] | None = None,
        group: str | None = None,
    ) -> int:
        async with self.db.transaction(Scope.internal()) as s:
            tenant = await self._tenant(s)
            product = PassProduct(
                **tenant,
                name=f"monthly {next(_keys)}",
                category=VehicleCategory.TIME_CONTROLLED if window else VehicleCategory.MONTHLY,
                period=PassPeriod.MONTH,
                price_fen=30000,
                window_start=window[0] if window else None,
                window_end=window[1] if window else None,
            )
            s.add(product)
            await s.flush()
            group_id = self.ids.get(f"group:{group}") if group else None
            vehicle = Vehicle(**tenant, plate=plate, group_id=group_id)
            s.add(vehicle)
            await s.flush()
            if group is not None and f"grouppass:{group}" in self.ids:
                return self.ids[f"grouppass:{group}"]
            p = Pass(
                **tenant,
                product_id=product.id,
                vehicle_id=None if group_id else vehicle.id,
                group_id=group_id,
                starts_at=starts_at,
                ends_at=ends_at,
            )
            s.add(p)
            await s.flush()
            if group is not None:
                self.ids[f"grouppass:{group}"] = p.id
            return p.id

    async def add_group(self, name: str, spaces: int) -> int:
        async with self.db.transaction(Scope.internal()) as s:
            group = VehicleGroup(**await self._tenant(s), name=name, spaces=spaces)
            s.add(group)
            await s.flush()
            self.ids[f"group:{name}"] = group.id
            return group.id

    async def add_listing(self, plate: str, category: VehicleCategory, reason: str = "") -> None:
        async with self.db.transaction(Scope.internal()) as s:
            s.add(
                ListEntry(
                    **await self._tenant(s),
                    plate=plate,
                    category=category,
                    valid_from=T0 - timedelta(days=30),
                    reason=reason,
                )
            )

    async def _tenant(self, s: object) -> dict[str, int]:
        return {"agent_id": self.ids["agent"], "customer_id": self.ids["customer"], "lot_id": self.lot_id}


async def build_site(
    db: Database,
    *,
    capacity: int = 100,
    policy: DuplicateEntryPolicy = DuplicateEntryPolicy.CLOSE_AT_ZERO,
    mode: LaneMode = LaneMode.AUTO,
    inner_tariff: bool = True,
    inner_free_minutes: int = 10,
    settings: dict[str, object] | None = None,
    same_customer_as: Site | None = None,
    tariff: Tariff | None = None,
) -> Site:
    """A new lot; ``same_customer_as`` puts it beside another site's lot (one customer, two lots)."""
    site = Site(db)
    async with db.transaction(Scope.internal()) as s:
        if same_customer_as is None:
            agent = Agent(name=f"Agent {next(_keys)}")
            s.add(agent)
            await s.flush()
            agent_id = agent.id
            customer = Customer(agent_id=agent.id, name="Customer")
            s.add(customer)
            await s.flush()
            customer_id = customer.id
        else:
            agent_id, customer_id = same_customer_as.ids["agent"], same_customer_as.ids["customer"]
        code = f"LOT{next(_keys)}"
        lot = Lot(
            agent_id=agent_id,
            customer_id=customer_id,
            name=f"Lot {code}",
            code=code,
            capacity=capacity,
            duplicate_entry_policy=policy,
            payment_settings=settings or {"no_entry_fee_fen": 2000},
        )
        s.add(lot)
        await s.flush()
        tenant = {"agent_id": agent_id, "customer_id": customer_id, "lot_id": lot.id}
        site.ids.update(agent=agent_id, customer=customer_id, lot=lot.id)
        inner = Area(**tenant, name="内场", capacity=10, is_inner=True, free_minutes=inner_free_minutes)
        s.add(inner)
        await s.flush()
        site.ids["inner"] = inner.id
        lanes = {
            "in": (LaneDirection.ENTRY, None),
            "in2": (LaneDirection.ENTRY, None),
            "out": (LaneDirection.EXIT, None),
            "out2": (LaneDirection.EXIT, None),
            "inner_in": (LaneDirection.ENTRY, inner.id),
            "inner_out": (LaneDirection.EXIT, inner.id),
        }
        for name, (direction, area_id) in lanes.items():
            lane = Lane(
                **tenant,
                area_id=area_id,
                name=name,
                direction=direction,
                mode=mode,
                qr_token=f"qr-{lot.code}-{name}",
            )
            s.add(lane)
            await s.flush()
            site.ids[name] = lane.id
            secret = f"secret-{name}-{lot.code}"
            serial = f"CAM-{lot.code}-{name}"
            device = Device(
                **tenant,
                lane_id=lane.id,
                kind=DeviceKind.CAMERA,
                name=f"camera {name}",
                serial=serial,
                protocol="vzenith",
                secret_hash=hash_secret(secret),
            )
            s.add(device)
            await s.flush()
            site.ids[f"device:{name}"] = device.id
            site.secrets[serial] = secret
        document = (tariff or flat_tariff()).model_dump(mode="json")
        s.add(
            TariffVersion(
                **tenant,
                vehicle_class=VehicleClass.SMALL,
                name="flat",
                version=1,
                effective_from=datetime(2026, 1, 1, tzinfo=UTC),
                document=document,
            )
        )
        if inner_tariff:
            s.add(
                TariffVersion(
                    **tenant,
                    area_id=inner.id,
                    vehicle_class=VehicleClass.SMALL,
                    name="inner",
                    version=1,
                    effective_from=datetime(2026, 1, 1, tzinfo=UTC),
                    document=document,
                )
            )
    return site


async def seat_tokens(site: Site) -> dict[str, str]:
    """Tokens of a cloud-seat operator over the site's customer, and of an operator of another agent."""
    from parking.accounts.auth import issue_token
    from parking.accounts.models import Operator, Role
    from parking.accounts.permissions import ALL_PERMISSIONS
    from parking.common.scope import ScopeLevel
    from tests.factories import PASSWORD_HASH, SECRET

    now = datetime.now(UTC)
    async with site.db.transaction(Scope.internal()) as s:
        role = Role(name=f"seat {next(_keys)}", permissions=sorted(ALL_PERMISSIONS), scope_level=ScopeLevel.PLATFORM)
        other_agent = Agent(name=f"Other agent {next(_keys)}")
        s.add_all([role, other_agent])
        await s.flush()
        seat = Operator(
            username=f"seat{next(_keys)}",
            display_name="seat",
            password_hash=PASSWORD_HASH,
            role_id=role.id,
            scope_level=ScopeLevel.CUSTOMER,
            agent_id=site.ids["agent"],
            customer_id=site.ids["customer"],
        )
        other = Operator(
            username=f"other{next(_keys)}",
            display_name="other",
            password_hash=PASSWORD_HASH,
            role_id=role.id,
            scope_level=ScopeLevel.AGENT,
            agent_id=other_agent.id,
        )
        s.add_all([seat, other])
        await s.flush()
        site.ids["operator:seat"] = seat.id
        return {"seat": issue_token(SECRET, seat, now, 3600), "other": issue_token(SECRET, other, now, 3600)}


async def add_edge(site: Site) -> tuple[str, str]:
    """Register the lot's edge agent; returns its serial and secret."""
    serial, secret = f"EDGE-{site.lot_id}", f"edge-secret-{site.lot_id}"
    async with site.db.transaction(Scope.internal()) as s:
        s.add(
            Device(
                **await site._tenant(s),
                kind=DeviceKind.CONTROLLER,
                name="edge agent",
                serial=serial,
                protocol="edge",
                secret_hash=hash_secret(secret),
            )
        )
    return serial, secret
