"""User-visible merchant texts: typed keys into the merchants catalogue (``texts.zh_CN.toml``).

Keys come in blocks, one per part of the merchants' work, so parts written apart merge without conflicts.
"""

from __future__ import annotations

from enum import StrEnum, auto
from functools import lru_cache
from typing import Final

from parking.common.catalogue import Catalogue
from parking.merchants.models import CouponKind


class MerchantText(StrEnum):
    # Accounts, templates, stock, ledger and issuing (商户账户).
    INVITE_INVALID = auto()
    MERCHANT_INACTIVE = auto()
    MERCHANT_LOT_OTHER_CUSTOMER = auto()
    INSUFFICIENT_FUNDS = auto()
    PACK_ORDER_DESCRIPTION = auto()
    TEMPLATE_PERCENT_RANGE = auto()
    TEMPLATE_UNTIL_RANGE = auto()
    TEMPLATE_MINUTES_POSITIVE = auto()
    TEMPLATE_AMOUNT_POSITIVE = auto()
    TEMPLATE_FULL_VALUE_ZERO = auto()
    TEMPLATE_SELL_WINDOW = auto()
    TEMPLATE_NOT_FOR_SALE = auto()
    OTHER_MERCHANT = auto()
    VOID_ONLY_ISSUED = auto()
    TOP_UP_NOTE = auto()
    CREDIT_NOTE = auto()
    PURCHASE_NOTE = auto()
    MERCHANT_ROLE = auto()
    MERCHANT_ROLE_DESCRIPTION = auto()
    # --- coupon lines on a bill (helper cbill) ---
    COUPON_MINUTES = auto()
    COUPON_AMOUNT = auto()
    COUPON_PERCENT = auto()
    COUPON_FULL = auto()
    COUPON_UNTIL = auto()
    DURATION_HOURS = auto()
    DURATION_MINUTES = auto()
    DURATION_HOURS_MINUTES = auto()
    PERCENT_DIGITS = auto()


CATALOGUE: Final = Catalogue.load(MerchantText, __name__.rpartition(".")[0])


def text(key: MerchantText, /, **params: object) -> str:
    """``key`` in zh-CN."""
    return CATALOGUE.text(key, **params)


# Coupon lines on a bill.


def _duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return text(MerchantText.DURATION_MINUTES, minutes=rest)
    if not rest:
        return text(MerchantText.DURATION_HOURS, hours=hours)
    return text(MerchantText.DURATION_HOURS_MINUTES, hours=hours, minutes=rest)


def _rate(percent: int) -> str:
    """八折 for 80, 八五折 for 85: the digits of the percent paid as Chinese numerals (1-99); else 0.5, 10."""
    digits = text(MerchantText.PERCENT_DIGITS)
    if 10 <= percent <= 99:
        tens, ones = divmod(percent, 10)
        return digits[tens] + (digits[ones] if ones else "")
    return f"{percent / 10:g}"


@lru_cache(maxsize=4096)
def coupon_label(kind: CouponKind, value: int) -> str:
    """A coupon's line on a bill (优惠券（减时2小时）, 八折券, 全免券 ...); cached: the bill renders it per quote.
    An UNTIL coupon's ``value`` is minutes after local midnight (its clock time)."""
    match kind:
        case CouponKind.MINUTES:
            return text(MerchantText.COUPON_MINUTES, duration=_duration(value))
        case CouponKind.AMOUNT:
            return text(MerchantText.COUPON_AMOUNT, yuan=f"{value / 100:.2f}".rstrip("0").rstrip("."))
        case CouponKind.PERCENT:
            return text(MerchantText.COUPON_PERCENT, rate=_rate(value))
        case CouponKind.FULL:
            return text(MerchantText.COUPON_FULL)
        case CouponKind.UNTIL:
            hours, minutes = divmod(value, 60)
            return text(MerchantText.COUPON_UNTIL, clock=f"{hours:02d}:{minutes:02d}")
