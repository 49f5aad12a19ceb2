"""What a stay owes: the tariff over the uncovered parts of the stay, inner-lot stays, prepayment and arrears.

Pure, so the cloud and the edge agent bill alike. The rules (docs/lane-flow.md):
- the tariff version in force at entry prices the whole stay;
- time covered by a pass (or a free list entry) is free; the rest is priced as temporary parking, each
  uncovered interval as a stay of its own (an expired pass pays from its expiry; a window pass outside it);
- time inside an inner lot with a tariff of its own is priced by that tariff, not the outer one; a pass-through
  shorter than the inner lot's free minutes costs nothing there;
- a driver who paid inside the lot leaves free within the grace window after the payment; later, only the
  difference is due;
- merchant coupons of the plate take their part off the parking fee (parking/sessions/discounts.py, docs/coupons.md):
  ``fee_fen`` is the fee after them, each used coupon is a line of its own with the (negative) fen it took off;
- arrears of earlier stays at the same customer are added to what is due.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from parking.merchants.terms import CouponTerms
from parking.plates import PlateColor
from parking.sessions.discounts import CouponOutcome, CouponUse, apply_coupons
from parking.tariffs.document import Tariff
from parking.tariffs.engine import quote, quote_versions, version_at
from parking.tariffs.stay import LineKind, NoTariffInForce, Quote
from parking.tariffs.vehicle import TariffVehicle
from parking.tenancy.enums import VehicleCategory, VehicleClass
from parking.vehicles.standing import FREE_CATEGORIES, Cover, uncovered


@dataclass(frozen=True, slots=True)
class InnerStay:
    entry_at: datetime
    exit_at: datetime | None
    tariffs: Sequence[Tariff] = ()
    free_minutes: int = 0  # pass-through allowance (穿行免费)


@dataclass(frozen=True, slots=True)
class BillFacts:
    entry_at: datetime
    timezone: str
    tariffs: Sequence[Tariff]
    vehicle_class: VehicleClass = VehicleClass.SMALL
    plate_color: PlateColor = PlateColor.BLUE
    category: VehicleCategory = VehicleCategory.TEMPORARY
    covers: Sequence[Cover] = ()
    inner_stays: Sequence[InnerStay] = ()
    paid_fen: int = 0
    last_paid_at: datetime | None = None
    grace_minutes: int = 15
    discount_fen: int = 0
    arrears_fen: int = 0
    # How the tariff sees the vehicle (parking.tariffs.vehicle.tariff_vehicle, as quoteFee sees it): its class (a
    # lot's own class too) and exemption kind. None: ``vehicle_class`` and ``plate_color`` as given.
    vehicle: TariffVehicle | None = None
    # The plate's usable coupons at the lot (parking/lanes/context.load_coupons) and which of them an earlier
    # payment of this stay already redeemed (always used).
    coupons: Sequence[CouponTerms] = ()
    bound_coupon_ids: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class BillLine:
    label: str
    amount_fen: int
    start: datetime | None = None
    end: datetime | None = None
    coupon_id: int | None = None  # a coupon's line: ``amount_fen`` is what it took off, negative


@dataclass(frozen=True, slots=True)
class Bill:
    """``due_fen`` is what the driver must pay now to leave: parking not yet paid plus arrears. ``fee_fen`` is the
    parking fee after coupons; ``coupon_fen`` what the coupons took off (``coupons``, one line each)."""

    fee_fen: int
    discount_fen: int
    paid_fen: int
    arrears_fen: int
    due_fen: int
    in_grace: bool = False
    no_tariff: bool = False
    lines: tuple[BillLine, ...] = ()
    quotes: tuple[Quote, ...] = field(default=(), repr=False)
    coupon_fen: int = 0
    coupons: tuple[CouponUse, ...] = ()

    @property
    def gross_fee_fen(self) -> int:
        """The parking fee before coupons."""
        return self.fee_fen + self.coupon_fen

    @property
    def coupon_ids(self) -> tuple[int, ...]:
        return tuple(c.coupon_id for c in self.coupons)

    @property
    def parking_due_fen(self) -> int:
        return self.due_fen - self.arrears_fen

    @property
    def exempt_reason(self) -> str | None:
        """The tariff's reason when it exempted the vehicle (警车, 环卫车辆...), for the exit display."""
        for q in self.quotes:
            if q.lines and q.lines[0].kind is LineKind.EXEMPT:
                return q.lines[0].label
        return None


def _subtract(
    intervals: list[tuple[datetime, datetime]], holes: Sequence[tuple[datetime, datetime]]
) -> list[tuple[datetime, datetime]]:
    out = intervals
    for h_start, h_end in holes:
        nxt: list[tuple[datetime, datetime]] = []
        for start, end in out:
            if h_end <= start or h_start >= end:
                nxt.append((start, end))
                continue
            if start < h_start:
                nxt.append((start, h_start))
            if h_end < end:
                nxt.append((h_end, end))
        out = nxt
    return out


def _price(
    intervals: Sequence[tuple[datetime, datetime]], versions: Sequence[Tariff], facts: BillFacts, label: str
) -> tuple[int, list[BillLine], list[Quote]]:
    """Each interval priced by the version in force at the stay's entry; an interval that starts with the stay
    follows a later version that splits stays in progress (``split_stays_in_progress``, docs/tariffs.md)."""
    tariff = version_at(versions, facts.entry_at)
    vehicle = facts.vehicle or TariffVehicle(facts.vehicle_class.value, facts.plate_color)
    total = 0
    lines: list[BillLine] = []
    quotes: list[Quote] = []
    for start, end in intervals:
        stay = vehicle.stay(start, end)
        q = quote_versions(stay, versions) if start == facts.entry_at else quote(stay, tariff)
        total += q.fee_fen
        quotes.append(q)
        exempt = q.lines[0].label if q.lines and q.lines[0].kind is LineKind.EXEMPT else None
        lines.append(BillLine(exempt or label, q.fee_fen, start, end))
    return total, lines, quotes


def _fee(
    facts: BillFacts, now: datetime, tz: ZoneInfo, covers: Sequence[Cover]
) -> tuple[int, list[BillLine], list[Quote], bool]:
    """The parking fee (outer and inner-lot stays) with ``covers`` free: fee, lines, quotes, no tariff in force."""
    lines: list[BillLine] = []
    quotes: list[Quote] = []
    fee = 0
    no_tariff = False
    inner = [
        (s.entry_at, s.exit_at or now, s)
        for s in facts.inner_stays
        if s.tariffs or (s.exit_at or now) - s.entry_at <= timedelta(minutes=s.free_minutes)
    ]
    outer = _subtract(uncovered(facts.entry_at, now, covers, tz), [(a, b) for a, b, _ in inner])
    try:
        amount, more, qs = _price(outer, facts.tariffs, facts, "parking")
    except NoTariffInForce:
        no_tariff = bool(outer)
    else:
        fee += amount
        lines += more
        quotes += qs
    for start, end, stay in inner:
        if end - start <= timedelta(minutes=stay.free_minutes):
            lines.append(BillLine("inner lot pass-through", 0, start, end))
            continue
        parts = uncovered(start, end, covers, tz)
        try:
            amount, more, qs = _price(parts, stay.tariffs, facts, "inner lot")
        except NoTariffInForce:
            continue
        fee += amount
        lines += more
        quotes += qs
    return fee, lines, quotes, no_tariff


def _coupons(facts: BillFacts, now: datetime, tz: ZoneInfo, fee: int) -> CouponOutcome:
    """The coupons' outcome; a time coupon's free start is one more cover, so the rest of the stay is priced
    exactly as a pass that ended then would leave it (tariff versions, inner lots and all)."""

    def price(end: datetime) -> int:
        if end >= now:
            return 0
        if not facts.covers and not facts.inner_stays:
            # The common stay (no pass, no inner lot): the rest is one interval, priced as ``_price`` would.
            try:
                tariff = version_at(facts.tariffs, facts.entry_at)
            except NoTariffInForce:
                return fee
            vehicle = facts.vehicle or TariffVehicle(facts.vehicle_class.value, facts.plate_color)
            return quote(vehicle.stay(end, now), tariff).fee_fen
        free = Cover(VehicleCategory.TEMPORARY, facts.entry_at, end)
        return _fee(facts, now, tz, (*facts.covers, free))[0]

    return apply_coupons(facts.coupons, fee, facts.entry_at, tz, price, facts.bound_coupon_ids)


def _parking_due(facts: BillFacts, fee: int, in_grace: bool) -> tuple[int, int]:
    discount = min(facts.discount_fen, fee)
    return discount, 0 if in_grace else max(0, fee - discount - facts.paid_fen)


def bill(facts: BillFacts, now: datetime) -> Bill:
    tz = ZoneInfo(facts.timezone)
    lines: list[BillLine] = []
    quotes: list[Quote] = []
    fee = 0
    no_tariff = False
    if facts.category not in FREE_CATEGORIES and now > facts.entry_at:
        fee, lines, quotes, no_tariff = _fee(facts, now, tz, facts.covers)
    in_grace = (
        facts.paid_fen > 0
        and facts.last_paid_at is not None
        and now - facts.last_paid_at <= timedelta(minutes=facts.grace_minutes)
    )
    outcome = CouponOutcome(fee)
    if facts.coupons and (fee > 0 or facts.bound_coupon_ids):
        outcome = _coupons(facts, now, tz, fee)
        fresh = set(outcome.coupon_ids) - facts.bound_coupon_ids
        if fresh and (in_grace or facts.paid_fen or facts.discount_fen):
            # A coupon not yet redeemed is used only if it lowers what is due now: one that only lowers a fee
            # already paid or waived would be consumed for nothing.
            bound_only = replace(facts, coupons=[c for c in facts.coupons if c.id in facts.bound_coupon_ids])
            kept = _coupons(bound_only, now, tz, fee) if bound_only.coupons else CouponOutcome(fee)
            if _parking_due(facts, kept.fee_fen, in_grace)[1] <= _parking_due(facts, outcome.fee_fen, in_grace)[1]:
                outcome = kept
    lines += [BillLine(u.label, -u.discount_fen, coupon_id=u.coupon_id) for u in outcome.uses]
    discount, parking_due = _parking_due(facts, outcome.fee_fen, in_grace)
    if facts.arrears_fen:
        lines.append(BillLine("arrears", facts.arrears_fen))
    return Bill(
        fee_fen=outcome.fee_fen,
        discount_fen=discount,
        paid_fen=facts.paid_fen,
        arrears_fen=facts.arrears_fen,
        due_fen=parking_due + facts.arrears_fen,
        in_grace=in_grace,
        no_tariff=no_tariff,
        lines=tuple(lines),
        quotes=tuple(quotes),
        coupon_fen=outcome.coupon_fen,
        coupons=outcome.uses,
    )
