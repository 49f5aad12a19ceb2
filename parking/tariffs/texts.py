"""Breakdown labels a driver reads on a quote or bill, and exemption reasons: typed keys into the tariffs catalogue.

The words live in ``texts.zh_CN.toml``; this module only picks the key and fills in the numbers.
"""

from __future__ import annotations

from enum import StrEnum, auto
from functools import cache
from typing import Final

from parking.common.catalogue import Catalogue


class TariffText(StrEnum):
    FREE = auto()
    FREE_THEN_FROM_START = auto()
    WITHIN_FREE = auto()
    FIRST_PERIOD = auto()
    PER_ENTRY = auto()
    CHARGED_WITHIN_24H = auto()
    ROUNDING = auto()
    PAID = auto()
    NOT_ABOVE_ONE_VERSION = auto()
    NEW_ENERGY_DISCOUNT = auto()
    TARIFF_VERSION = auto()
    DAY_CAP = auto()
    CALENDAR_DAY_CAP = auto()
    ROLLING_DAY_CAP = auto()
    SPAN_JOINER = auto()
    # Why a stay is free, by parking.tariffs.exemptions.ExemptKind (the key is "exempt_" + the kind's value).
    EXEMPT_MONTHLY = auto()
    EXEMPT_EXEMPT = auto()
    EXEMPT_EMERGENCY = auto()
    EXEMPT_MILITARY = auto()
    EXEMPT_POLICE = auto()
    EXEMPT_FIRE = auto()
    EXEMPT_AMBULANCE = auto()
    EXEMPT_DISASTER_RELIEF = auto()
    EXEMPT_MUNICIPAL_REPAIR = auto()
    EXEMPT_SANITATION = auto()
    EXEMPT_FUNERAL = auto()
    EXEMPT_DISABLED = auto()
    EXEMPT_SCHOOL_BUS = auto()
    # A tariff in one line (parking.tariffs.summary): a lot's card in the mini-program.
    SUMMARY_MINUTES = auto()
    SUMMARY_HOURS = auto()
    SUMMARY_FREE = auto()
    SUMMARY_FIRST = auto()
    SUMMARY_EVERY = auto()
    SUMMARY_PERIOD_EVERY = auto()
    SUMMARY_PERIOD_FLAT = auto()
    SUMMARY_PER_ENTRY = auto()
    SUMMARY_DAY_CAP = auto()
    SUMMARY_JOINER = auto()


CATALOGUE: Final = Catalogue.load(TariffText, __name__.rpartition(".")[0])


def text(key: TariffText, /, **params: object) -> str:
    """``key`` in zh-CN, the bills' language."""
    return CATALOGUE.text(key, **params)


FREE: Final = text(TariffText.FREE)
FREE_THEN_FROM_START: Final = text(TariffText.FREE_THEN_FROM_START)
WITHIN_FREE: Final = text(TariffText.WITHIN_FREE)
FIRST_PERIOD: Final = text(TariffText.FIRST_PERIOD)
PER_ENTRY: Final = text(TariffText.PER_ENTRY)
CHARGED_WITHIN_24H: Final = text(TariffText.CHARGED_WITHIN_24H)
ROUNDING: Final = text(TariffText.ROUNDING)
PAID: Final = text(TariffText.PAID)
NOT_ABOVE_ONE_VERSION: Final = text(TariffText.NOT_ABOVE_ONE_VERSION)

_TO = text(TariffText.SPAN_JOINER)


@cache  # a handful of distinct labels, built on every capped quote
def new_energy_discount(percent: int) -> str:
    return text(TariffText.NEW_ENERGY_DISCOUNT, percent=percent)


def tariff_version(name: str, version: int) -> str:
    """The part of a split stay priced by a later version."""
    return text(TariffText.TARIFF_VERSION, name=name, version=version)


@cache  # a handful of distinct labels, built on every capped quote
def day_cap(day: int) -> str:
    """The cap of cap day ``day`` (0 = first) of a tariff's ``caps``."""
    return text(TariffText.DAY_CAP, day=day + 1)


@cache  # a handful of distinct labels, built on every capped quote
def second_cap(day: int, calendar_day: bool) -> str:
    """The cap of day ``day`` of a tariff's ``second_caps``, named by its basis."""
    return text(TariffText.CALENDAR_DAY_CAP if calendar_day else TariffText.ROLLING_DAY_CAP, day=day + 1)


def span(first: str, last: str) -> str:
    """One line standing for a run of lines from ``first`` to ``last`` (a long stay collapsed)."""
    return first if first == last else f"{first}{_TO}{last}"


def span_ends(label: str) -> tuple[str, str]:
    """The first and last label of a ``span`` (a label that is not one: itself twice)."""
    first, sep, last = label.partition(_TO)
    return (first, last) if sep else (label, label)


def exempt_reason(kind: str) -> str:
    """The bill's reason for exemption kind ``kind`` (an ``ExemptKind`` value)."""
    return text(TariffText(f"exempt_{kind}"))
