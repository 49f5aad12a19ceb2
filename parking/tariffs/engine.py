"""Pure fee computation: quote(stay, tariff) -> Quote in integer fen with an itemised breakdown."""

# Model: the stay is cut into time-of-day period runs (lot time zone). Units are laid on a grid that starts
# where charging starts (after the first period); each unit is priced by the period it starts in and belongs
# to the cap day (rolling 24 h from entry, or local calendar day) in which it starts. Attributing whole units
# by their start keeps every step additive, which is what makes the fee monotone in the exit time. Caps are
# applied per cap day, then the new-energy discount, then final rounding, then payments already made.

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from parking.tariffs import texts
from parking.tariffs.collapse import MAX_LINES, collapse
from parking.tariffs.compiled import DAY_S, CompiledTariff, CPerEntry, compile_tariff
from parking.tariffs.document import Tariff, VehicleClass
from parking.tariffs.stay import InvalidStay, LineKind, NoTariffInForce, Quote, QuoteLine, Stay
from parking.tariffs.timed import charge_timed

logger = logging.getLogger(__name__)

_ZERO = timedelta(0)
_DAY = timedelta(days=1)
# Line kinds bound once: an enum member looked up per line costs more than a global.
_FREE_LINE = LineKind.FREE
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


def _check(stay: Stay) -> int:
    """The stay's length in whole seconds; raises InvalidStay on bad input."""
    if stay.entry.utcoffset() is None:
        raise InvalidStay("entry", "must be timezone-aware")
    if stay.exit.utcoffset() is None:
        raise InvalidStay("exit", "must be timezone-aware")
    length = stay.exit - stay.entry
    if length < _ZERO:
        raise InvalidStay("exit", "is before entry")
    if stay.paid_fen < 0:
        raise InvalidStay("paid_fen", "must not be negative")
    # Whole seconds: a fraction of a second is never charged.
    return length.days * DAY_S + length.seconds


def _per_entry(rule: CPerEntry, stay: Stay, duration_s: int, free_s: int, lines: list[QuoteLine]) -> int:
    if duration_s <= free_s:
        lines.append(QuoteLine(_FREE_LINE, texts.WITHIN_FREE, 0, 0, duration_s))
        return 0
    entries = (duration_s + DAY_S - 1) // DAY_S if rule.each_24h else 1
    fee = entries * rule.price
    lines.append(QuoteLine(_PER_ENTRY_LINE, texts.PER_ENTRY, fee, 0, duration_s, entries, 0, rule.price))
    last = stay.last_charged_entry
    if rule.once_per_24h and last is not None and _ZERO <= stay.entry - last < _DAY:
        lines.append(
            QuoteLine(_PER_ENTRY_LINE, texts.CHARGED_WITHIN_24H, -rule.price, 0, duration_s, -1, 0, rule.price)
        )
        fee -= rule.price
    return fee


def _round(fee: int, step: int, mode: str) -> int:
    steps, rest = divmod(fee, step)
    if not rest:
        return fee
    if mode == "up" or (mode == "half_up" and 2 * rest >= step):
        return (steps + 1) * step
    return steps * step


def quote(stay: Stay, tariff: Tariff | CompiledTariff, max_lines: int | None = MAX_LINES) -> Quote:
    """Price ``stay``; raises InvalidStay on bad input. Hot loops: pass a CompiledTariff (compile_tariff).

    A breakdown longer than ``max_lines`` is collapsed (``parking.tariffs.collapse``); None: never."""
    compiled = tariff if isinstance(tariff, CompiledTariff) else compile_tariff(tariff)
    duration_s = _check(stay)
    lines: list[QuoteLine] = []
    reason = compiled.exempt.get(stay.category)
    if reason is None and stay.exempt_kind is not None:
        reason = compiled.exempt.get(stay.exempt_kind)
    if reason is not None:
        lines.append(QuoteLine(_EXEMPT_LINE, reason, 0, 0, duration_s))
        fee = 0
    else:
        fee = _fee(compiled, stay, duration_s, lines)
    return _build_quote(stay, compiled, duration_s, fee, lines, max_lines)


def _fee(compiled: CompiledTariff, stay: Stay, duration_s: int, lines: list[QuoteLine]) -> int:
    """The fee before payments: the vehicle class's rule, then the new-energy discount, then rounding."""
    vehicle_class = stay.vehicle_class
    rule = compiled.rules.get(vehicle_class) or compiled.rules[_SMALL]
    new_energy = vehicle_class == _NEW_ENERGY or stay.plate_color in compiled.ne_colors
    extra_free_s = compiled.ne_extra_free_s if new_energy else 0
    if isinstance(rule, CPerEntry):
        fee = _per_entry(rule, stay, duration_s, rule.free_s + extra_free_s, lines)
    else:
        entry_ts = int(stay.entry.timestamp())
        fee = charge_timed(compiled, rule, entry_ts, duration_s, rule.free_s + extra_free_s, lines)
    if new_energy and compiled.ne_discount_percent and fee:
        discount = (fee * compiled.ne_discount_percent + 50) // 100
        label = texts.new_energy_discount(compiled.ne_discount_percent)
        lines.append(QuoteLine(_DISCOUNT_LINE, label, -discount, 0, duration_s))
        fee -= discount
    if compiled.round_step > 1:
        rounded = _round(fee, compiled.round_step, compiled.round_mode)
        if rounded != fee:
            lines.append(QuoteLine(_ROUNDING_LINE, texts.ROUNDING, rounded - fee, 0, duration_s))
            fee = rounded
    return fee


def _build_quote(
    stay: Stay,
    tariff: CompiledTariff | Tariff,
    duration_s: int,
    fee: int,
    lines: list[QuoteLine],
    max_lines: int | None,
) -> Quote:
    """The quote of a priced stay: payments already made come off the fee, and a long breakdown is collapsed."""
    paid = stay.paid_fen
    applied = paid if paid < fee else fee
    if paid:
        lines.append(QuoteLine(_PAID_LINE, texts.PAID, -applied, 0, duration_s))
    if max_lines is not None and len(lines) > max_lines:
        lines = collapse(lines, max_lines)
    return Quote(
        tariff_name=tariff.name,
        tariff_version=tariff.version,
        entry=stay.entry,
        exit=stay.exit,
        duration_s=duration_s,
        vehicle_class=stay.vehicle_class,
        fee_fen=fee,
        paid_fen=paid,
        due_fen=fee - applied,
        lines=tuple(lines),
        timezone=tariff.timezone,
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
    unpaid = replace(stay, paid_fen=0)
    entry = stay.entry
    duration_s = _check(stay)
    lines: list[QuoteLine] = []
    fee = 0
    for i, (version, start, until) in enumerate(pieces):
        upto = quote(replace(unpaid, exit=until), version)
        if i == 0:
            lines += upto.lines
            part = upto.fee_fen
        else:
            part = upto.fee_fen - quote(replace(unpaid, exit=start), version).fee_fen
            label = texts.tariff_version(version.name, version.version)
            lines.append(QuoteLine(_TARIFF_CHANGE_LINE, label, part, _offset(entry, start), _offset(entry, until)))
        fee += part
    whole = max(quote(unpaid, v).fee_fen for v in {id(v): v for v, _start, _until in pieces}.values())
    if fee > whole:
        lines.append(QuoteLine(_CAP_LINE, texts.NOT_ABOVE_ONE_VERSION, whole - fee, 0, duration_s))
        fee = whole
    # Named after the version in force at entry; a split stay's breakdown is never collapsed.
    return _build_quote(stay, pieces[0][0], duration_s, fee, lines, None)


def _offset(entry: datetime, at: datetime) -> int:
    since_entry = at - entry
    return since_entry.days * DAY_S + since_entry.seconds
