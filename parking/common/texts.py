"""Texts of the platform itself (not of one domain): typed keys into ``texts.zh_CN.toml`` and ``texts.en.toml``."""

from __future__ import annotations

from enum import StrEnum, auto
from typing import Final

from parking.common.catalogue import Catalogue


class CommonText(StrEnum):
    EVENTS_UNAVAILABLE = auto()


CATALOGUE: Final = Catalogue.load(CommonText, __name__.rpartition(".")[0])


def text(key: CommonText, /, **params: object) -> str:
    return CATALOGUE.text(key, **params)
