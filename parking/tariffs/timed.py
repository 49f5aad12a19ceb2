"""The time-based rule: a stay laid out as period runs, charged in whole units per cap day, then capped.

Times are seconds after entry. The stay is cut into runs of one time-of-day period (lot time zone). Units are laid
on a grid that starts where charging starts (after the first period); each unit is priced by the period it starts
in and summed into the piece (cap day) it starts in. With two caps on different day bases the pieces are cut at
the edges of both.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import datetime

from parking.tariffs import texts
from parking.tariffs.compiled import DAY_S, CCaps, CompiledTariff, CPeriod, CTimed
from parking.tariffs.stay import LineKind, QuoteLine

_NO_CAP = 1 << 62
_CHARGE_KINDS = frozenset({LineKind.FIRST_PERIOD, LineKind.UNITS, LineKind.FLAT})
# Line kinds bound once: an enum member looked up per line costs more than a global.
_UNITS_LINE = LineKind.UNITS
_FREE_LINE = LineKind.FREE
_FIRST_PERIOD_LINE = LineKind.FIRST_PERIOD
_FLAT_LINE = LineKind.FLAT
_CAP_LINE = LineKind.CAP
_FREE = texts.FREE
_FIRST_PERIOD = texts.FIRST_PERIOD


# A stay's period runs: where each begins, its period, and where the last ends (the stay's length). Plain tuples,
# not objects: building an object per quote costs more than the rest of a short stay's quote.
_Runs = tuple[list[int], list[CPeriod], int]
# The pieces (cap days) a stay's charges are summed in: where each piece after the first begins, and what has
# been charged in each so far.
_Pieces = tuple[list[int], list[int]]


def charge_timed(
    compiled: CompiledTariff, rule: CTimed, entry_ts: int, duration_s: int, free_s: int, lines: list[QuoteLine]
) -> int:
    """The fee of a time-based rule for a stay of ``duration_s`` from ``entry_ts`` (unix seconds), caps applied;
    its breakdown is added to ``lines``."""
    if duration_s <= free_s:
        lines.append(QuoteLine(_FREE_LINE, texts.WITHIN_FREE, 0, 0, duration_s))
        return 0
    run_starts, run_periods, midnights = _period_runs(compiled, rule, entry_ts, duration_s)
    runs = (run_starts, run_periods, duration_s)
    # Cap days begin at local midnights, or every 24 h from entry.
    cap_day_edges = midnights if rule.calendar_day_caps else list(range(DAY_S, duration_s, DAY_S))
    second = rule.second
    if second is None:
        piece_edges = cap_day_edges
    else:
        # Two caps on different day bases: units are summed per piece between the union of both day edges.
        second_day_edges = midnights if second.calendar_day else list(range(DAY_S, duration_s, DAY_S))
        piece_edges = sorted(set(cap_day_edges) | set(second_day_edges))
    piece_sums = [0] * (len(piece_edges) + 1)
    pieces = (piece_edges, piece_sums)
    for start, end, with_first in _charging_windows(rule, free_s, duration_s, lines):
        if start < end:
            _charge_window(rule, runs, pieces, start, end, with_first, lines)
    if second is None:
        return _apply_caps(rule, piece_sums, cap_day_edges, duration_s, lines)
    return _apply_two_caps(rule, second, pieces, cap_day_edges, second_day_edges, duration_s, lines)


def _period_runs(
    compiled: CompiledTariff, rule: CTimed, entry_ts: int, duration_s: int
) -> tuple[list[int], list[CPeriod], list[int]]:
    """Period runs over [0, duration_s) as (start offsets, periods), and the local midnights inside it."""
    tz = compiled.tz
    first_date = datetime.fromtimestamp(entry_ts, tz).toordinal()
    last_date = datetime.fromtimestamp(entry_ts + duration_s, tz).toordinal()
    run_starts: list[int] = []
    run_periods: list[CPeriod] = []
    midnights: list[int] = []
    # Midnight of the entry's local date is never after entry, so this is replaced before any use.
    in_force = compiled.day_schedule(rule, first_date)[0][1]
    for date_ordinal in range(first_date, last_date + 1):
        schedule = compiled.day_schedule(rule, date_ordinal)
        midnight = schedule[0][0] - entry_ts
        if 0 < midnight < duration_s:
            midnights.append(midnight)
        for starts_at, period in schedule:
            offset = starts_at - entry_ts
            if offset <= 0:
                in_force = period
                continue
            if offset >= duration_s:
                break
            if not run_starts:
                run_starts.append(0)
                run_periods.append(in_force)
            # Runs of the same period object merge (a night period across midnight is one run).
            if period is not run_periods[-1]:
                run_starts.append(offset)
                run_periods.append(period)
    if not run_starts:
        run_starts.append(0)
        run_periods.append(in_force)
    return run_starts, run_periods, midnights


def _charging_windows(
    rule: CTimed, free_s: int, duration_s: int, lines: list[QuoteLine]
) -> list[tuple[int, int, bool]]:
    """Charging windows (start, end, with first period); several only when free/first repeat per 24 h."""
    charged_from = 0 if rule.free_from_start else free_s
    if free_s:
        label = texts.FREE_THEN_FROM_START if rule.free_from_start else _FREE
        lines.append(QuoteLine(_FREE_LINE, label, 0, 0, free_s))
    has_first = rule.first_s > 0
    if not (rule.free_repeat or rule.first_repeat):
        return [(charged_from, duration_s, has_first)]
    windows = [(charged_from, min(duration_s, DAY_S), has_first)]
    for day_start in range(DAY_S, duration_s, DAY_S):
        day_end = min(duration_s, day_start + DAY_S)
        window_start = day_start
        if rule.free_repeat:
            if rule.free_from_start and day_end - day_start <= rule.free_s:
                lines.append(QuoteLine(_FREE_LINE, _FREE, 0, day_start, day_end, day=day_start // DAY_S))
                continue
            if not rule.free_from_start:
                window_start = day_start + rule.free_s
                lines.append(QuoteLine(_FREE_LINE, _FREE, 0, day_start, window_start, day=day_start // DAY_S))
        windows.append((window_start, day_end, rule.first_repeat))
    return windows


def _charge_window(
    rule: CTimed, runs: _Runs, pieces: _Pieces, start: int, end: int, with_first: bool, lines: list[QuoteLine]
) -> None:
    """Charge [start, end): the first period if the window has one, then each period run it crosses."""
    at = start
    if with_first:
        at = _charge_first_period(rule, pieces, start, end, lines)
        if at >= end:
            return
    per_segment = not rule.whole_stay
    units_from = at
    for run_start, run_end, period in _runs_within(runs, at, end):
        if per_segment:
            # Units restart at each period edge: a run's units are shown up to its end.
            at = units_from if units_from > run_start else run_start
            at = _charge_run(period, pieces, at, run_end, run_end, lines)
            if rule.drop_partial and at > run_end:
                _drop_last_unit(lines, pieces[1])
        else:
            # Units run on across period edges: one that overran an edge carries on, shown up to the window's end.
            at = _charge_run(period, pieces, at if at > run_start else run_start, run_end, end, lines)
    if rule.drop_partial and not per_segment and at > end:
        _drop_last_unit(lines, pieces[1])


def _charge_first_period(rule: CTimed, pieces: _Pieces, start: int, end: int, lines: list[QuoteLine]) -> int:
    """The first period's price, in the piece it starts in; returns where the units after it begin."""
    piece_edges, piece_sums = pieces
    piece = bisect_right(piece_edges, start)
    piece_sums[piece] += rule.first_price
    first_end = start + rule.first_s
    shown_end = first_end if first_end < end else end
    lines.append(
        QuoteLine(
            _FIRST_PERIOD_LINE,
            _FIRST_PERIOD,
            rule.first_price,
            start,
            shown_end,
            1,
            rule.first_s // 60,
            rule.first_price,
            piece,
        )
    )
    return first_end


def _runs_within(runs: _Runs, at: int, end: int) -> list[tuple[int, int, CPeriod]]:
    """(start, end, period) of the runs from the one ``at`` falls in until ``end``, the last cut at ``end``."""
    run_starts, run_periods, last_end = runs
    count = len(run_starts)
    within = []
    run = bisect_right(run_starts, at) - 1
    while run < count and run_starts[run] < end:
        run_end = run_starts[run + 1] if run + 1 < count else last_end
        within.append((run_starts[run], run_end if run_end < end else end, run_periods[run]))
        run += 1
    return within


def _charge_run(period: CPeriod, pieces: _Pieces, at: int, run_end: int, shown_end: int, lines: list[QuoteLine]) -> int:
    """Charge a period run from ``at``: its flat price, or whole units until ``run_end`` is covered, each summed
    into the piece it starts in (a piece edge begins a new line). Returns where the charge ends: past ``run_end``
    when the last unit is partial."""
    if at >= run_end:
        return at  # a unit begun in an earlier run already covers this one
    piece_edges, piece_sums = pieces
    flat = period.flat
    if flat is not None:
        piece = bisect_right(piece_edges, at)
        piece_sums[piece] += flat
        lines.append(QuoteLine(_FLAT_LINE, period.name, flat, at, run_end, 1, 0, flat, piece))
        return run_end
    n_edges = len(piece_edges)
    unit_s, price, name = period.unit_s, period.price, period.name
    while at < run_end:
        piece = bisect_right(piece_edges, at)
        piece_end = piece_edges[piece] if piece < n_edges else run_end
        if piece_end > run_end:
            piece_end = run_end
        units = (piece_end - at + unit_s - 1) // unit_s
        amount = units * price
        piece_sums[piece] += amount
        units_end = at + units * unit_s
        line_end = units_end if units_end < shown_end else shown_end
        lines.append(QuoteLine(_UNITS_LINE, name, amount, at, line_end, units, unit_s // 60, price, piece))
        at = units_end
    return at


def _drop_last_unit(lines: list[QuoteLine], piece_sums: list[int]) -> None:
    # The unit in progress when the run ends is partial: with partial_unit "drop" it is not charged.
    last = lines[-1]
    piece_sums[last.day] -= last.rate_fen
    if last.units == 1:
        lines.pop()
        return
    units = last.units - 1
    lines[-1] = last._replace(
        amount_fen=last.amount_fen - last.rate_fen,
        units=units,
        end_s=last.start_s + units * last.unit_minutes * 60,
    )


def _apply_caps(
    rule: CTimed, day_sums: list[int], day_edges: list[int], duration_s: int, lines: list[QuoteLine]
) -> int:
    """Each cap day's charge, cut to its cap: the escalating cap of that day or the full-day cap, the lower."""
    caps = rule.caps
    full_day_cap = rule.full_day_cap
    if not caps and full_day_cap is None:
        return sum(day_sums)
    fee = 0
    n_caps = len(caps)
    for day, charged in enumerate(day_sums):
        cap = (caps[day] if day < n_caps else caps[-1]) if n_caps else _NO_CAP
        if full_day_cap is not None and full_day_cap < cap:
            cap = full_day_cap
        if charged > cap:
            start = day_edges[day - 1] if day else 0
            end = day_edges[day] if day < len(day_edges) else duration_s
            lines.append(QuoteLine(_CAP_LINE, texts.day_cap(day), cap - charged, start, end, rate_fen=cap, day=day))
            charged = cap
        fee += charged
    return fee


def _apply_two_caps(
    rule: CTimed,
    second: CCaps,
    pieces: _Pieces,
    first_day_edges: list[int],
    second_day_edges: list[int],
    duration_s: int,
    lines: list[QuoteLine],
) -> int:
    """Both caps at once: pieces are charged in time order, each up to the room left under both caps.

    Filling in time order keeps the fee additive in the exit time (a later exit only appends pieces), so it
    stays monotone, and no cap day of either basis is ever charged more than its cap.
    """
    first = CCaps(rule.calendar_day_caps, rule.caps, rule.full_day_cap)
    piece_edges, piece_sums = pieces
    piece_starts = [0, *piece_edges]
    first_days = [bisect_right(first_day_edges, start) for start in piece_starts]
    second_days = [bisect_right(second_day_edges, start) for start in piece_starts]
    fee, first_cuts, second_cuts = _fill_under_both(piece_sums, first, first_days, second, second_days)
    # Charge lines were numbered by piece; the breakdown numbers days by the first cap's basis.
    for i, line in enumerate(lines):
        if line.kind in _CHARGE_KINDS:
            lines[i] = line._replace(day=first_days[line.day])
    for day, cut in sorted(first_cuts.items()):
        start, end = _day_span(first_day_edges, day, duration_s)
        lines.append(QuoteLine(_CAP_LINE, texts.day_cap(day), -cut, start, end, rate_fen=_cap_of(first, day), day=day))
    for day, cut in sorted(second_cuts.items()):
        label = texts.second_cap(day, second.calendar_day)
        start, end = _day_span(second_day_edges, day, duration_s)
        lines.append(QuoteLine(_CAP_LINE, label, -cut, start, end, rate_fen=_cap_of(second, day), day=day))
    return fee


def _fill_under_both(
    piece_sums: list[int], first: CCaps, first_days: list[int], second: CCaps, second_days: list[int]
) -> tuple[int, dict[int, int], dict[int, int]]:
    """The fee of the pieces taken in time order under both caps, and what each cap cut per cap day."""
    first_room: dict[int, int] = {}
    second_room: dict[int, int] = {}
    first_cuts: dict[int, int] = {}
    second_cuts: dict[int, int] = {}
    fee = 0
    for piece, charged in enumerate(piece_sums):
        first_day, second_day = first_days[piece], second_days[piece]
        room_first = first_room[first_day] if first_day in first_room else _cap_of(first, first_day)
        room_second = second_room[second_day] if second_day in second_room else _cap_of(second, second_day)
        taken = min(charged, room_first, room_second)
        if taken < charged:
            # The reduction is shown under the cap that bound (the one with less room left).
            if room_first <= room_second:
                first_cuts[first_day] = first_cuts.get(first_day, 0) + charged - taken
            else:
                second_cuts[second_day] = second_cuts.get(second_day, 0) + charged - taken
        first_room[first_day] = room_first - taken
        second_room[second_day] = room_second - taken
        fee += taken
    return fee, first_cuts, second_cuts


def _day_span(day_edges: list[int], day: int, duration_s: int) -> tuple[int, int]:
    """Where cap day ``day`` begins and ends within the stay."""
    return (day_edges[day - 1] if day else 0), (day_edges[day] if day < len(day_edges) else duration_s)


def _cap_of(caps: CCaps, day: int) -> int:
    """The cap of that cap day; a day without one is never cut."""
    cap = caps.cap(day)
    return _NO_CAP if cap is None else cap
