"""Keep a long stay's breakdown short: identical consecutive days become one line with a count.

A stay of years would otherwise list every day's units and cap (thousands of lines, megabytes of JSON). Lines
keep their meaning when merged: ``amount_fen`` and ``units`` are totals, ``repeat`` says how many lines one
stands for, ``start_s``/``end_s`` span them all; so the lines still sum to what is due, to the fen.
"""

from __future__ import annotations

from collections.abc import Sequence

from parking.tariffs import texts
from parking.tariffs.compiled import DAY_S
from parking.tariffs.stay import LineKind, QuoteLine

# A breakdown longer than this is collapsed; after collapsing it is at most about this long.
MAX_LINES = 100

# Lines that belong to one day of the stay (their ``day`` field); the others (discount, rounding, payments...)
# are about the whole stay and are never merged.
_DAY_KINDS = frozenset({LineKind.FREE, LineKind.FIRST_PERIOD, LineKind.UNITS, LineKind.FLAT, LineKind.CAP})

_DST_S = 3600

_Signature = tuple[tuple[LineKind, str, int, int, int, int, int, int], ...]


def _label(ln: QuoteLine) -> str:
    # A cap line names its day (第3天封顶): caps of different days are still the same item.
    return "" if ln.kind is LineKind.CAP else ln.label


def _signature(block: Sequence[QuoteLine]) -> _Signature:
    """What makes two days' lines the same: everything but where the day starts (and a cap's day number)."""
    base = block[0].start_s
    return tuple(
        (ln.kind, _label(ln), ln.amount_fen, ln.units, ln.unit_minutes, ln.rate_fen, ln.start_s - base, ln.end_s - base)
        for ln in block
    )


def _blocks(lines: Sequence[QuoteLine]) -> list[list[QuoteLine]]:
    """Runs of lines of one kind group and one day; every other line is a block of its own."""
    out: list[list[QuoteLine]] = []
    for ln in lines:
        last = out[-1][-1] if out else None
        if (
            last is not None
            and ln.kind in _DAY_KINDS
            and last.kind in _DAY_KINDS
            and last.day == ln.day
            and last.repeat == ln.repeat == 1
        ):
            out[-1].append(ln)
        else:
            out.append([ln])
    return out


def _span(first: QuoteLine, last: QuoteLine) -> str:
    if first.kind is not LineKind.CAP:
        return first.label
    return texts.span(texts.span_ends(first.label)[0], texts.span_ends(last.label)[1])


def _merge(run: Sequence[list[QuoteLine]]) -> list[QuoteLine]:
    """Blocks of identical days as one block: each position's line with totals and a count."""
    if len(run) == 1:
        return list(run[0])
    n = len(run)
    first, last = run[0], run[-1]
    return [
        ln._replace(
            label=_span(ln, last[j]),
            amount_fen=ln.amount_fen * n,
            units=ln.units * n,
            end_s=last[j].end_s,
            repeat=n,
        )
        for j, ln in enumerate(first)
    ]


def merge_days(lines: Sequence[QuoteLine]) -> list[QuoteLine]:
    """Merge consecutive days whose lines are identical (same items at the same times of their day)."""
    out: list[QuoteLine] = []
    run: list[list[QuoteLine]] = []
    for block in _blocks(lines):
        if run:
            prev = run[-1]
            same = (
                block[0].kind in _DAY_KINDS
                and block[0].day == prev[0].day + 1
                # A day later (an hour either way: a calendar day across a DST change is 23 or 25 h long).
                and abs(block[0].start_s - prev[0].start_s - DAY_S) <= _DST_S
                and _signature(block) == _signature(prev)
            )
            if same:
                run.append(block)
                continue
            out += _merge(run)
        run = [block]
    if run:
        out += _merge(run)
    return out


def summarise(lines: Sequence[QuoteLine]) -> list[QuoteLine]:
    """One line per item (kind, label, unit and rate) over the whole stay, in order of first appearance."""
    totals: dict[tuple[LineKind, str, int, int], QuoteLine] = {}
    firsts: dict[tuple[LineKind, str, int, int], QuoteLine] = {}
    rest: list[QuoteLine] = []
    for ln in lines:
        if ln.kind not in _DAY_KINDS:
            rest.append(ln)
            continue
        key = (ln.kind, _label(ln), ln.unit_minutes, ln.rate_fen)
        seen = totals.get(key)
        if seen is None:
            totals[key] = ln
            firsts[key] = ln
            continue
        totals[key] = seen._replace(
            label=_span(firsts[key], ln),
            amount_fen=seen.amount_fen + ln.amount_fen,
            units=seen.units + ln.units,
            start_s=min(seen.start_s, ln.start_s),
            end_s=max(seen.end_s, ln.end_s),
            repeat=seen.repeat + ln.repeat,
        )
    return [*totals.values(), *rest]


def collapse(lines: Sequence[QuoteLine], limit: int = MAX_LINES) -> list[QuoteLine]:
    """``lines`` as they are when at most ``limit``; else identical days merged, and if that is still too long,
    one line per item over the whole stay. The amounts always sum to the same total."""
    if len(lines) <= limit:
        return list(lines)
    merged = merge_days(lines)
    return merged if len(merged) <= limit else summarise(merged)
