"""Imports every table so that ``Base.metadata`` is complete (Alembic, tests, the demo loader)."""

from parking.accounts.models import ApiKey, LoginFailure, Operator, Role, operator_lots
from parking.alarms.models import Alarm
from parking.common.audit import AuditEntry
from parking.common.db import Base
from parking.common.outbox import OutboxEvent
from parking.devices.models import Device, DeviceClock, DeviceCommand, DeviceRefusal, GateCommand
from parking.drivers.models import DriverPlate
from parking.faults.models import FaultTicket, FaultTicketPhoto
from parking.invoices.models import Invoice, InvoiceOrder, LotInvoiceSettings
from parking.merchants.models import Coupon, Merchant
from parking.payments.frictionless.models import FrictionlessParking
from parking.payments.messages.models import DriverMessage
from parking.payments.models import PaymentOrder, Refund
from parking.payments.settlement_models import (
    ReconciliationItem,
    ReconciliationRun,
    SettlementLine,
    SettlementStatement,
)
from parking.recognition.models import PlateRecognition
from parking.reports.models import ReportDaily, ReportDay, ReportDirtyDay, ReportSweep
from parking.reports.shift_models import CashierShift
from parking.sessions.global_keys import LaneEventKey, OpenSessionKey
from parking.sessions.models import LaneEvent, ParkingSession
from parking.tariffs.models import TariffVersion
from parking.tenancy.models import Agent, Area, Customer, Lane, Lot
from parking.vehicles.models import (
    ListEntry,
    Owner,
    Pass,
    PassProduct,
    PassRenewal,
    Vehicle,
    VehicleGroup,
    Wallet,
    WalletEntry,
)

__all__ = [
    "Agent",
    "Alarm",
    "ApiKey",
    "Area",
    "AuditEntry",
    "Base",
    "CashierShift",
    "Coupon",
    "Customer",
    "Device",
    "DeviceClock",
    "DeviceCommand",
    "DeviceRefusal",
    "DriverMessage",
    "DriverPlate",
    "FaultTicket",
    "FaultTicketPhoto",
    "FrictionlessParking",
    "GateCommand",
    "Invoice",
    "InvoiceOrder",
    "Lane",
    "LaneEvent",
    "LaneEventKey",
    "ListEntry",
    "LoginFailure",
    "Lot",
    "LotInvoiceSettings",
    "Merchant",
    "OpenSessionKey",
    "Operator",
    "OutboxEvent",
    "Owner",
    "ParkingSession",
    "Pass",
    "PassProduct",
    "PassRenewal",
    "PaymentOrder",
    "PlateRecognition",
    "ReconciliationItem",
    "ReconciliationRun",
    "Refund",
    "ReportDaily",
    "ReportDay",
    "ReportDirtyDay",
    "ReportSweep",
    "Role",
    "SettlementLine",
    "SettlementStatement",
    "TariffVersion",
    "Vehicle",
    "VehicleGroup",
    "Wallet",
    "WalletEntry",
    "operator_lots",
]
