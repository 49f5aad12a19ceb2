"""What a driver of the mini-program reads: typed keys into the drivers catalogue (``texts.zh_CN.toml``,
``texts.en.toml``)."""

from __future__ import annotations

from enum import StrEnum, auto
from typing import Final

from parking.common.catalogue import Catalogue
from parking.common.errors import DomainError, ErrorCode


class DriverText(StrEnum):
    LOGIN_NEEDED = auto()
    PLATE_INVALID = auto()
    PLATE_LIMIT = auto()
    PLATE_BOUND_ELSEWHERE = auto()
    PLATE_NOT_BOUND = auto()
    NOT_PROVEN = auto()
    RATE_LIMITED = auto()
    LOGIN_CODE_REFUSED = auto()
    LOGIN_UNAVAILABLE = auto()
    # Subscribe messages (the values of a template's keywords).
    PAID_AMOUNT = auto()
    # lotsNearby's arguments.
    LATITUDE_INVALID = auto()
    LONGITUDE_INVALID = auto()
    RADIUS_INVALID = auto()


CATALOGUE: Final = Catalogue.load(DriverText, __name__.rpartition(".")[0])


def text(key: DriverText, /, **params: object) -> str:
    """``key`` in zh-CN."""
    return CATALOGUE.text(key, **params)


def refuse(code: ErrorCode, key: DriverText, field: str | None = None, **params: object) -> DomainError:
    return DomainError(code, text(key, **params), field)
