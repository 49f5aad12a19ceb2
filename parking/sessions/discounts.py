"""Merchant coupons on a stay's parking fee: which of the plate's coupons a bill uses and what each takes off.

Pure (docs/coupons.md has the rules and worked examples):
- a FULL coupon takes the whole parking fee (never arrears); when one applies, no other coupon is consumed;
- time coupons first: MINUTES (summed) and UNTIL (the latest clock time) make the start of the stay free, the
  covered time being [entry, entry + minutes] ∪ [entry, until]; the rest is priced by the caller (the bill's
  own tariff versions, through its pass-cover machinery), never dearer than without them;
- then one PERCENT coupon (the best): the driver pays ``value`` percent of what is left, rounded down to the fen
  (in the driver's favour);
- then AMOUNT coupons, summed, never below zero;
- a coupon that takes nothing off is not used (not consumed);
- a non-stackable coupon combines with no coupon of another template; at most ``max_per_stay`` coupons of one
  template on one stay. Of the options that conflict, the driver gets the cheapest (then the one that uses the
  fewest coupons, then the lowest coupon ids: deterministic).

Coupons already bound to the stay (redeemed by an earlier payment of it) are always used.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from parking.merchants.models import CouponKind
from parking.merchants.terms import CouponTerms
from parking.merchants.texts import coupon_label

# The fee with the start of the stay free up to the given instant.
Pricer = Callable[[datetime], int]


@dataclass(frozen=True, slots=True)
class CouponUse:
    """One coupon a bill used: its own itemised line, with the fen it took off."""

    coupon_id: int
    template_id: int | None
    kind: CouponKind
    value: int
    discount_fen: int
    label: str
    redeemed: bool = False  # already bound to the stay by an earlier payment of it


@dataclass(frozen=True, slots=True)
class CouponOutcome:
    fee_fen: int  # the parking fee after the coupons
    uses: tuple[CouponUse, ...] = ()

    @property
    def coupon_fen(self) -> int:
        return sum(u.discount_fen for u in self.uses)

    @property
    def coupon_ids(self) -> tuple[int, ...]:
        return tuple(u.coupon_id for u in self.uses)


def _use(c: CouponTerms, fen: int) -> CouponUse:
    return CouponUse(c.id, c.template_id, c.kind, c.value, fen, coupon_label(c.kind, c.value))


def _template_key(c: CouponTerms) -> tuple[int, int]:
    # A coupon without a template is a template of its own.
    return (0, c.template_id) if c.template_id is not None else (1, c.id)


class _Stay:
    """The stay's facts shared by every option tried: the fee without coupons and a memoised pricer."""

    __slots__ = ("_memo", "_price", "_reach", "entry", "fee", "tz")

    def __init__(self, entry: datetime, fee: int, tz: ZoneInfo, price: Pricer) -> None:
        self.entry = entry
        self.fee = fee
        self.tz = tz
        self._price = price
        self._memo: dict[datetime, int] = {}
        self._reach: dict[int, datetime] = {}

    def free_until(self, coupons: Sequence[CouponTerms]) -> datetime:
        """The end of the free start that these time coupons give (the entry itself when none reaches past it)."""
        minutes = sum(c.value for c in coupons if c.kind is CouponKind.MINUTES)
        end = self.entry + timedelta(minutes=minutes)
        for c in coupons:
            if c.kind is CouponKind.UNTIL:
                end = max(end, c.until(self.tz))
        return end

    def fee_free_until(self, end: datetime) -> int:
        """The fee with [entry, end) free, never dearer than without coupons."""
        if end <= self.entry:
            return self.fee
        hit = self._memo.get(end)
        if hit is None:
            hit = self._memo[end] = min(self.fee, self._price(end))
        return hit

    def reach(self, c: CouponTerms) -> datetime:
        hit = self._reach.get(c.id)
        if hit is None:
            hit = self._reach[c.id] = self.free_until((c,))
        return hit


_KIND_ORDER = {
    CouponKind.FULL: 0,
    CouponKind.MINUTES: 1,
    CouponKind.UNTIL: 2,
    CouponKind.PERCENT: 3,
    CouponKind.AMOUNT: 4,
}


def _rank(c: CouponTerms, stay: _Stay) -> tuple[int, float, int]:
    """Best first within a kind: the most minutes, the latest clock, the lowest percent paid, the most fen. (A
    template's coupons share a kind; one edited between issues ranks its coupons kind by kind.)"""
    match c.kind:
        case CouponKind.MINUTES | CouponKind.AMOUNT:
            key: float = -c.value
        case CouponKind.UNTIL:
            key = -stay.reach(c).timestamp()
        case CouponKind.PERCENT:
            key = c.value
        case _:
            key = 0
    return (_KIND_ORDER[c.kind], key, c.id)


def _pools(coupons: Sequence[CouponTerms], bound: frozenset[int], stay: _Stay) -> list[list[CouponTerms]]:
    """The coupon sets a bill may choose from: each non-stackable template alone, all stackable templates
    together; each template's best ``max_per_stay`` coupons (bound ones first). A pool must hold every bound
    coupon; if none can, the bound coupons alone."""
    by_template: dict[tuple[int, int], list[CouponTerms]] = {}
    for c in coupons:
        by_template.setdefault(_template_key(c), []).append(c)
    if not bound and len(by_template) == len(coupons) and all(c.stackable for c in coupons):
        return [list(coupons)]  # the common case: one coupon of each stackable template
    pools: list[list[CouponTerms]] = []
    stackable: list[CouponTerms] = []
    for key in sorted(by_template):
        members = by_template[key]
        if len(members) == 1:
            kept = members
        else:
            members = sorted(members, key=lambda c: (c.id not in bound, _rank(c, stay)))
            limit = max(min(c.max_per_stay for c in members), sum(1 for c in members if c.id in bound), 1)
            kept = members[:limit]
        if all(c.stackable for c in kept):
            stackable.extend(kept)
        else:
            pools.append(kept)
    if stackable:
        pools.append(stackable)
    if bound:
        pools = [p for p in pools if bound <= {c.id for c in p}] or [[c for c in coupons if c.id in bound]]
    return pools


def _time_part(times: list[CouponTerms], stay: _Stay, bound: Collection[int]) -> tuple[int, list[CouponUse]]:
    """The fee after the pool's time coupons and their lines: all of them, less each one that adds nothing
    (shortest reach first); each line is what its coupon took off in turn (longest reach first)."""
    kept = times
    if not kept:
        return stay.fee, []
    if len(kept) == 1:  # the common case, without the search below
        after = stay.fee_free_until(stay.reach(kept[0]))
        if after >= stay.fee and kept[0].id not in bound:
            return stay.fee, []
        return after, [_use(kept[0], stay.fee - after)]
    target = stay.fee_free_until(stay.free_until(kept))
    if target >= stay.fee:
        kept = [c for c in kept if c.id in bound]
        target = stay.fee_free_until(stay.free_until(kept))
    for c in sorted(kept, key=lambda c: (stay.reach(c), -c.id)):
        if c.id in bound:
            continue
        rest = [k for k in kept if k is not c]
        if stay.fee_free_until(stay.free_until(rest)) <= target:
            kept = rest
    kept.sort(key=lambda c: (-stay.reach(c).timestamp(), c.id))
    uses: list[CouponUse] = []
    before = stay.fee
    for i, c in enumerate(kept):
        after = stay.fee_free_until(stay.free_until(kept[: i + 1]))
        uses.append(_use(c, before - after))
        before = after
    return before, uses


def _percent_part(percents: list[CouponTerms], fee: int, bound: Collection[int]) -> tuple[int, list[CouponUse]]:
    if not percents:
        return fee, []
    best = percents[0] if len(percents) == 1 else min(percents, key=lambda c: (c.id not in bound, c.value, c.id))
    paid = fee * min(best.value, 100) // 100  # rounded down: the driver's favour
    if paid >= fee and best.id not in bound:
        return fee, []
    return paid, [_use(best, fee - paid)]


def _amount_part(amounts: list[CouponTerms], fee: int, bound: Collection[int]) -> tuple[int, list[CouponUse]]:
    """Bound coupons first; then the smallest coupon that covers what is left, else the largest, until nothing
    is left (so a big coupon is kept for another day when a small one does)."""
    if not amounts:
        return fee, []
    uses: list[CouponUse] = []
    left = fee
    for c in sorted((c for c in amounts if c.id in bound), key=lambda c: (-c.value, c.id)):
        taken = min(c.value, left)
        uses.append(_use(c, taken))
        left -= taken
    spare = sorted((c for c in amounts if c.id not in bound), key=lambda c: (c.value, c.id))
    while left > 0 and spare:
        pick = next((c for c in spare if c.value >= left), spare[-1])
        if pick.value <= 0:
            break
        spare.remove(pick)
        taken = min(pick.value, left)
        uses.append(_use(pick, taken))
        left -= taken
    return left, uses


def _apply_pool(pool: Sequence[CouponTerms], stay: _Stay, bound: Collection[int]) -> CouponOutcome:
    times: list[CouponTerms] = []
    percents: list[CouponTerms] = []
    amounts: list[CouponTerms] = []
    full: list[CouponTerms] = []
    for c in pool:
        kind = c.kind
        if kind is CouponKind.MINUTES or kind is CouponKind.UNTIL:
            times.append(c)
        elif kind is CouponKind.PERCENT:
            percents.append(c)
        elif kind is CouponKind.AMOUNT:
            amounts.append(c)
        else:
            full.append(c)
    if full:
        # The whole fee; a coupon already bound to the stay stays on it, taking nothing more.
        first = min(full, key=lambda c: (c.id not in bound, c.id))
        others = [_use(c, 0) for c in pool if c.id in bound and c is not first]
        return CouponOutcome(0, (_use(first, stay.fee), *others))
    fee, uses = _time_part(times, stay, bound)
    fee, more = _percent_part(percents, fee, bound)
    uses += more
    fee, more = _amount_part(amounts, fee, bound)
    uses += more
    return CouponOutcome(fee, tuple(uses))


def apply_coupons(
    coupons: Sequence[CouponTerms],
    fee_fen: int,
    entry_at: datetime,
    tz: ZoneInfo,
    price: Pricer,
    bound: Collection[int] = frozenset(),
) -> CouponOutcome:
    """The coupons a stay's parking fee ``fee_fen`` uses and what is left to pay. ``price(end)`` is the fee with
    [entry, end) free (called only when a time coupon is in play); ``bound``: ids of coupons already redeemed by
    this stay, always used."""
    if not coupons or (fee_fen <= 0 and not bound):
        return CouponOutcome(fee_fen)
    bound = frozenset(bound) & {c.id for c in coupons} if bound else frozenset()
    stay = _Stay(entry_at, fee_fen, tz, price)
    pools = _pools(coupons, bound, stay)
    best: CouponOutcome | None = _apply_pool(pools[0], stay, bound) if len(pools) == 1 else None
    best_key: tuple[int, int, tuple[int, ...]] | None = None
    for pool in pools if best is None else ():
        outcome = _apply_pool(pool, stay, bound)
        key = (outcome.fee_fen, len(outcome.uses), tuple(sorted(outcome.coupon_ids)))
        if best_key is None or key < best_key:
            best, best_key = outcome, key
    assert best is not None
    if bound:
        best = CouponOutcome(best.fee_fen, tuple(replace(u, redeemed=u.coupon_id in bound) for u in best.uses))
    return best
