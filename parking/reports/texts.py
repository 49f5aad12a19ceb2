"""The reports' exported headers and labels: typed keys into the reports catalogue (``texts.zh_CN.toml``)."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum, auto
from types import MappingProxyType
from typing import Final

from parking.common.catalogue import Catalogue
from parking.payments.models import PaymentChannel
from parking.reports.reports import FeeKind
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


def label(labels: Mapping[str, ReportText], value: str) -> str:
    """A stored value's zh-CN label; the value itself when the catalogue has none (a channel added later)."""
    key = labels.get(value)
    return text(key) if key is not None else value
