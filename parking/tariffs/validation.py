"""Check a tariff document and report every problem as (field path, reason) for the API to show."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ValidationError

from parking.tariffs.compiled import InvalidTariff
from parking.tariffs.document import Caps, ClassTariff, Period, Tariff, TimedRule, VehicleClass

DAY_MIN = 1440


@dataclass(frozen=True, slots=True)
class TariffProblem:
    path: str
    reason: str


def _minute(t: time) -> int:
    return t.hour * 60 + t.minute


def _period_problems(periods: list[Period], path: str) -> list[TariffProblem]:
    out: list[TariffProblem] = []
    if not periods:
        return [TariffProblem(path, "at least one period is required")]
    covered = [0] * DAY_MIN
    names: set[str] = set()
    for i, p in enumerate(periods):
        at = f"{path}[{i}]"
        if p.name in names:
            out.append(TariffProblem(f"{at}.name", f"duplicate period name {p.name!r}"))
        names.add(p.name)
        if p.start.second or p.end.second:
            out.append(TariffProblem(at, "period bounds must be whole minutes"))
        units = p.unit_minutes is not None and p.unit_price_fen is not None
        if units == (p.flat_fen is not None):
            out.append(TariffProblem(at, "give either unit_minutes with unit_price_fen, or flat_fen"))
        elif p.flat_fen is None and (p.unit_minutes is None) != (p.unit_price_fen is None):
            out.append(TariffProblem(at, "unit_minutes and unit_price_fen go together"))
        s, e = _minute(p.start), _minute(p.end)
        length = (e - s) % DAY_MIN or DAY_MIN
        for k in range(length):
            covered[(s + k) % DAY_MIN] += 1
    overlap = next((m for m, c in enumerate(covered) if c > 1), None)
    gap = next((m for m, c in enumerate(covered) if c == 0), None)
    if overlap is not None:
        out.append(TariffProblem(path, f"periods overlap at {overlap // 60:02d}:{overlap % 60:02d}"))
    if gap is not None:
        out.append(TariffProblem(path, f"periods leave a gap at {gap // 60:02d}:{gap % 60:02d}"))
    return out


def _max_unit_price(rule: TimedRule) -> int:
    prices = [p.unit_price_fen or 0 for p in rule.periods + (rule.holiday_periods or [])]
    prices += [p.flat_fen or 0 for p in rule.periods + (rule.holiday_periods or [])]
    return max(prices, default=0)


def _cap_problems(rule: TimedRule, caps: Caps, path: str) -> list[TariffProblem]:
    out: list[TariffProblem] = []
    top = _max_unit_price(rule)
    first = 0 if rule.first_period is None else rule.first_period.price_fen
    for i, cap in enumerate(caps.daily_fen):
        if cap < top:
            out.append(TariffProblem(f"{path}.daily_fen[{i}]", f"cap {cap} is below a unit price {top}"))
        if cap < first:
            out.append(TariffProblem(f"{path}.daily_fen[{i}]", f"cap {cap} is below the first period {first}"))
        if i and cap < caps.daily_fen[i - 1]:
            out.append(TariffProblem(f"{path}.daily_fen[{i}]", "escalating caps must not decrease"))
    if caps.full_day_hours is not None:
        name = caps.full_day_rate_period or (rule.periods[0].name if rule.periods else "")
        per = next((p for p in rule.periods if p.name == name), None)
        if per is None or per.unit_minutes is None or per.unit_price_fen is None:
            out.append(TariffProblem(f"{path}.full_day_rate_period", f"no unit-priced period {name!r}"))
        elif (per.unit_price_fen * 60) % per.unit_minutes:
            out.append(TariffProblem(f"{path}.full_day_rate_period", "hourly rate is not a whole fen"))
        elif caps.full_day_hours > 24:
            out.append(TariffProblem(f"{path}.full_day_hours", "more than 24 hours"))
    elif caps.full_day_rate_period is not None:
        out.append(TariffProblem(f"{path}.full_day_rate_period", "only meaningful with full_day_hours"))
    if not caps.daily_fen and caps.full_day_hours is None:
        out.append(TariffProblem(path, "caps without daily_fen or full_day_hours"))
    return out


def _second_cap_problems(rule: TimedRule, second: Caps, path: str) -> list[TariffProblem]:
    if rule.caps is None:
        return [TariffProblem(path, "second_caps needs caps")]
    if second.basis == rule.caps.basis:
        return [TariffProblem(f"{path}.basis", f"must differ from caps.basis ({rule.caps.basis})")]
    return _cap_problems(rule, second, path)


def _rule_problems(ct: ClassTariff, classes: dict[str, ClassTariff], path: str) -> list[TariffProblem]:
    if ct.rule is None:
        if ct.same_as is None:
            return [TariffProblem(path, "give a rule or same_as")]
        seen = {ct.same_as}
        target = classes.get(ct.same_as)
        while target is not None and target.rule is None and target.same_as is not None:
            if target.same_as in seen:
                return [TariffProblem(f"{path}.same_as", "same_as forms a cycle")]
            seen.add(target.same_as)
            target = classes.get(target.same_as)
        if target is None or target.rule is None:
            return [TariffProblem(f"{path}.same_as", f"class {ct.same_as} has no rule")]
        return []
    if ct.same_as is not None:
        return [TariffProblem(path, "give a rule or same_as, not both")]
    rule = ct.rule
    rp = f"{path}.rule"
    out: list[TariffProblem] = []
    if rule.free.minutes >= DAY_MIN:
        out.append(TariffProblem(f"{rp}.free.minutes", "free time must be under 24 hours"))
    if isinstance(rule, TimedRule):
        out += _period_problems(rule.periods, f"{rp}.periods")
        if rule.holiday_periods is not None:
            out += _period_problems(rule.holiday_periods, f"{rp}.holiday_periods")
        if rule.first_period is not None and rule.first_period.minutes >= DAY_MIN:
            out.append(TariffProblem(f"{rp}.first_period.minutes", "first period must be under 24 hours"))
        if rule.caps is not None:
            out += _cap_problems(rule, rule.caps, f"{rp}.caps")
        if rule.second_caps is not None:
            out += _second_cap_problems(rule, rule.second_caps, f"{rp}.second_caps")
    return out


def tariff_problems(tariff: Tariff) -> list[TariffProblem]:
    """Semantic problems of a well-typed document (empty when it can be priced)."""
    out: list[TariffProblem] = []
    try:
        ZoneInfo(tariff.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        out.append(TariffProblem("timezone", f"unknown time zone {tariff.timezone!r}"))
    if not tariff.classes:
        out.append(TariffProblem("classes", "at least one vehicle class is required"))
    elif VehicleClass.SMALL not in tariff.classes:
        out.append(TariffProblem("classes", "small is required: unlisted classes are priced as small"))
    for vc, ct in tariff.classes.items():
        out += _rule_problems(ct, tariff.classes, f"classes.{vc}")
    both = set(tariff.calendar.holidays) & set(tariff.calendar.workdays)
    for d in sorted(both):
        out.append(TariffProblem("calendar", f"{d} is both a holiday and a make-up workday"))
    for cat, reason in tariff.exempt.items():
        if not reason.strip():
            out.append(TariffProblem(f"exempt.{cat}", "an exemption needs a reason"))
    return out


def _loc_path(loc: tuple[int | str, ...]) -> str:
    """Pydantic's error location in the same form as our own paths: ``a.b[0].c``, rule tags left out."""
    out = ""
    for i, part in enumerate(loc):
        if isinstance(part, int):
            out += f"[{part}]"
        elif i and loc[i - 1] == "rule" and part in ("timed", "per_entry"):
            continue
        else:
            out += f".{part}" if out else part
    return out or "(document)"


def validate_tariff(doc: Tariff | Mapping[str, Any]) -> list[TariffProblem]:
    """Every problem in ``doc`` (a Tariff or its JSON form), as field path and reason; empty if valid."""
    if isinstance(doc, Tariff):
        return tariff_problems(doc)
    try:
        tariff = Tariff.model_validate(doc)
    except ValidationError as exc:
        return [TariffProblem(_loc_path(err["loc"]), err["msg"]) for err in exc.errors()]
    return tariff_problems(tariff)


def parse_tariff(doc: Mapping[str, Any] | str) -> Tariff:
    """A valid Tariff from its JSON form (dict or text), or InvalidTariff listing every problem."""
    try:
        tariff = Tariff.model_validate_json(doc) if isinstance(doc, str) else Tariff.model_validate(doc)
    except ValidationError as exc:
        raise InvalidTariff([(_loc_path(err["loc"]), err["msg"]) for err in exc.errors()]) from exc
    problems = tariff_problems(tariff)
    if problems:
        raise InvalidTariff([(p.path, p.reason) for p in problems])
    return tariff
