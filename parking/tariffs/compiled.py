"""Precompile a Tariff document into plain slotted objects so the quote loop never touches pydantic."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from parking.tariffs.document import (
    Calendar,
    Caps,
    ClassTariff,
    NewEnergyOverlay,
    PerEntryRule,
    Period,
    Tariff,
    TimedRule,
)

DAY_S = 86_400
# A cache of one entry per local date quoted; a bound keeps a long-running process from growing forever.
_DAY_CACHE_LIMIT = 20_000


class InvalidTariff(ValueError):
    """A tariff document that cannot be priced; ``problems`` lists (path, reason)."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        text = "; ".join(f"{path}: {reason}" for path, reason in problems)
        super().__init__(f"invalid tariff: {text}")
        self.problems = problems


def scale(fen: int, percent: int) -> int:
    """``fen`` times ``percent``/100, half-up, in integers."""
    return (fen * percent + 50) // 100


@dataclass(frozen=True, slots=True, eq=False)
class CPeriod:
    name: str
    unit_s: int
    price: int
    flat: int | None


@dataclass(slots=True, eq=False)
class CTimed:
    free_s: int
    free_from_start: bool
    free_repeat: bool
    first_s: int
    first_price: int
    first_repeat: bool
    whole_stay: bool
    drop_partial: bool
    workday: tuple[tuple[int, int, CPeriod], ...]
    holiday: tuple[tuple[int, int, CPeriod], ...]
    calendar_day_caps: bool
    caps: tuple[int, ...]
    full_day_cap: int | None
    # The second cap (other basis) or None; most tariffs have one cap and take the faster path.
    second: CCaps | None = None
    days: dict[int, tuple[tuple[int, CPeriod], ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, eq=False)
class CCaps:
    calendar_day: bool
    caps: tuple[int, ...]
    full_day_cap: int | None

    def cap(self, day: int) -> int | None:
        """The cap of cap day ``day`` (0 = first), the escalating value and the full-day cap together."""
        values = [] if not self.caps else [self.caps[day if day < len(self.caps) else -1]]
        if self.full_day_cap is not None:
            values.append(self.full_day_cap)
        return min(values) if values else None


@dataclass(frozen=True, slots=True, eq=False)
class CPerEntry:
    free_s: int
    price: int
    each_24h: bool
    once_per_24h: bool


@dataclass(slots=True, eq=False)
class CompiledTariff:
    name: str
    version: int
    timezone: str
    tz: ZoneInfo
    # By class name: the built-in classes and the ones the tariff declares.
    rules: dict[str, CTimed | CPerEntry]
    # By exemption kind (a stay category is looked up here too: their values are kinds).
    exempt: dict[str, str]
    ne_extra_free_s: int
    ne_discount_percent: int
    ne_colors: frozenset[str]
    round_step: int
    round_mode: str
    holidays: frozenset[int]
    workdays: frozenset[int]
    weekend: frozenset[int]
    # The document compiled; model_copy() copies the private cache, so the cache checks it is its own.
    source: object = None

    def is_holiday(self, ordinal: int) -> bool:
        if ordinal in self.holidays:
            return True
        if ordinal in self.workdays:
            return False
        # date.fromordinal(1) is a Monday, so (ordinal - 1) % 7 is the weekday with 0 = Monday.
        return (ordinal - 1) % 7 in self.weekend

    def day_schedule(self, rule: CTimed, ordinal: int) -> tuple[tuple[int, CPeriod], ...]:
        """(unix second, period) starts for one local date; the first entry is that date's midnight."""
        cached = rule.days.get(ordinal)
        if cached is not None:
            return cached
        d = date.fromordinal(ordinal)
        sched = rule.holiday if self.is_holiday(ordinal) else rule.workday
        tz = self.tz
        # Wall-clock conversion per boundary (not midnight + offset) keeps periods right on DST days.
        out = tuple((int(datetime(d.year, d.month, d.day, h, m, tzinfo=tz).timestamp()), per) for h, m, per in sched)
        if len(rule.days) >= _DAY_CACHE_LIMIT:
            rule.days.clear()
        rule.days[ordinal] = out
        return out


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def _schedule(
    periods: list[Period], percent: int, known: dict[tuple[str, int, int, int | None], CPeriod]
) -> tuple[tuple[int, int, CPeriod], ...]:
    """Period starts within one day as (hour, minute, period), beginning with the one in force at 00:00.

    Identical periods share one object across workday and holiday schedules, so a stay crossing midnight
    into a different day type stays in one segment when the price does not change.
    """
    starts: list[tuple[int, CPeriod]] = []
    for p in periods:
        unit_s = (p.unit_minutes or 0) * 60
        price = scale(p.unit_price_fen or 0, percent)
        flat = None if p.flat_fen is None else scale(p.flat_fen, percent)
        key = (p.name, unit_s, price, flat)
        cp = known.get(key) or known.setdefault(key, CPeriod(p.name, unit_s, price, flat))
        s, e = _minutes(p.start), _minutes(p.end)
        starts.append((s, cp))
        if e <= s and e != 0:
            # Wraps past midnight: it is also in force from 00:00.
            starts.append((0, cp))
    starts.sort(key=lambda item: item[0])
    return tuple((m // 60, m % 60, cp) for m, cp in starts)


def _caps(caps: Caps, rule: TimedRule, workday: tuple[tuple[int, int, CPeriod], ...], percent: int) -> CCaps:
    full_day_cap: int | None = None
    if caps.full_day_hours is not None:
        name = caps.full_day_rate_period or rule.periods[0].name
        per = next(p for _h, _m, p in workday if p.name == name)
        full_day_cap = per.price * 3600 * caps.full_day_hours // per.unit_s
    return CCaps(caps.basis == "calendar_day", tuple(scale(c, percent) for c in caps.daily_fen), full_day_cap)


def _timed(rule: TimedRule, percent: int) -> CTimed:
    known: dict[tuple[str, int, int, int | None], CPeriod] = {}
    workday = _schedule(rule.periods, percent, known)
    holiday = workday if rule.holiday_periods is None else _schedule(rule.holiday_periods, percent, known)
    caps = None if rule.caps is None else _caps(rule.caps, rule, workday, percent)
    second = None if rule.second_caps is None else _caps(rule.second_caps, rule, workday, percent)
    first = rule.first_period
    return CTimed(
        free_s=rule.free.minutes * 60,
        free_from_start=rule.free.mode == "charge_from_start",
        free_repeat=not rule.free.first_24h_only and rule.free.minutes > 0,
        first_s=0 if first is None else first.minutes * 60,
        first_price=0 if first is None else scale(first.price_fen, percent),
        first_repeat=first is not None and not first.first_24h_only,
        whole_stay=rule.unit_rounding == "whole_stay",
        drop_partial=rule.partial_unit == "drop",
        workday=workday,
        holiday=holiday,
        calendar_day_caps=caps is not None and caps.calendar_day,
        caps=() if caps is None else caps.caps,
        full_day_cap=None if caps is None else caps.full_day_cap,
        second=second,
    )


def _rule(classes: dict[str, ClassTariff], vc: str) -> CTimed | CPerEntry:
    percent = 100
    seen: set[str] = set()
    ct = classes[vc]
    while ct.rule is None:
        if ct.same_as is None or ct.same_as in seen or ct.same_as not in classes:
            raise InvalidTariff([(f"classes.{vc}", "no rule and no valid same_as")])
        seen.add(ct.same_as)
        percent = percent * ct.multiplier_percent // 100
        ct = classes[ct.same_as]
    rule = ct.rule
    if isinstance(rule, PerEntryRule):
        return CPerEntry(
            free_s=rule.free.minutes * 60,
            price=scale(rule.price_fen, percent),
            each_24h=rule.charge_each_24h,
            once_per_24h=rule.no_second_charge_within_24h,
        )
    return _timed(rule, percent)


def _overlay(ne: NewEnergyOverlay | None) -> tuple[int, int, frozenset[str]]:
    if ne is None:
        return 0, 0, frozenset()
    return ne.extra_free_minutes * 60, ne.discount_percent, frozenset(str(c) for c in ne.plate_colors)


def _calendar(cal: Calendar) -> tuple[frozenset[int], frozenset[int], frozenset[int]]:
    return (
        frozenset(d.toordinal() for d in cal.holidays),
        frozenset(d.toordinal() for d in cal.workdays),
        frozenset(cal.weekend_days),
    )


def compile_tariff(tariff: Tariff) -> CompiledTariff:
    """Compile (and cache on the document) a validated tariff; raises InvalidTariff if it has problems."""
    cached = tariff._compiled
    if isinstance(cached, CompiledTariff) and cached.source is tariff:
        return cached
    from parking.tariffs.validation import tariff_problems

    problems = tariff_problems(tariff)
    if problems:
        raise InvalidTariff([(p.path, p.reason) for p in problems])
    rules = {vc: _rule(tariff.classes, vc) for vc in tariff.classes}
    ne_free, ne_discount, ne_colors = _overlay(tariff.new_energy)
    holidays, workdays, weekend = _calendar(tariff.calendar)
    compiled = CompiledTariff(
        name=tariff.name,
        version=tariff.version,
        timezone=tariff.timezone,
        tz=ZoneInfo(tariff.timezone),
        rules=rules,
        exempt={str(kind): text for kind, text in tariff.exempt.items()},
        ne_extra_free_s=ne_free,
        ne_discount_percent=ne_discount,
        ne_colors=ne_colors,
        round_step={"fen": 1, "jiao": 10, "yuan": 100}[tariff.rounding.unit],
        round_mode=tariff.rounding.mode,
        holidays=holidays,
        workdays=workdays,
        weekend=weekend,
        source=tariff,
    )
    tariff._compiled = compiled
    return compiled
