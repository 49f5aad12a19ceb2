"""User-visible merchant texts: typed keys into the merchants catalogue (``texts.zh_CN.toml``).

Keys come in blocks, one per part of the merchants' work, so parts written apart merge without conflicts.
"""

from __future__ import annotations

from enum import StrEnum, auto
from typing import Final

from parking.common.catalogue import Catalogue


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


CATALOGUE: Final = Catalogue.load(MerchantText, __name__.rpartition(".")[0])


def text(key: MerchantText, /, **params: object) -> str:
    """``key`` in zh-CN."""
    return CATALOGUE.text(key, **params)
