"""What a manager reads when a retention setting is refused: typed keys into the retention catalogue
(``texts.zh_CN.toml``, ``texts.en.toml``)."""

from __future__ import annotations

from enum import StrEnum, auto
from typing import Final

from parking.common.catalogue import Catalogue


class RetentionText(StrEnum):
    IMAGE_DAYS_TOO_SHORT = auto()
    RECORD_DAYS_TOO_SHORT = auto()
    DAYS_TOO_LONG = auto()
    IMAGES_OUTLIVE_RECORDS = auto()
    IMAGES_UNAVAILABLE = auto()


CATALOGUE: Final = Catalogue.load(RetentionText, __name__.rpartition(".")[0])


def text(key: RetentionText, /, **params: object) -> str:
    """``key`` in zh-CN."""
    return CATALOGUE.text(key, **params)
