"""User-visible payment texts: typed keys into the payments catalogue (``texts.zh_CN.toml``)."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum, auto
from types import MappingProxyType
from typing import Final

from parking.common.catalogue import Catalogue
from parking.payments.state import DoublePayment


class PaymentText(StrEnum):
    REFUND_ALREADY_SETTLED = auto()
    REFUND_PAID_AFTER_CLOSE = auto()
    REFUND_SECOND_TRANSACTION = auto()
    REFUND_SOLD_OUT = auto()
    DOUBLE_PAYMENT_ALARM = auto()
    REFUND_SENT = auto()
    REFUND_WAITS = auto()
    REFUND_BY_HAND = auto()
    ANONYMOUS_NEEDS_TOKEN = auto()
    STAY_TOKEN_INVALID = auto()
    RATE_LIMITED = auto()
    STAY_ENDED = auto()
    PARKING_FEE = auto()
    PARKING_FEE_FOR = auto()
    PASS_FOR = auto()
    PASS_SOLD_OUT = auto()
    PASS_START_DAY = auto()


CATALOGUE: Final = Catalogue.load(PaymentText, __name__.rpartition(".")[0])


def text(key: PaymentText, /, **params: object) -> str:
    """``key`` in zh-CN."""
    return CATALOGUE.text(key, **params)


# The reason stored on the refund that gives a double payment back (shown on the refunds page).
DOUBLE_PAYMENT_REFUND: Final[Mapping[DoublePayment, str]] = MappingProxyType(
    {
        DoublePayment.ALREADY_SETTLED: text(PaymentText.REFUND_ALREADY_SETTLED),
        DoublePayment.PAID_AFTER_CLOSE: text(PaymentText.REFUND_PAID_AFTER_CLOSE),
        DoublePayment.SECOND_TRANSACTION: text(PaymentText.REFUND_SECOND_TRANSACTION),
        DoublePayment.SOLD_OUT: text(PaymentText.REFUND_SOLD_OUT),
    }
)
REFUND_SENT: Final = text(PaymentText.REFUND_SENT)
REFUND_WAITS: Final = text(PaymentText.REFUND_WAITS)
REFUND_BY_HAND: Final = text(PaymentText.REFUND_BY_HAND)

# Answers to a driver paying without an account.
ANONYMOUS_NEEDS_TOKEN: Final = text(PaymentText.ANONYMOUS_NEEDS_TOKEN)
STAY_TOKEN_INVALID: Final = text(PaymentText.STAY_TOKEN_INVALID)
RATE_LIMITED: Final = text(PaymentText.RATE_LIMITED)
STAY_ENDED: Final = text(PaymentText.STAY_ENDED)

# What the payer's wallet shows as the thing bought.
PARKING_FEE: Final = text(PaymentText.PARKING_FEE)


def double_payment_alarm(amount: str, out_trade_no: str, action: str) -> str:
    """The finance alarm's message: ``amount`` in yuan, ``action`` one of the REFUND_* texts."""
    return text(PaymentText.DOUBLE_PAYMENT_ALARM, amount=amount, out_trade_no=out_trade_no, action=action)


def parking_fee_for(plate: str) -> str:
    """The order's description at the channel: the fee and the plate it is for."""
    return text(PaymentText.PARKING_FEE_FOR, plate=plate)


def pass_for(product: str, plate: str) -> str:
    """A pass order's description at the channel: the product and the plate it is for."""
    return text(PaymentText.PASS_FOR, product=product, plate=plate)


# Answers to a buyer of an off-peak pass.
PASS_SOLD_OUT: Final = text(PaymentText.PASS_SOLD_OUT)


def pass_start_day(days: int) -> str:
    return text(PaymentText.PASS_START_DAY, days=days)
