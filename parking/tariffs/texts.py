"""Breakdown labels a driver reads on a quote or bill (zh-CN): the ones built from numbers live here."""

from __future__ import annotations

_TO = "至"


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
