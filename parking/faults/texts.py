"""What a lot's staff read when a fault photo is refused: typed keys into the faults catalogue
(``texts.zh_CN.toml``, ``texts.en.toml``)."""

from __future__ import annotations

from enum import StrEnum, auto
from typing import Final

from parking.common.catalogue import Catalogue


class FaultText(StrEnum):
    LOGIN_NEEDED = auto()
    PERMISSION_DENIED = auto()
    TICKET_NOT_FOUND = auto()
    PHOTO_MISSING = auto()
    PHOTO_NOT_AN_IMAGE = auto()
    PHOTO_TOO_LARGE = auto()
    PHOTO_LIMIT = auto()
    PHOTO_STORE_UNAVAILABLE = auto()


CATALOGUE: Final = Catalogue.load(FaultText, __name__.rpartition(".")[0])


def text(key: FaultText, /, **params: object) -> str:
    """``key`` in zh-CN."""
    return CATALOGUE.text(key, **params)
