"""Breakdown labels a driver reads on a quote or bill (zh-CN), in one place."""

from __future__ import annotations

from typing import Final

FREE: Final = "免费时长"
FREE_THEN_FROM_START: Final = "免费时长(超时从入场起计费)"
WITHIN_FREE: Final = "免费时长内"
FIRST_PERIOD: Final = "首段"
PER_ENTRY: Final = "按次收费"
CHARGED_WITHIN_24H: Final = "24小时内已收费"
ROUNDING: Final = "取整"
PAID: Final = "已付"
NOT_ABOVE_ONE_VERSION: Final = "不超过按单一版本计费"

_TO = "至"


def new_energy_discount(percent: int) -> str:
    return f"新能源优惠{percent}%"


def tariff_version(name: str, version: int) -> str:
    """The part of a split stay priced by a later version."""
    return f"{name} 第{version}版"


def day_cap(day: int) -> str:
    """The cap of cap day ``day`` (0 = first) of a tariff's ``caps``."""
    return f"第{day + 1}天封顶"


def second_cap(day: int, calendar_day: bool) -> str:
    """The cap of day ``day`` of a tariff's ``second_caps``, named by its basis."""
    return f"第{day + 1}个自然日封顶" if calendar_day else f"第{day + 1}个24小时封顶"


def span(first: str, last: str) -> str:
    """One line standing for a run of lines from ``first`` to ``last`` (a long stay collapsed)."""
    return first if first == last else f"{first}{_TO}{last}"


def span_ends(label: str) -> tuple[str, str]:
    """The first and last label of a ``span`` (a label that is not one: itself twice)."""
    first, sep, last = label.partition(_TO)
    return (first, last) if sep else (label, label)
