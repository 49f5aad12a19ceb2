"""What a driver or operator reads about a parking code: typed keys into the codes catalogue
(``texts.zh_CN.toml``, ``texts.en.toml``)."""

from __future__ import annotations

from enum import StrEnum, auto
from typing import Final

from parking.common.catalogue import Catalogue
from parking.merchants.models import CodeKind


class CodeText(StrEnum):
    # Refusals of a scanned code.
    INVALID = auto()
    REPLACED = auto()
    REVOKED = auto()
    EXPIRED = auto()
    NOT_YET_VALID = auto()
    USED_UP = auto()
    OTHER_LOT = auto()
    PLATE_NEEDED = auto()
    PLATE_INVALID = auto()
    STOCK_EMPTY = auto()
    OFFER_ENDED = auto()
    ALREADY_REGISTERED = auto()
    PLATE_DAILY_LIMIT = auto()
    NO_STAY_HERE = auto()
    DRIVER_LOGIN_NEEDED = auto()
    RATE_LIMITED = auto()
    # Refusals of making a code.
    LANE_NEEDED = auto()
    LANE_WRONG_DIRECTION = auto()
    MERCHANT_NEEDED = auto()
    TEMPLATE_NEEDED = auto()
    TEMPLATE_OTHER_LOT = auto()
    COUNT_NEEDED = auto()
    WINDOW_INVALID = auto()
    # The kinds as printed on a sheet.
    KIND_NO_PLATE = auto()
    KIND_EXIT = auto()
    KIND_IN_LOT = auto()
    KIND_MERCHANT = auto()
    KIND_CONFERENCE = auto()
    KIND_VIP = auto()
    # The lines of a printed sheet.
    SHEET_TITLE = auto()
    SHEET_VALID_UNTIL = auto()
    SHEET_SCAN_HINT = auto()


CATALOGUE: Final = Catalogue.load(CodeText, __name__.rpartition(".")[0])

_KIND_TEXT: Final = {
    CodeKind.NO_PLATE: CodeText.KIND_NO_PLATE,
    CodeKind.EXIT: CodeText.KIND_EXIT,
    CodeKind.IN_LOT: CodeText.KIND_IN_LOT,
    CodeKind.MERCHANT: CodeText.KIND_MERCHANT,
    CodeKind.CONFERENCE: CodeText.KIND_CONFERENCE,
    CodeKind.VIP: CodeText.KIND_VIP,
}


def text(key: CodeText, /, **params: object) -> str:
    """``key`` in zh-CN."""
    return CATALOGUE.text(key, **params)


def kind_name(kind: CodeKind) -> str:
    """The kind's Chinese name (无牌码, 出口码...)."""
    return CATALOGUE.text(_KIND_TEXT[kind])
