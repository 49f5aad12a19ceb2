"""Pure fee computation: quote(stay, tariff) -> Quote in integer fen with an itemised breakdown."""

# Model: the stay is cut into time-of-day period runs (lot time zone). Units are laid on a grid that starts
# where charging starts (after the first period); each unit is priced by the period it starts in and belongs
# to the cap day (rolling 24 h from entry, or local calendar day) in which it starts. Attributing whole units
# by their start keeps every step additive, which is what makes the fee monotone in the exit time. Caps are
# applied per cap day, then the new-energy discount, then final rounding, then payments already made.

from __future__ import annotations

import logging
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from parking.tariffs import texts
from parking.tariffs.collapse import MAX_LINES, collapse
from parking.tariffs.compiled import DAY_S, CCaps, CompiledTariff, CPerEntry, CPeriod, CTimed, compile_tariff
from parking.tariffs.document import Tariff, VehicleClass
from parking.tariffs.stay import InvalidStay, LineKind, NoTariffInForce, Quote, QuoteLine, Stay

logger = logging.getLogger(__name__)

_ZERO = timedelta(0)
_DAY = timedelta(days=1)
_UNITS = LineKind.UNITS
_NO_CAP = 1 << 62
_CHARGE_KINDS = frozenset({LineKind.FIRST_PERIOD, LineKind.UNITS, LineKind.FLAT})
# Line kinds bound once: an enum member looked up per line costs more than a global.
_FREE_LINE = LineKind.FREE
_FIRST_PERIOD_LINE = LineKind.FIRST_PERIOD
_FLAT_LINE = LineKind.FLAT
_CAP_LINE = LineKind.CAP
_DISCOUNT_LINE = LineKind.DISCOUNT
_ROUNDING_LINE = LineKind.ROUNDING
_PAID_LINE = LineKind.PAID
_EXEMPT_LINE = LineKind.EXEMPT
_PER_ENTRY_LINE = LineKind.PER_ENTRY
_TARIFF_CHANGE_LINE = LineKind.TARIFF_CHANGE
# Bound once: an enum member or module attribute looked up per quote costs more than a global.
_SMALL = VehicleClass.SMALL
_NEW_ENERGY = VehicleClass.NEW_ENERGY
_FREE = texts.FREE
_FIRST_PERIOD = texts.FIRST_PERIOD


def _check(stay: Stay) -> int:
    if stay.entry.utcoffset() is None:
        raise InvalidStay("entry", "must be timezone-aware")
    if stay.exit.utcoffset() is None:
        raise InvalidStay("exit", "must be timezone-aware")
    td = stay.exit - stay.entry
    if td < _ZERO:
        raise InvalidStay("exit", "is before entry")
    if stay.paid_fen < 0:
        raise InvalidStay("paid_fen", "must not be negative")
    # Whole seconds: a fraction of a second is never charged.
    return td.days * DAY_S + td.seconds


def _runs(ct: CompiledTariff, rule: CTimed, e: int, d: int) -> tuple[list[int], list[CPeriod], list[int]]:
    """Period runs (start offsets, periods) over [0, d) and local-midnight offsets inside it."""
    tz = ct.tz
    d0 = datetime.fromtimestamp(e, tz).toordinal()
    d1 = datetime.fromtimestamp(e + d, tz).toordinal()
    offs: list[int] = []
    pers: list[CPeriod] = []
    mids: list[int] = []
    # Midnight of the entry's local date is never after entry, so this is replaced before any use.
    cur = ct.day_schedule(rule, d0)[0][1]
    for od in range(d0, d1 + 1):
        sched = ct.day_schedule(rule, od)
        moff = sched[0][0] - e
        if 0 < moff < d:
            mids.append(moff)
        for ts, per in sched:
            off = ts - e
            if off <= 0:
                cur = per
                continue
            if off >= d:
                break
            if not offs:
                offs.append(0)
                pers.append(cur)
            # Runs of the same period object merge (a night period across midnight is one run).
            if per is not pers[-1]:
                offs.append(off)
                pers.append(per)
    if not offs:
        offs.append(0)
        pers.append(cur)
    return offs, pers, mids


def _windows(rule: CTimed, free_s: int, d: int, lines: list[QuoteLine]) -> list[tuple[int, int, bool]]:
    """Charging windows (start, end, with first period); several only when free/first repeat per 24 h."""
    cs = 0 if rule.free_from_start else free_s
    if free_s:
        label = texts.FREE_THEN_FROM_START if rule.free_from_start else _FREE
        lines.append(QuoteLine(_FREE_LINE, label, 0, 0, free_s))
    has_first = rule.first_s > 0
    if not (rule.free_repeat or rule.first_repeat):
        return [(cs, d, has_first)]
    out = [(cs, min(d, DAY_S), has_first)]
    for ws in range(DAY_S, d, DAY_S):
        we = min(d, ws + DAY_S)
        if rule.free_repeat:
            if rule.free_from_start and we - ws <= rule.free_s:
                lines.append(QuoteLine(_FREE_LINE, _FREE, 0, ws, we, day=ws // DAY_S))
                continue
            if not rule.free_from_start:
                lines.append(QuoteLine(_FREE_LINE, _FREE, 0, ws, ws + rule.free_s, day=ws // DAY_S))
                ws += rule.free_s
        out.append((ws, we, rule.first_repeat))
    return out


def _drop_last_unit(lines: list[QuoteLine], sums: list[int]) -> None:
    # The unit in progress when the run ends is partial: with partial_unit "drop" it is not charged.
    last = lines[-1]
    sums[last.day] -= last.rate_fen
    if last.units == 1:
        lines.pop()
        return
    units = last.units - 1
    lines[-1] = last._replace(
        amount_fen=last.amount_fen - last.rate_fen,
        units=units,
        end_s=last.start_s + units * last.unit_minutes * 60,
    )


def _timed(ct: CompiledTariff, rule: CTimed, e: int, d: int, free_s: int, lines: list[QuoteLine]) -> int:
    if d <= free_s:
        lines.append(QuoteLine(_FREE_LINE, texts.WITHIN_FREE, 0, 0, d))
        return 0
    offs, pers, mids = _runs(ct, rule, e, d)
    gb = mids if rule.calendar_day_caps else list(range(DAY_S, d, DAY_S))
    second = rule.second
    if second is not None:
        # Two caps on different day bases: units are summed per piece between the union of both day edges.
        gb1 = gb
        gb2 = mids if second.calendar_day else list(range(DAY_S, d, DAY_S))
        gb = sorted(set(gb1) | set(gb2))
    ngb = len(gb)
    sums = [0] * (ngb + 1)
    per_segment = not rule.whole_stay
    drop = rule.drop_partial
    nruns = len(offs)
    for a, z, with_first in _windows(rule, free_s, d, lines):
        if a >= z:
            continue
        g = a
        if with_first:
            grp = bisect_right(gb, a)
            sums[grp] += rule.first_price
            end = a + rule.first_s
            lines.append(
                QuoteLine(
                    _FIRST_PERIOD_LINE,
                    _FIRST_PERIOD,
                    rule.first_price,
                    a,
                    end if end < z else z,
                    1,
                    rule.first_s // 60,
                    rule.first_price,
                    grp,
                )
            )
            g = end
            if g >= z:
                continue
        lo = g
        i = bisect_right(offs, g) - 1
        while i < nruns:
            rs = offs[i]
            if rs >= z:
                break
            re = offs[i + 1] if i + 1 < nruns else d
            if re > z:
                re = z
            per = pers[i]
            i += 1
            if per_segment:
                g = lo if lo > rs else rs
            elif g < rs:
                g = rs
            if g >= re:
                continue
            flat = per.flat
            if flat is not None:
                grp = bisect_right(gb, g)
                sums[grp] += flat
                lines.append(QuoteLine(_FLAT_LINE, per.name, flat, g, re, 1, 0, flat, grp))
                g = re
                continue
            u = per.unit_s
            c = per.price
            name = per.name
            # Shown end of a unit run: per segment the period edge ends it, else the window end.
            clip = re if per_segment else z
            while g < re:
                grp = bisect_right(gb, g)
                end = gb[grp] if grp < ngb else re
                if end > re:
                    end = re
                k = (end - g + u - 1) // u
                amount = k * c
                sums[grp] += amount
                ng = g + k * u
                lines.append(QuoteLine(_UNITS, name, amount, g, ng if ng < clip else clip, k, u // 60, c, grp))
                g = ng
            if drop and per_segment and g > re:
                _drop_last_unit(lines, sums)
        if drop and not per_segment and g > z:
            _drop_last_unit(lines, sums)
    if second is not None:
        return _apply_two_caps(rule, second, sums, gb, gb1, gb2, d, lines)
    return _apply_caps(rule, sums, gb, d, lines)


def _apply_caps(rule: CTimed, sums: list[int], gb: list[int], d: int, lines: list[QuoteLine]) -> int:
    caps = rule.caps
    fdc = rule.full_day_cap
    if not caps and fdc is None:
        return sum(sums)
    fee = 0
    ncaps = len(caps)
    for grp, s in enumerate(sums):
        cap = (caps[grp] if grp < ncaps else caps[-1]) if ncaps else _NO_CAP
        if fdc is not None and fdc < cap:
            cap = fdc
        if s > cap:
            start = gb[grp - 1] if grp else 0
            end = gb[grp] if grp < len(gb) else d
            lines.append(QuoteLine(_CAP_LINE, texts.day_cap(grp), cap - s, start, end, rate_fen=cap, day=grp))
            s = cap
        fee += s
    return fee


def _apply_two_caps(
    rule: CTimed,
    second: CCaps,
    sums: list[int],
    gb: list[int],
    gb1: list[int],
    gb2: list[int],
    d: int,
    lines: list[QuoteLine],
) -> int:
    """Both caps at once: pieces are charged in time order, each up to the room left under both caps.

    Filling in time order keeps the fee additive in the exit time (a later exit only appends pieces), so it
    stays monotone, and no cap day of either basis is ever charged more than its cap.
    """
    first = CCaps(rule.calendar_day_caps, rule.caps, rule.full_day_cap)
    starts = [0, *gb]
    room1: dict[int, int] = {}
    room2: dict[int, int] = {}
    cut1: dict[int, int] = {}
    cut2: dict[int, int] = {}
    fee = 0
    for k, s in enumerate(sums):
        g1 = bisect_right(gb1, starts[k])
        g2 = bisect_right(gb2, starts[k])
        r1 = room1[g1] if g1 in room1 else _cap_or_none(first, g1)
        r2 = room2[g2] if g2 in room2 else _cap_or_none(second, g2)
        take = min(s, r1, r2)
        if take < s:
            # The reduction is shown under the cap that bound (the one with less room left).
            if r1 <= r2:
                cut1[g1] = cut1.get(g1, 0) + s - take
            else:
                cut2[g2] = cut2.get(g2, 0) + s - take
        room1[g1] = r1 - take
        room2[g2] = r2 - take
        fee += take
    # Charge lines were numbered by piece; the breakdown numbers days by the first cap's basis.
    for i, line in enumerate(lines):
        if line.kind in _CHARGE_KINDS:
            lines[i] = line._replace(day=bisect_right(gb1, starts[line.day]))
    for g, cut in sorted(cut1.items()):
        end = gb1[g] if g < len(gb1) else d
        lines.append(
            QuoteLine(
                _CAP_LINE,
                texts.day_cap(g),
                -cut,
                gb1[g - 1] if g else 0,
                end,
                rate_fen=_cap_or_none(first, g),
                day=g,
            )
        )
    for g, cut in sorted(cut2.items()):
        label = texts.second_cap(g, second.calendar_day)
        end = gb2[g] if g < len(gb2) else d
        start = gb2[g - 1] if g else 0
        lines.append(QuoteLine(_CAP_LINE, label, -cut, start, end, rate_fen=_cap_or_none(second, g), day=g))
    return fee


def _cap_or_none(caps: CCaps, day: int) -> int:
    cap = caps.cap(day)
    return _NO_CAP if cap is None else cap


def _per_entry(rule: CPerEntry, stay: Stay, d: int, free_s: int, lines: list[QuoteLine]) -> int:
    if d <= free_s:
        lines.append(QuoteLine(_FREE_LINE, texts.WITHIN_FREE, 0, 0, d))
        return 0
    n = (d + DAY_S - 1) // DAY_S if rule.each_24h else 1
    fee = n * rule.price
    lines.append(QuoteLine(_PER_ENTRY_LINE, texts.PER_ENTRY, fee, 0, d, n, 0, rule.price))
    last = stay.last_charged_entry
    if rule.once_per_24h and last is not None and _ZERO <= stay.entry - last < _DAY:
        lines.append(QuoteLine(_PER_ENTRY_LINE, texts.CHARGED_WITHIN_24H, -rule.price, 0, d, -1, 0, rule.price))
        fee -= rule.price
    return fee


def _round(fee: int, step: int, mode: str) -> int:
    q, r = divmod(fee, step)
    if not r:
        return fee
    if mode == "up" or (mode == "half_up" and 2 * r >= step):
        return (q + 1) * step
    return q * step


def quote(stay: Stay, tariff: Tariff | CompiledTariff, max_lines: int | None = MAX_LINES) -> Quote:
    """Price ``stay``; raises InvalidStay on bad input. Hot loops: pass a CompiledTariff (compile_tariff).

    A breakdown longer than ``max_lines`` is collapsed (``parking.tariffs.collapse``); None: never."""
    ct = tariff if isinstance(tariff, CompiledTariff) else compile_tariff(tariff)
    d = _check(stay)
    lines: list[QuoteLine] = []
    reason = ct.exempt.get(stay.category)
    if reason is None and stay.exempt_kind is not None:
        reason = ct.exempt.get(stay.exempt_kind)
    if reason is not None:
        lines.append(QuoteLine(_EXEMPT_LINE, reason, 0, 0, d))
        fee = 0
    else:
        vc = stay.vehicle_class
        rule = ct.rules.get(vc) or ct.rules[_SMALL]
        new_energy = vc == _NEW_ENERGY or stay.plate_color in ct.ne_colors
        extra = ct.ne_extra_free_s if new_energy else 0
        if isinstance(rule, CPerEntry):
            fee = _per_entry(rule, stay, d, rule.free_s + extra, lines)
        else:
            e = int(stay.entry.timestamp())
            fee = _timed(ct, rule, e, d, rule.free_s + extra, lines)
        if new_energy and ct.ne_discount_percent and fee:
            off = (fee * ct.ne_discount_percent + 50) // 100
            lines.append(QuoteLine(_DISCOUNT_LINE, texts.new_energy_discount(ct.ne_discount_percent), -off, 0, d))
            fee -= off
        if ct.round_step > 1:
            rounded = _round(fee, ct.round_step, ct.round_mode)
            if rounded != fee:
                lines.append(QuoteLine(_ROUNDING_LINE, texts.ROUNDING, rounded - fee, 0, d))
                fee = rounded
    paid = stay.paid_fen
    applied = paid if paid < fee else fee
    if paid:
        lines.append(QuoteLine(_PAID_LINE, texts.PAID, -applied, 0, d))
    if max_lines is not None and len(lines) > max_lines:
        lines = collapse(lines, max_lines)
    return Quote(
        tariff_name=ct.name,
        tariff_version=ct.version,
        entry=stay.entry,
        exit=stay.exit,
        duration_s=d,
        vehicle_class=stay.vehicle_class,
        fee_fen=fee,
        paid_fen=paid,
        due_fen=fee - applied,
        lines=tuple(lines),
        timezone=ct.timezone,
    )


def version_at(versions: Sequence[Tariff], at: datetime) -> Tariff:
    """The version in force at ``at``: latest effective_from not after it (ties: highest version)."""
    best: Tariff | None = None
    for v in versions:
        if v.effective_from <= at and (
            best is None or (v.effective_from, v.version) > (best.effective_from, best.version)
        ):
            best = v
    if best is None:
        raise NoTariffInForce(f"no tariff version in force at {at.isoformat()}")
    return best


def pick_versions(candidates: Sequence[Sequence[Tariff]], at: datetime) -> Sequence[Tariff]:
    """The first version list with a version in force at ``at``: an area's, then its parents', then the lot's.

    ``candidates`` runs from the most specific (the area) to the lot; when none is in force the last (the
    lot's) is returned, so version_at reports NoTariffInForce for it.
    """
    for versions in candidates:
        if any(v.effective_from <= at for v in versions):
            return versions
    return candidates[-1] if candidates else []


def quote_versions(stay: Stay, versions: Sequence[Tariff]) -> Quote:
    """Quote with the version in force at ENTRY for the whole stay (the notice the driver saw on entering),
    unless a version taking effect during the stay says ``split_stays_in_progress``: from its
    ``effective_from`` on, that version prices the rest of the stay (see ``quote_split``)."""
    _check(stay)
    chosen = version_at(versions, stay.entry)
    pieces = version_pieces(stay, versions)
    if len(pieces) > 1:
        return quote_split(stay, pieces)
    logger.debug("stay entering %s priced with %s v%s", stay.entry, chosen.name, chosen.version)
    return quote(stay, chosen)


def version_pieces(stay: Stay, versions: Sequence[Tariff]) -> list[tuple[Tariff, datetime, datetime]]:
    """(version, from, until) pieces of the stay: the entry version, cut where a splitting version starts."""
    current = version_at(versions, stay.entry)
    start = stay.entry
    pieces: list[tuple[Tariff, datetime, datetime]] = []
    changes = sorted(
        (v for v in versions if stay.entry < v.effective_from < stay.exit),
        key=lambda v: (v.effective_from, v.version),
    )
    for v in changes:
        # Only the version actually in force from that moment counts (of two starting together, the higher).
        if v.split_stays_in_progress and version_at(versions, v.effective_from) is v and v is not current:
            pieces.append((current, start, v.effective_from))
            current, start = v, v.effective_from
    pieces.append((current, start, stay.exit))
    return pieces


def quote_split(stay: Stay, pieces: Sequence[tuple[Tariff, datetime, datetime]]) -> Quote:
    """Price each piece with its version as a continuation of one stay, never more than a single version.

    A piece [a, b) under version V costs V(entry..b) - V(entry..a): free time, the first period and cap days
    still count from the entry, so a change grants no second free time or first period. The total is then
    limited to the dearest single version's fee for the whole stay. Both steps keep the fee monotone in the
    exit time and every piece non-negative.
    """
    base = replace(stay, paid_fen=0)
    entry = stay.entry
    d = _check(stay)
    lines: list[QuoteLine] = []
    fee = 0
    for i, (version, start, until) in enumerate(pieces):
        upto = quote(replace(base, exit=until), version)
        if i == 0:
            lines += upto.lines
            part = upto.fee_fen
        else:
            part = upto.fee_fen - quote(replace(base, exit=start), version).fee_fen
            a, b = _offset(entry, start), _offset(entry, until)
            lines.append(
                QuoteLine(_TARIFF_CHANGE_LINE, texts.tariff_version(version.name, version.version), part, a, b)
            )
        fee += part
    whole = max(quote(base, v).fee_fen for v in {id(v): v for v, _a, _b in pieces}.values())
    if fee > whole:
        lines.append(QuoteLine(_CAP_LINE, texts.NOT_ABOVE_ONE_VERSION, whole - fee, 0, d))
        fee = whole
    paid = stay.paid_fen
    applied = paid if paid < fee else fee
    if paid:
        lines.append(QuoteLine(_PAID_LINE, texts.PAID, -applied, 0, d))
    first = pieces[0][0]
    return Quote(
        tariff_name=first.name,
        tariff_version=first.version,
        entry=stay.entry,
        exit=stay.exit,
        duration_s=d,
        vehicle_class=stay.vehicle_class,
        fee_fen=fee,
        paid_fen=paid,
        due_fen=fee - applied,
        lines=tuple(lines),
        timezone=first.timezone,
    )


def _offset(entry: datetime, at: datetime) -> int:
    td = at - entry
    return td.days * DAY_S + td.seconds
