"""The reports' exported headers and labels: typed keys into the reports catalogue (``texts.zh_CN.toml``)."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum, auto
from types import MappingProxyType
from typing import Final

from parking.common.catalogue import Catalogue
from parking.invoices.models import BuyerKind, InvoiceStatus
from parking.payments.models import PaymentChannel, PaymentPurpose
from parking.reports.reports import FeeKind
from parking.sessions.enums import ReleaseMethod
from parking.tenancy.enums import VehicleClass


class ReportText(StrEnum):
    SHEET_FLOW = auto()
    SHEET_PEAK_HOURS = auto()
    SHEET_CHANNELS = auto()
    SHEET_KINDS = auto()
    SHEET_DAILY = auto()
    DAY = auto()
    LOT = auto()
    LANE = auto()
    VEHICLE_CLASS = auto()
    HOUR = auto()
    CHANNEL = auto()
    KIND = auto()
    ENTRIES = auto()
    EXITS = auto()
    STAY_MINUTES = auto()
    AVERAGE_STAY_MINUTES = auto()
    TURNOVER = auto()
    PAYMENTS = auto()
    PAID = auto()
    REFUNDS = auto()
    REFUNDED = auto()
    NET = auto()
    DISCOUNT = auto()
    COUPON = auto()
    WAIVED = auto()
    NO_LANE = auto()
    REGION = auto()
    BOOTH = auto()
    NO_REGION = auto()
    AREA = auto()
    OUTER_ZONE = auto()
    KIND_TEMPORARY = auto()
    KIND_LONG_TERM = auto()
    KIND_COUPON_PACK = auto()
    CHANNEL_WECHAT_JSAPI = auto()
    CHANNEL_WECHAT_NATIVE = auto()
    CHANNEL_WECHAT_PARKING = auto()
    CHANNEL_ALIPAY_QR = auto()
    CHANNEL_ALIPAY_MINI = auto()
    CHANNEL_CASH = auto()
    CHANNEL_BOOTH = auto()
    CHANNEL_WALLET = auto()
    CLASS_SMALL = auto()
    CLASS_LARGE = auto()
    CLASS_MOTORCYCLE = auto()
    CLASS_NEW_ENERGY = auto()
    SHEET_FEE_DETAILS = auto()
    SHEET_RENEWALS = auto()
    SHEET_SHIFTS = auto()
    PLATE = auto()
    ENTRY_AT = auto()
    EXIT_AT = auto()
    FEE = auto()
    COUPONS_USED = auto()
    RELEASE = auto()
    OPERATOR = auto()
    PASS_PRODUCT = auto()
    PURPOSE = auto()
    PERIOD_FROM = auto()
    PERIOD_TO = auto()
    AMOUNT = auto()
    PAID_AT = auto()
    TOTAL = auto()
    OPENED_AT = auto()
    CLOSED_AT = auto()
    CASH_RECORDED = auto()
    CASH_PAYMENTS = auto()
    CASH_COUNTED = auto()
    CASH_DIFFERENCE = auto()
    FREE_RELEASES = auto()
    SOFTWARE_RELEASES = auto()
    SHIFT_OPEN = auto()
    SHEET_INVOICES = auto()
    INVOICE_NUMBER = auto()
    BUYER_KIND = auto()
    BUYER_NAME = auto()
    BUYER_TAX_NUMBER = auto()
    TAX = auto()
    INVOICE_STATUS = auto()
    ISSUED_AT = auto()
    REVERSED_AT = auto()
    INVOICE_PAYMENTS = auto()
    TOTAL_ISSUED = auto()
    TOTAL_REVERSED = auto()
    TOTAL_NET = auto()
    BUYER_PERSONAL = auto()
    BUYER_COMPANY = auto()
    INVOICE_ISSUED = auto()
    INVOICE_REVERSING = auto()
    INVOICE_REVERSED = auto()
    PURPOSE_PASS_PURCHASE = auto()
    PURPOSE_PASS_RENEWAL = auto()
    RELEASE_AUTOMATIC = auto()
    RELEASE_SOFTWARE = auto()
    RELEASE_EXIT_SCAN = auto()
    RELEASE_FREE = auto()
    RELEASE_PREPAID = auto()
    RELEASE_FRICTIONLESS = auto()
    # Refusals of the shift mutations.
    SHIFT_NEEDS_OPERATOR = auto()
    SHIFT_ALREADY_OPEN = auto()
    SHIFT_NOT_FOUND = auto()
    SHIFT_LOT_NOT_FOUND = auto()
    SHIFT_LANE_NOT_IN_LOT = auto()
    SHIFT_ALREADY_CLOSED = auto()
    SHIFT_NOT_YOURS = auto()
    SHIFT_BAD_COUNT = auto()
    SHIFT_BAD_NOTE = auto()


CATALOGUE: Final = Catalogue.load(ReportText, __name__.rpartition(".")[0])


def text(key: ReportText, /) -> str:
    """``key`` in zh-CN."""
    return CATALOGUE.text(key)


CHANNELS: Final[Mapping[str, ReportText]] = MappingProxyType(
    {
        PaymentChannel.WECHAT_JSAPI.value: ReportText.CHANNEL_WECHAT_JSAPI,
        PaymentChannel.WECHAT_NATIVE.value: ReportText.CHANNEL_WECHAT_NATIVE,
        PaymentChannel.WECHAT_PARKING.value: ReportText.CHANNEL_WECHAT_PARKING,
        PaymentChannel.ALIPAY_QR.value: ReportText.CHANNEL_ALIPAY_QR,
        PaymentChannel.ALIPAY_MINI.value: ReportText.CHANNEL_ALIPAY_MINI,
        PaymentChannel.CASH.value: ReportText.CHANNEL_CASH,
        PaymentChannel.BOOTH.value: ReportText.CHANNEL_BOOTH,
        PaymentChannel.WALLET.value: ReportText.CHANNEL_WALLET,
    }
)
VEHICLE_CLASSES: Final[Mapping[str, ReportText]] = MappingProxyType(
    {
        VehicleClass.SMALL.value: ReportText.CLASS_SMALL,
        VehicleClass.LARGE.value: ReportText.CLASS_LARGE,
        VehicleClass.MOTORCYCLE.value: ReportText.CLASS_MOTORCYCLE,
        VehicleClass.NEW_ENERGY.value: ReportText.CLASS_NEW_ENERGY,
    }
)
KINDS: Final[Mapping[str, ReportText]] = MappingProxyType(
    {
        FeeKind.TEMPORARY.value: ReportText.KIND_TEMPORARY,
        FeeKind.LONG_TERM.value: ReportText.KIND_LONG_TERM,
        FeeKind.COUPON_PACK.value: ReportText.KIND_COUPON_PACK,
    }
)

PURPOSES: Final[Mapping[str, ReportText]] = MappingProxyType(
    {
        PaymentPurpose.PASS_PURCHASE.value: ReportText.PURPOSE_PASS_PURCHASE,
        PaymentPurpose.PASS_RENEWAL.value: ReportText.PURPOSE_PASS_RENEWAL,
    }
)
BUYER_KINDS: Final[Mapping[str, ReportText]] = MappingProxyType(
    {BuyerKind.PERSONAL.value: ReportText.BUYER_PERSONAL, BuyerKind.COMPANY.value: ReportText.BUYER_COMPANY}
)
INVOICE_STATUSES: Final[Mapping[str, ReportText]] = MappingProxyType(
    {
        InvoiceStatus.ISSUED.value: ReportText.INVOICE_ISSUED,
        InvoiceStatus.REVERSING.value: ReportText.INVOICE_REVERSING,
        InvoiceStatus.REVERSED.value: ReportText.INVOICE_REVERSED,
    }
)
RELEASES: Final[Mapping[str, ReportText]] = MappingProxyType(
    {
        ReleaseMethod.AUTOMATIC.value: ReportText.RELEASE_AUTOMATIC,
        ReleaseMethod.SOFTWARE.value: ReportText.RELEASE_SOFTWARE,
        ReleaseMethod.EXIT_SCAN.value: ReportText.RELEASE_EXIT_SCAN,
        ReleaseMethod.FREE.value: ReportText.RELEASE_FREE,
        ReleaseMethod.PREPAID.value: ReportText.RELEASE_PREPAID,
        ReleaseMethod.FRICTIONLESS.value: ReportText.RELEASE_FRICTIONLESS,
    }
)


def label(labels: Mapping[str, ReportText], value: str) -> str:
    """A stored value's zh-CN label; the value itself when the catalogue has none (a channel added later)."""
    key = labels.get(value)
    return text(key) if key is not None else value
