"""Domain enumerations exposed in the schema, registered once."""

from __future__ import annotations

import strawberry

from parking.accounts.permissions import Perm
from parking.alarms.models import AlarmKind, AlarmSeverity, AlarmStatus
from parking.common.scope import ScopeLevel
from parking.devices.models import (
    DeviceCommandKind,
    DeviceCommandStatus,
    DeviceKind,
    DeviceStatus,
    GateCommandKind,
    GateCommandStatus,
)
from parking.faults.models import FaultStatus
from parking.invoices.models import BuyerKind, InvoiceStatus
from parking.merchants.models import CodeKind, CouponKind, CouponSource, CouponStatus, LedgerKind, StockSource
from parking.payments.models import OrderStatus, PaymentChannel, PaymentPurpose, RefundStatus
from parking.payments.state import DoublePayment
from parking.plates import PlateColor
from parking.sessions.enums import EventKind, ReadingSource, ReleaseMethod, SessionState
from parking.tenancy.enums import DuplicateEntryPolicy, LaneDirection, LaneMode, VehicleCategory, VehicleClass
from parking.vehicles.enums import ExemptKind, PassPeriod, PassStatus

ScopeLevelEnum = strawberry.enum(ScopeLevel, name="ScopeLevel")
PermissionEnum = strawberry.enum(Perm, name="Permission")
LaneDirectionEnum = strawberry.enum(LaneDirection, name="LaneDirection")
LaneModeEnum = strawberry.enum(LaneMode, name="LaneMode")
DeviceKindEnum = strawberry.enum(DeviceKind, name="DeviceKind")
DeviceStatusEnum = strawberry.enum(DeviceStatus, name="DeviceStatus")
DuplicateEntryPolicyEnum = strawberry.enum(DuplicateEntryPolicy, name="DuplicateEntryPolicy")
VehicleCategoryEnum = strawberry.enum(VehicleCategory, name="VehicleCategory")
VehicleClassEnum = strawberry.enum(VehicleClass, name="VehicleClass")
ExemptKindEnum = strawberry.enum(ExemptKind, name="ExemptKind")
PlateColorEnum = strawberry.enum(PlateColor, name="PlateColor")
PassPeriodEnum = strawberry.enum(PassPeriod, name="PassPeriod")
PassStatusEnum = strawberry.enum(PassStatus, name="PassStatus")
SessionStateEnum = strawberry.enum(SessionState, name="SessionState")
ReleaseMethodEnum = strawberry.enum(ReleaseMethod, name="ReleaseMethod")
ReadingSourceEnum = strawberry.enum(ReadingSource, name="ReadingSource")
EventKindEnum = strawberry.enum(EventKind, name="EventKind")
GateCommandKindEnum = strawberry.enum(GateCommandKind, name="GateCommandKind")
GateCommandStatusEnum = strawberry.enum(GateCommandStatus, name="GateCommandStatus")
PaymentChannelEnum = strawberry.enum(PaymentChannel, name="PaymentChannel")
PaymentPurposeEnum = strawberry.enum(PaymentPurpose, name="PaymentPurpose")
OrderStatusEnum = strawberry.enum(OrderStatus, name="OrderStatus")
DoublePaymentEnum = strawberry.enum(
    DoublePayment,
    name="DoublePayment",
    description="Why money that reached an order was not credited to its stay and goes back: ALREADY_SETTLED "
    "(another order paid the stay first), PAID_AFTER_CLOSE (the order had been closed), SECOND_TRANSACTION "
    "(a second transaction for one paid order).",
)
RefundStatusEnum = strawberry.enum(RefundStatus, name="RefundStatus")
CouponKindEnum = strawberry.enum(CouponKind, name="CouponKind")
CouponStatusEnum = strawberry.enum(CouponStatus, name="CouponStatus")
CouponSourceEnum = strawberry.enum(CouponSource, name="CouponSource")
StockSourceEnum = strawberry.enum(StockSource, name="StockSource")
LedgerKindEnum = strawberry.enum(LedgerKind, name="LedgerKind")
InvoiceStatusEnum = strawberry.enum(InvoiceStatus, name="InvoiceStatus")
BuyerKindEnum = strawberry.enum(BuyerKind, name="InvoiceBuyerKind", description="个人 or 单位 (with a tax number).")
AlarmKindEnum = strawberry.enum(AlarmKind, name="AlarmKind")
AlarmSeverityEnum = strawberry.enum(AlarmSeverity, name="AlarmSeverity")
AlarmStatusEnum = strawberry.enum(AlarmStatus, name="AlarmStatus")
FaultStatusEnum = strawberry.enum(FaultStatus, name="FaultStatus")
DeviceCommandKindEnum = strawberry.enum(DeviceCommandKind, name="DeviceCommandKind")
DeviceCommandStatusEnum = strawberry.enum(DeviceCommandStatus, name="DeviceCommandStatus")
CodeKindEnum = strawberry.enum(CodeKind, name="CodeKind", description="The kinds of parking code (停车码).")
