"""A tariff in one short zh-CN line for a driver choosing a lot: 免费15分钟，首1小时5元，每30分钟1元，每日封顶30元.

Small cars' rule (the one most drivers pay), its first daily cap; the full rules stay in ``quoteFee``.
"""

from __future__ import annotations

from parking.tariffs.document import ClassTariff, PerEntryRule, Tariff, TimedRule
from parking.tariffs.texts import TariffText, text

_SMALL = "small"
# A rule that names too many periods is cut: the line is a hint, not the tariff.
_MAX_PERIODS = 2


def _yuan(fen: int) -> str:
    whole, cents = divmod(fen, 100)
    return str(whole) if cents == 0 else f"{whole}.{cents:02d}".rstrip("0")


def _duration(minutes: int) -> str:
    if minutes % 60 == 0:
        return text(TariffText.SUMMARY_HOURS, hours=minutes // 60)
    return text(TariffText.SUMMARY_MINUTES, minutes=minutes)


def _rule_of(tariff: Tariff) -> tuple[TimedRule | PerEntryRule | None, int]:
    """The small cars' rule and the percent its prices are multiplied by (``same_as``)."""
    entry: ClassTariff | None = tariff.classes.get(_SMALL) or next(iter(tariff.classes.values()), None)
    percent = 100
    seen = 0
    while entry is not None and entry.rule is None and entry.same_as is not None and seen < len(tariff.classes):
        percent = percent * entry.multiplier_percent // 100
        entry = tariff.classes.get(entry.same_as)
        seen += 1
    return (entry.rule if entry is not None else None), percent


def tariff_summary(tariff: Tariff) -> str:
    rule, percent = _rule_of(tariff)
    if rule is None:
        return ""

    def fen(value: int) -> str:
        return _yuan(value * percent // 100)

    parts: list[str] = []
    if rule.free.minutes:
        parts.append(text(TariffText.SUMMARY_FREE, duration=_duration(rule.free.minutes)))
    if isinstance(rule, PerEntryRule):
        parts.append(text(TariffText.SUMMARY_PER_ENTRY, yuan=fen(rule.price_fen)))
        return text(TariffText.SUMMARY_JOINER).join(parts)
    if rule.first_period is not None:
        first = rule.first_period
        parts.append(text(TariffText.SUMMARY_FIRST, duration=_duration(first.minutes), yuan=fen(first.price_fen)))
    named = len(rule.periods) > 1
    for period in rule.periods[:_MAX_PERIODS]:
        if period.unit_minutes is not None and period.unit_price_fen is not None:
            duration, price = _duration(period.unit_minutes), fen(period.unit_price_fen)
            parts.append(
                text(TariffText.SUMMARY_PERIOD_EVERY, period=period.name, duration=duration, yuan=price)
                if named
                else text(TariffText.SUMMARY_EVERY, duration=duration, yuan=price)
            )
        elif period.flat_fen is not None:
            parts.append(text(TariffText.SUMMARY_PERIOD_FLAT, period=period.name, yuan=fen(period.flat_fen)))
    if rule.caps is not None and rule.caps.daily_fen:
        parts.append(text(TariffText.SUMMARY_DAY_CAP, yuan=fen(rule.caps.daily_fen[0])))
    return text(TariffText.SUMMARY_JOINER).join(parts)
