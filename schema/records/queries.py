"""Record queries: read-only scoped lists with filters and keyset pages, newest first by default."""

from __future__ import annotations

from datetime import datetime
from typing import cast

import strawberry
from sqlalchemy import ColumnElement, or_

from parking.accounts.permissions import Perm
from parking.alarms.models import Alarm, AlarmKind, AlarmSeverity, AlarmStatus
from parking.common.crud import parse_id
from parking.devices.models import GateCommand, GateCommandStatus
from parking.faults.models import FaultStatus, FaultTicket
from parking.invoices.models import Invoice, InvoiceStatus
from parking.merchants.models import Coupon, CouponStatus, Merchant
from parking.payments.models import OrderStatus, PaymentChannel, PaymentOrder, PaymentPurpose, Refund, RefundStatus
from parking.sessions.enums import EventKind, ReleaseMethod, SessionState
from parking.sessions.models import LaneEvent, ParkingSession
from schema.core.context import Info
from schema.core.listing import list_page
from schema.core.pagination import Connection, SortDirection
from schema.core.permissions import describe, requires
from schema.records import filters as flt
from schema.records.types import (
    AlarmType,
    CouponType,
    FaultTicketType,
    GateCommandType,
    InvoiceType,
    LaneEventType,
    MerchantType,
    ParkingSessionType,
    PaymentOrderType,
    RefundType,
)

DESC = SortDirection.DESC


@strawberry.input
class ParkingSessionFilter:
    lot_id: strawberry.ID | None = None
    plate: str | None = strawberry.field(default=None, description="A plate or part of one.")
    state: SessionState | None = None
    entry_from: datetime | None = None
    entry_to: datetime | None = None
    inside: bool | None = strawberry.field(default=None, description="True: still inside; false: left.")
    release_method: ReleaseMethod | None = None
    lane_id: strawberry.ID | None = strawberry.field(default=None, description="Entered or left by this lane.")
    area_id: strawberry.ID | None = None
    inner: bool | None = strawberry.field(
        default=None, description="True: inner-lot (内场) stays only; false: outer stays only."
    )
    exit_from: datetime | None = None
    exit_to: datetime | None = None


@strawberry.input
class LaneEventFilter:
    lot_id: strawberry.ID | None = None
    lane_id: strawberry.ID | None = None
    kind: EventKind | None = None
    plate: str | None = None
    at_from: datetime | None = None
    at_to: datetime | None = None


@strawberry.input
class GateCommandFilter:
    lot_id: strawberry.ID | None = None
    lane_id: strawberry.ID | None = None
    status: GateCommandStatus | None = None
    issued_from: datetime | None = None
    issued_to: datetime | None = None


@strawberry.input
class AlarmFilter:
    lot_id: strawberry.ID | None = None
    kind: AlarmKind | None = None
    severity: AlarmSeverity | None = None
    status: AlarmStatus | None = None
    raised_from: datetime | None = None
    raised_to: datetime | None = None


@strawberry.input
class PaymentOrderFilter:
    lot_id: strawberry.ID | None = None
    status: OrderStatus | None = None
    channel: PaymentChannel | None = None
    purpose: PaymentPurpose | None = None
    plate: str | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    double_payment: bool | None = strawberry.field(
        default=None, description="True: only orders whose money was a double payment; false: only the others."
    )


@strawberry.input
class RefundFilter:
    lot_id: strawberry.ID | None = None
    order_id: strawberry.ID | None = None
    status: RefundStatus | None = None


@strawberry.input
class MerchantFilter:
    lot_id: strawberry.ID | None = None
    search: str | None = None
    is_active: bool | None = None


@strawberry.input
class CouponFilter:
    lot_id: strawberry.ID | None = None
    merchant_id: strawberry.ID | None = None
    status: CouponStatus | None = None
    plate: str | None = None


@strawberry.input
class InvoiceFilter:
    lot_id: strawberry.ID | None = None
    order_id: strawberry.ID | None = None
    status: InvoiceStatus | None = None


@strawberry.input
class FaultTicketFilter:
    lot_id: strawberry.ID | None = None
    device_id: strawberry.ID | None = None
    status: FaultStatus | None = None


def _where() -> list[ColumnElement[bool]]:
    return []


@strawberry.type
class RecordsQuery:
    @strawberry.field(
        extensions=requires(Perm.RECORDS_VIEW), description=describe("Parking sessions (停车记录).", Perm.RECORDS_VIEW)
    )
    async def parking_sessions(
        self,
        info: Info,
        filter: ParkingSessionFilter | None = None,
        direction: SortDirection = DESC,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[ParkingSessionType]:
        f, m, w = filter or ParkingSessionFilter(), ParkingSession, _where()
        flt.equal_id(w, m.lot_id, f.lot_id, "lotId")
        flt.plate(w, m.plate, f.plate)
        flt.equal(w, m.state, f.state)
        flt.between(w, m.entry_at, f.entry_from, f.entry_to, "entry")
        if f.inside is not None:
            w.append(m.exit_at.is_(None) if f.inside else m.exit_at.is_not(None))
        flt.equal(w, m.release_method, f.release_method)
        if f.lane_id is not None:
            lane = parse_id(f.lane_id, "laneId")
            w.append(or_(m.entry_lane_id == lane, m.exit_lane_id == lane))
        flt.equal_id(w, m.area_id, f.area_id, "areaId")
        if f.inner is not None:
            w.append(m.parent_id.is_not(None) if f.inner else m.parent_id.is_(None))
        flt.between(w, m.exit_at, f.exit_from, f.exit_to, "exit")
        return cast(Connection[ParkingSessionType], await list_page(info, m, w, m.entry_at, direction, first, after))

    @strawberry.field(
        extensions=requires(Perm.RECORDS_VIEW), description=describe("Lane events (过车记录).", Perm.RECORDS_VIEW)
    )
    async def lane_events(
        self,
        info: Info,
        filter: LaneEventFilter | None = None,
        direction: SortDirection = DESC,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[LaneEventType]:
        f, m, w = filter or LaneEventFilter(), LaneEvent, _where()
        flt.equal_id(w, m.lot_id, f.lot_id, "lotId")
        flt.equal_id(w, m.lane_id, f.lane_id, "laneId")
        flt.equal(w, m.kind, f.kind)
        flt.plate(w, m.plate, f.plate)
        flt.between(w, m.at, f.at_from, f.at_to, "at")
        return cast(Connection[LaneEventType], await list_page(info, m, w, m.at, direction, first, after))

    @strawberry.field(extensions=requires(Perm.RECORDS_VIEW), description=describe("Gate commands.", Perm.RECORDS_VIEW))
    async def gate_commands(
        self,
        info: Info,
        filter: GateCommandFilter | None = None,
        direction: SortDirection = DESC,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[GateCommandType]:
        f, m, w = filter or GateCommandFilter(), GateCommand, _where()
        flt.equal_id(w, m.lot_id, f.lot_id, "lotId")
        flt.equal_id(w, m.lane_id, f.lane_id, "laneId")
        flt.equal(w, m.status, f.status)
        flt.between(w, m.issued_at, f.issued_from, f.issued_to, "issued")
        return cast(Connection[GateCommandType], await list_page(info, m, w, m.issued_at, direction, first, after))

    @strawberry.field(extensions=requires(Perm.ALARMS_VIEW), description=describe("Alarms.", Perm.ALARMS_VIEW))
    async def alarms(
        self,
        info: Info,
        filter: AlarmFilter | None = None,
        direction: SortDirection = DESC,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[AlarmType]:
        f, m, w = filter or AlarmFilter(), Alarm, _where()
        flt.equal_id(w, m.lot_id, f.lot_id, "lotId")
        flt.equal(w, m.kind, f.kind)
        flt.equal(w, m.severity, f.severity)
        flt.equal(w, m.status, f.status)
        flt.between(w, m.raised_at, f.raised_from, f.raised_to, "raised")
        return cast(Connection[AlarmType], await list_page(info, m, w, m.raised_at, direction, first, after))

    @strawberry.field(
        extensions=requires(Perm.FINANCE_VIEW), description=describe("Payment orders.", Perm.FINANCE_VIEW)
    )
    async def payment_orders(
        self,
        info: Info,
        filter: PaymentOrderFilter | None = None,
        direction: SortDirection = DESC,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[PaymentOrderType]:
        f, m, w = filter or PaymentOrderFilter(), PaymentOrder, _where()
        flt.equal_id(w, m.lot_id, f.lot_id, "lotId")
        flt.equal(w, m.status, f.status)
        flt.equal(w, m.channel, f.channel)
        flt.equal(w, m.purpose, f.purpose)
        flt.plate(w, m.plate, f.plate)
        flt.between(w, m.created_at, f.created_from, f.created_to, "created")
        if f.double_payment is not None:
            w.append(m.double_payment.is_not(None) if f.double_payment else m.double_payment.is_(None))
        return cast(Connection[PaymentOrderType], await list_page(info, m, w, m.created_at, direction, first, after))

    @strawberry.field(extensions=requires(Perm.FINANCE_VIEW), description=describe("Refunds.", Perm.FINANCE_VIEW))
    async def refunds(
        self,
        info: Info,
        filter: RefundFilter | None = None,
        direction: SortDirection = DESC,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[RefundType]:
        f, m, w = filter or RefundFilter(), Refund, _where()
        flt.equal_id(w, m.lot_id, f.lot_id, "lotId")
        flt.equal_id(w, m.order_id, f.order_id, "orderId")
        flt.equal(w, m.status, f.status)
        return cast(Connection[RefundType], await list_page(info, m, w, m.created_at, direction, first, after))

    @strawberry.field(extensions=requires(Perm.FINANCE_VIEW), description=describe("Invoices.", Perm.FINANCE_VIEW))
    async def invoices(
        self,
        info: Info,
        filter: InvoiceFilter | None = None,
        direction: SortDirection = DESC,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[InvoiceType]:
        f, m, w = filter or InvoiceFilter(), Invoice, _where()
        flt.equal_id(w, m.lot_id, f.lot_id, "lotId")
        flt.equal_id(w, m.order_id, f.order_id, "orderId")
        flt.equal(w, m.status, f.status)
        return cast(Connection[InvoiceType], await list_page(info, m, w, m.created_at, direction, first, after))

    @strawberry.field(
        extensions=requires(Perm.MERCHANTS_MANAGE), description=describe("Merchants.", Perm.MERCHANTS_MANAGE)
    )
    async def merchants(
        self, info: Info, filter: MerchantFilter | None = None, first: int = 50, after: str | None = None
    ) -> Connection[MerchantType]:
        f, m, w = filter or MerchantFilter(), Merchant, _where()
        flt.equal_id(w, m.lot_id, f.lot_id, "lotId")
        if f.search:
            w.append(m.name.contains(f.search.strip(), autoescape=True))
        if f.is_active is not None:
            w.append(m.is_active.is_(f.is_active))
        page = await list_page(info, m, w, m.name, SortDirection.ASC, first, after)
        return cast(Connection[MerchantType], page)

    @strawberry.field(
        extensions=requires(Perm.MERCHANTS_MANAGE), description=describe("Merchant coupons.", Perm.MERCHANTS_MANAGE)
    )
    async def coupons(
        self,
        info: Info,
        filter: CouponFilter | None = None,
        direction: SortDirection = DESC,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[CouponType]:
        f, m, w = filter or CouponFilter(), Coupon, _where()
        flt.equal_id(w, m.lot_id, f.lot_id, "lotId")
        flt.equal_id(w, m.merchant_id, f.merchant_id, "merchantId")
        flt.equal(w, m.status, f.status)
        flt.plate(w, m.plate, f.plate)
        return cast(Connection[CouponType], await list_page(info, m, w, m.created_at, direction, first, after))

    @strawberry.field(
        extensions=requires(Perm.FAULTS_MANAGE), description=describe("Fault tickets.", Perm.FAULTS_MANAGE)
    )
    async def fault_tickets(
        self,
        info: Info,
        filter: FaultTicketFilter | None = None,
        direction: SortDirection = DESC,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[FaultTicketType]:
        f, m, w = filter or FaultTicketFilter(), FaultTicket, _where()
        flt.equal_id(w, m.lot_id, f.lot_id, "lotId")
        flt.equal_id(w, m.device_id, f.device_id, "deviceId")
        flt.equal(w, m.status, f.status)
        return cast(Connection[FaultTicketType], await list_page(info, m, w, m.created_at, direction, first, after))
