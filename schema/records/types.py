"""Record object types: sessions, lane events, gate commands, alarms, orders, refunds, merchants, faults."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from parking.accounts.models import Operator
from parking.alarms.models import AlarmKind, AlarmSeverity, AlarmStatus
from parking.devices.models import GateCommandKind, GateCommandStatus
from parking.faults.models import FaultStatus
from parking.invoices.models import InvoiceStatus
from parking.merchants.models import CouponKind, CouponStatus, Merchant
from parking.payments.anonymous import masked_plate
from parking.payments.models import OrderStatus, PaymentChannel, PaymentPurpose, RefundStatus
from parking.payments.state import DoublePayment
from parking.plates import PlateColor
from parking.sessions.enums import EventKind, ReadingSource, ReleaseMethod, SessionState
from parking.tenancy.enums import VehicleCategory, VehicleClass
from schema.core import enums as _enums  # noqa: F401  (registers the enums)
from schema.core.context import Info
from schema.core.money import Fen


@strawberry.type(name="ParkingSession", description="One stay of one vehicle in one lot.")
class ParkingSessionType:
    id: strawberry.ID
    lot_id: strawberry.ID
    area_id: strawberry.ID | None
    parent_id: strawberry.ID | None
    plate: str
    plate_color: PlateColor
    vehicle_class: VehicleClass
    category: VehicleCategory
    state: SessionState
    entry_at: datetime
    exit_at: datetime | None
    entry_lane_id: strawberry.ID | None
    exit_lane_id: strawberry.ID | None
    fee_due_fen: Fen
    paid_fen: Fen
    discount_fen: Fen
    arrears_fen: Fen
    release_method: ReleaseMethod | None
    release_reason: str
    note: str


@strawberry.type(name="LaneEvent", description="A reading at a lane and the decision taken.")
class LaneEventType:
    id: strawberry.ID
    lot_id: strawberry.ID
    lane_id: strawberry.ID
    session_id: strawberry.ID | None
    kind: EventKind
    at: datetime
    received_at: datetime
    plate: str
    plate_color: PlateColor
    confidence: float
    source: ReadingSource
    image_ref: str
    is_offline: bool
    opened: bool
    decision_reason: str


@strawberry.type(name="GateCommand", description="A command to a barrier and its outcome.")
class GateCommandType:
    id: strawberry.ID
    lot_id: strawberry.ID
    lane_id: strawberry.ID
    kind: GateCommandKind
    status: GateCommandStatus
    issued_at: datetime
    expires_at: datetime
    completed_at: datetime | None
    operator_id: strawberry.ID | None
    session_id: strawberry.ID | None
    reason: str
    result: str


@strawberry.type(name="Alarm", description="Something an operator should look at.")
class AlarmType:
    id: strawberry.ID
    lot_id: strawberry.ID
    kind: AlarmKind
    severity: AlarmSeverity
    status: AlarmStatus
    raised_at: datetime
    lane_id: strawberry.ID | None
    device_id: strawberry.ID | None
    session_id: strawberry.ID | None
    plate: str
    message: str
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    resolution: str
    details: strawberry.Private[dict[str, Any]]

    @strawberry.field(description="How many times it was raised: a repeat within minutes is counted, not re-raised.")
    def count(self) -> int:
        return int(self.details.get("count", 1))


def _order_plate(root: Any, info: Info) -> str:
    # A driver paying without an account sees the plate masked: whole only to operators.
    return str(root.plate) if info.context.actor is not None else masked_plate(str(root.plate))


@strawberry.type(name="PaymentOrder", description="A payment order, in fen.")
class PaymentOrderType:
    id: strawberry.ID
    lot_id: strawberry.ID
    out_trade_no: str
    channel: PaymentChannel
    purpose: PaymentPurpose
    status: OrderStatus
    session_id: strawberry.ID | None
    pass_id: strawberry.ID | None
    plate: str = strawberry.field(
        resolver=_order_plate, description="The stay's plate; masked (京A·***45) for a caller without a login."
    )
    amount_fen: Fen
    channel_fee_fen: Fen = strawberry.field(
        description="What the channel keeps of the payment (手续费), written when the order is paid."
    )
    double_payment: DoublePayment | None = strawberry.field(
        description="Set when this order's money was not credited to its stay (the stay was already paid, or "
        "the order closed): a finance alarm was raised and the money goes back through a refund."
    )
    refunded_fen: Fen
    channel_trade_no: str
    paid_at: datetime | None
    created_at: datetime


@strawberry.type(name="Refund", description="A refund of (part of) a payment order.")
class RefundType:
    id: strawberry.ID
    lot_id: strawberry.ID
    order_id: strawberry.ID
    out_refund_no: str
    amount_fen: Fen
    reason: str
    status: RefundStatus
    decision_note: str = strawberry.field(description="Why the refund was rejected; empty otherwise.")
    completed_at: datetime | None
    created_at: datetime
    requested_by_id: strawberry.Private[int | None]
    approved_by_id: strawberry.Private[int | None]

    @strawberry.field(
        description="The display name of the operator who asked for the refund; null when unknown "
        "or outside the caller's scope."
    )
    async def requested_by(self, info: Info) -> str | None:
        return await _operator_name(info, self.requested_by_id)

    @strawberry.field(
        description="The display name of the operator who approved or rejected the refund; null while "
        "undecided, or when outside the caller's scope."
    )
    async def approved_by(self, info: Info) -> str | None:
        return await _operator_name(info, self.approved_by_id)


async def _operator_name(info: Info, operator_id: int | None) -> str | None:
    """An operator's display name (else username) through the request's scoped loader: one query per batch."""
    if operator_id is None:
        return None
    row: Any = await info.context.loaders.by_id(Operator).load(operator_id)
    return None if row is None else str(row.display_name or row.username)


@strawberry.type(name="Merchant", description="A merchant that gives parking coupons to its customers.")
class MerchantType:
    id: strawberry.ID
    lot_id: strawberry.ID
    name: str
    contact_name: str
    phone: str
    balance_fen: Fen
    is_active: bool
    created_at: datetime


@strawberry.type(name="Coupon", description="A merchant's parking coupon.")
class CouponType:
    id: strawberry.ID
    lot_id: strawberry.ID
    merchant_id: strawberry.ID
    code: str
    kind: CouponKind
    value: int
    status: CouponStatus
    plate: str
    valid_until: datetime
    session_id: strawberry.ID | None
    redeemed_at: datetime | None

    @strawberry.field(description="The issuing merchant's name; null when outside the caller's scope.")
    async def merchant_name(self, info: Info) -> str | None:
        row: Any = await info.context.loaders.by_id(Merchant).load(int(self.merchant_id))
        return None if row is None else str(row.name)


@strawberry.type(name="Invoice", description="An electronic invoice request for a payment.")
class InvoiceType:
    id: strawberry.ID
    lot_id: strawberry.ID
    order_id: strawberry.ID
    plate: str
    amount_fen: Fen
    title: str
    tax_number: str
    status: InvoiceStatus
    issued_at: datetime | None
    number: str
    created_at: datetime


@strawberry.type(name="FaultTicket", description="A maintenance ticket for a device fault.")
class FaultTicketType:
    id: strawberry.ID
    lot_id: strawberry.ID
    device_id: strawberry.ID | None
    alarm_id: strawberry.ID | None
    title: str
    description: str
    status: FaultStatus
    assignee_id: strawberry.ID | None
    resolved_at: datetime | None
    resolution: str
    created_at: datetime
