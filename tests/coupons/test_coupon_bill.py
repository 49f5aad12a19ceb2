"""Coupons on a stay's bill (parking/sessions/discounts.py, docs/coupons.md), on the published tariffs, to the fen.

Each expected value is worked out by hand in the comment above it from the lot's notice (parking/tariffs/samples.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parking.merchants.models import CouponKind
from parking.merchants.terms import CouponTerms
from parking.merchants.texts import coupon_label
from parking.sessions.billing import Bill, BillFacts, bill
from parking.sessions.discounts import apply_coupons
from parking.tariffs.document import Tariff
from parking.tariffs.samples import ALL, CST, chongqing_airport_t2, yuncheng_north, zhongxiang_tourist_centre
from parking.tenancy.enums import VehicleCategory
from parking.vehicles.standing import Cover

TZ = "Asia/Shanghai"
ENTRY = datetime(2026, 3, 2, 10, 0, tzinfo=CST)  # a Monday, 10:00 in Shanghai
_ids = iter(range(1, 1_000_000))


def coupon(
    kind: CouponKind,
    value: int,
    *,
    template: int | None = None,
    stackable: bool = True,
    per_stay: int = 1,
    issued_at: datetime = ENTRY,
    id: int | None = None,
) -> CouponTerms:
    cid = id if id is not None else next(_ids)
    return CouponTerms(cid, kind, value, issued_at, per_stay, stackable, template if template is not None else cid)


def billed(tariffs: list[Tariff], minutes: int, *coupons: CouponTerms, **facts: object) -> Bill:
    return bill(
        BillFacts(entry_at=ENTRY, timezone=TZ, tariffs=tariffs, coupons=coupons, **facts),  # type: ignore[arg-type]
        ENTRY + timedelta(minutes=minutes),
    )


def coupon_lines(b: Bill) -> list[tuple[str, int]]:
    return [(line.label, line.amount_fen) for line in b.lines if line.coupon_id is not None]


# 重庆江北机场 T2, small car: ≤15 min free; first hour 5 元; then 2 元 per (started) 30 min; 50 元 per 24 h.
# 10:00-14:10 is 4 h 10 min: 500 + ceil(190 / 30) = 7 units × 200 = 1900.
T2 = [chongqing_airport_t2()]
STAY = 250


def test_without_coupons_the_bill_is_as_before() -> None:
    b = billed(T2, STAY)
    assert (b.fee_fen, b.coupon_fen, b.due_fen, b.coupons) == (1900, 0, 1900, ())


def test_a_minutes_coupon_frees_the_start_and_prices_the_rest_as_a_stay_of_its_own() -> None:
    # 12:00-14:10 (2 h 10 min): 500 + ceil(70 / 30) = 3 × 200 → 1100; the coupon took 800
    b = billed(T2, STAY, coupon(CouponKind.MINUTES, 120))
    assert (b.fee_fen, b.coupon_fen, b.due_fen) == (1100, 800, 1100)
    assert coupon_lines(b) == [("优惠券（减时2小时）", -800)]
    assert b.gross_fee_fen == 1900
    assert sum(line.amount_fen for line in b.lines) == b.due_fen


def test_minutes_coupons_add_up() -> None:
    # 90 + 30 min: the same 2 h free start as one 120 min coupon; each line what it took off in turn:
    # 90 min → 11:30-14:10 (2 h 40 min) = 500 + 4 × 200 = 1300 (600 off); then 2 h → 1100 (200 off)
    b = billed(T2, STAY, coupon(CouponKind.MINUTES, 30), coupon(CouponKind.MINUTES, 90))
    assert b.fee_fen == 1100
    assert coupon_lines(b) == [("优惠券（减时1小时30分钟）", -600), ("优惠券（减时30分钟）", -200)]


def test_an_until_coupon_frees_the_stay_up_to_its_clock_time_on_the_day_it_was_issued() -> None:
    # free until 11:30 (690 min after midnight): 11:30-14:10 = 2 h 40 min → 1300; 600 off
    b = billed(T2, STAY, coupon(CouponKind.UNTIL, 690, issued_at=ENTRY - timedelta(hours=2)))
    assert (b.fee_fen, coupon_lines(b)) == (1300, [("优惠券（11:30前免费）", -600)])
    # issued the day before, its 11:30 has long passed: it takes nothing off and is not used
    stale = billed(T2, STAY, coupon(CouponKind.UNTIL, 690, issued_at=ENTRY - timedelta(days=1)))
    assert (stale.fee_fen, stale.coupons) == (1900, ())


def test_minutes_and_until_cover_the_union_and_the_shorter_one_is_not_consumed() -> None:
    # [10:00, 12:00] ∪ [10:00, 11:30] = [10:00, 12:00]: the 2 h coupon alone does it; the UNTIL is kept
    until = coupon(CouponKind.UNTIL, 690)
    b = billed(T2, STAY, coupon(CouponKind.MINUTES, 120), until)
    assert b.fee_fen == 1100
    assert until.id not in b.coupon_ids
    assert len(b.coupons) == 1


def test_a_percent_coupon_applies_after_the_time_coupons_and_an_amount_after_it() -> None:
    # 1900 → 2 h free → 1100; 八折: pays 880 (220 off); then 5 元 off → 380
    b = billed(
        T2, STAY, coupon(CouponKind.AMOUNT, 500), coupon(CouponKind.PERCENT, 80), coupon(CouponKind.MINUTES, 120)
    )
    assert coupon_lines(b) == [("优惠券（减时2小时）", -800), ("八折券", -220), ("优惠券（减免5元）", -500)]
    assert (b.fee_fen, b.coupon_fen, b.due_fen) == (380, 1520, 380)


def test_only_the_best_percent_coupon_is_used() -> None:
    # 七五折 beats 九折: 1900 × 0.75 = 1425 (475 off); the 九折 coupon is not consumed
    b = billed(T2, STAY, coupon(CouponKind.PERCENT, 90), coupon(CouponKind.PERCENT, 75))
    assert coupon_lines(b) == [("七五折券", -475)]


def test_a_percent_is_rounded_down_to_the_fen_in_the_drivers_favour() -> None:
    flat = apply_coupons([coupon(CouponKind.PERCENT, 85)], 999, ENTRY, ZoneInfo(TZ), lambda end: 999)
    # 999 × 0.85 = 849.15: the driver pays 849
    assert (flat.fee_fen, flat.coupon_fen) == (849, 150)


def test_amount_coupons_never_take_the_fee_below_zero_and_a_spare_one_is_kept() -> None:
    # 1900 - 1000 - 1000 = 0 with two 10 元 coupons; a third is not consumed
    coupons = [coupon(CouponKind.AMOUNT, 1000) for _ in range(3)]
    b = billed(T2, STAY, *coupons)
    assert (b.fee_fen, b.coupon_fen, len(b.coupons)) == (0, 1900, 2)
    assert coupon_lines(b) == [("优惠券（减免10元）", -1000), ("优惠券（减免10元）", -900)]


def test_the_smallest_amount_coupon_that_covers_the_rest_is_used_first() -> None:
    # 1 h 10 min: 500 + 1 × 200 = 700; a 10 元 and a 8 元 coupon: the 8 元 one covers it, the 10 元 is kept
    big, small = coupon(CouponKind.AMOUNT, 1000), coupon(CouponKind.AMOUNT, 800)
    b = billed(T2, 70, big, small)
    assert (b.fee_fen, b.coupon_ids) == (0, (small.id,))


def test_a_full_coupon_takes_the_whole_fee_and_nothing_else_is_consumed() -> None:
    full = coupon(CouponKind.FULL, 0)
    b = billed(T2, STAY, coupon(CouponKind.AMOUNT, 500), full, coupon(CouponKind.MINUTES, 60), arrears_fen=700)
    assert coupon_lines(b) == [("全免券", -1900)]
    # never arrears: the driver still owes the earlier stay's 700
    assert (b.fee_fen, b.due_fen, b.parking_due_fen) == (0, 700, 0)


def test_a_non_stackable_coupon_does_not_combine_and_the_cheaper_option_wins() -> None:
    # stackable 2 h + 3 元 off: 1100 - 300 = 800; a non-stackable 五折 alone: 950 → the stackable pair wins
    half = coupon(CouponKind.PERCENT, 50, stackable=False)
    pair = [coupon(CouponKind.MINUTES, 120), coupon(CouponKind.AMOUNT, 300)]
    b = billed(T2, STAY, half, *pair)
    assert (b.fee_fen, half.id not in b.coupon_ids) == (800, True)
    # a non-stackable 三折 alone: 1900 × 0.3 = 570 beats 800, and nothing else is consumed
    third = coupon(CouponKind.PERCENT, 30, stackable=False)
    b = billed(T2, STAY, third, *pair)
    assert (b.fee_fen, b.coupon_ids) == (570, (third.id,))


def test_a_non_stackable_template_combines_with_its_own_coupons_up_to_max_per_stay() -> None:
    # three 5 元 coupons of one non-stackable template, two per stay: 1000 off, with a stackable 1 h one unused
    same = [coupon(CouponKind.AMOUNT, 500, template=77, stackable=False, per_stay=2) for _ in range(3)]
    b = billed(T2, STAY, *same)
    assert (b.fee_fen, len(b.coupons)) == (900, 2)
    # a stackable template is limited the same way
    many = [coupon(CouponKind.MINUTES, 60, template=78, per_stay=2) for _ in range(3)]
    # 2 h free → 1100
    assert billed(T2, STAY, *many).fee_fen == 1100


def test_ties_between_options_go_to_the_fewest_coupons_then_the_lowest_ids() -> None:
    a = coupon(CouponKind.FULL, 0, stackable=False, id=900_001)
    b = coupon(CouponKind.FULL, 0, stackable=False, id=900_002)
    assert billed(T2, STAY, b, a).coupon_ids == (a.id,)
    assert billed(T2, STAY, a, b).coupon_ids == (a.id,)


# 运城北站: ≤15 min free; first hour 2 元; then 2 元 per started hour; 25 元 per 24 h (from entry, restarting).
def test_yuncheng_north_minutes_and_amount() -> None:
    # 10:00-15:20 (5 h 20 min): 200 + 5 × 200 = 1200. 3 h free → 13:00-15:20 (2 h 20 min): 200 + 2 × 200 = 600
    # (600 off); 2 元 off → 400
    b = billed([yuncheng_north()], 320, coupon(CouponKind.MINUTES, 180), coupon(CouponKind.AMOUNT, 200))
    assert (b.gross_fee_fen, b.fee_fen) == (1200, 400)
    assert coupon_lines(b) == [("优惠券（减时3小时）", -600), ("优惠券（减免2元）", -200)]


def test_a_free_start_that_leaves_less_than_the_free_minutes_costs_nothing() -> None:
    # 10:00-12:10 with 2 h free: the 10 min left are within the notice's free 15 min
    b = billed([yuncheng_north()], 130, coupon(CouponKind.MINUTES, 120))
    assert (b.gross_fee_fen, b.fee_fen, coupon_lines(b)) == (600, 0, [("优惠券（减时2小时）", -600)])


# 钟祥游客中心: < 30 min free; 5 元 for the first 2 h; 2 元 per started hour after; 20 元 per calendar day.
def test_zhongxiang_until_and_percent() -> None:
    # 10:00-16:20: 500 + ceil(260 / 60) = 5 × 200 → 1500. Free until 13:00: 13:00-16:20 (3 h 20 min):
    # 500 + 2 × 200 = 900 (600 off); 八五折: 765 (135 off)
    b = billed([zhongxiang_tourist_centre()], 380, coupon(CouponKind.UNTIL, 13 * 60), coupon(CouponKind.PERCENT, 85))
    assert coupon_lines(b) == [("优惠券（13:00前免费）", -600), ("八五折券", -135)]
    assert b.fee_fen == 765


def test_a_stay_crossing_a_tariff_change_keeps_the_entry_version_for_the_rest() -> None:
    # a dearer version from 12:00 (no split of stays in progress): the stay, and the rest of it after a 2 h free
    # start, are priced by the version in force at entry, as for a pass that ended at 12:00: 1100
    dearer = chongqing_airport_t2().model_copy(
        update={"effective_from": ENTRY + timedelta(hours=2), "version": 2, "name": "dearer"}
    )
    rule = dearer.classes[next(iter(dearer.classes))].rule
    assert rule is not None
    b = billed([chongqing_airport_t2(), dearer], STAY, coupon(CouponKind.MINUTES, 120))
    assert (b.gross_fee_fen, b.fee_fen) == (1900, 1100)


def test_a_free_start_and_a_pass_leave_only_the_time_between_them_to_pay() -> None:
    # a monthly pass from 13:00: 10:00-13:00 is 500 + 4 × 200 = 1300; with 2 h free, 12:00-13:00 is 500
    monthly = Cover(VehicleCategory.MONTHLY, ENTRY + timedelta(hours=3), None)
    b = billed(T2, 300, coupon(CouponKind.MINUTES, 120), covers=(monthly,))
    assert (b.gross_fee_fen, b.fee_fen) == (1300, 500)


def test_a_paid_stay_in_its_grace_window_consumes_no_new_coupon() -> None:
    b = billed(T2, STAY, coupon(CouponKind.AMOUNT, 500), paid_fen=1900, last_paid_at=ENTRY + timedelta(minutes=245))
    assert (b.due_fen, b.coupons) == (0, ())


def test_a_coupon_bound_by_an_earlier_payment_is_always_used() -> None:
    # paid 1100 at 14:10 with a 2 h coupon; leaving at 15:00 (past the grace): 12:00-15:00 = 500 + 4 × 200 = 1300
    bound = coupon(CouponKind.MINUTES, 120)
    b = billed(
        T2,
        300,
        bound,
        paid_fen=1100,
        last_paid_at=ENTRY + timedelta(minutes=250),
        bound_coupon_ids=frozenset({bound.id}),
    )
    assert (b.fee_fen, b.due_fen, b.coupons[0].redeemed) == (1300, 200, True)
    # a fresh 1 元 coupon lowers what is due: used; a FULL one would take the rest too
    fresh = coupon(CouponKind.AMOUNT, 100)
    b = billed(
        T2,
        300,
        bound,
        fresh,
        paid_fen=1100,
        last_paid_at=ENTRY + timedelta(minutes=250),
        bound_coupon_ids=frozenset({bound.id}),
    )
    assert (b.due_fen, b.coupon_ids) == (100, (bound.id, fresh.id))


def test_labels_come_from_the_catalogue() -> None:
    assert coupon_label(CouponKind.PERCENT, 80) == "八折券"
    assert coupon_label(CouponKind.PERCENT, 85) == "八五折券"
    assert coupon_label(CouponKind.FULL, 0) == "全免券"
    assert coupon_label(CouponKind.MINUTES, 90) == "优惠券（减时1小时30分钟）"
    assert coupon_label(CouponKind.AMOUNT, 250) == "优惠券（减免2.5元）"


# --- properties, on every sample tariff ---

_KINDS = st.sampled_from(list(CouponKind))


@st.composite
def coupons_st(draw: st.DrawFn) -> list[CouponTerms]:
    """Up to 6 coupons of up to 3 templates; a template's coupons share its kind, stacking and limit."""
    templates = {
        t: (draw(_KINDS), draw(st.booleans()), draw(st.integers(1, 3))) for t in range(1, draw(st.integers(1, 3)) + 1)
    }
    out = []
    for i in range(draw(st.integers(0, 6))):
        template = draw(st.sampled_from(sorted(templates)))
        kind, stackable, per_stay = templates[template]
        out.append(
            CouponTerms(
                i + 1,
                kind,
                draw(_VALUES[kind]),
                ENTRY - timedelta(minutes=draw(st.integers(0, 600))),
                per_stay,
                stackable,
                template,
            )
        )
    return out


_VALUES = {
    CouponKind.MINUTES: st.integers(0, 600),
    CouponKind.AMOUNT: st.integers(0, 5000),
    CouponKind.PERCENT: st.integers(0, 100),
    CouponKind.FULL: st.just(0),
    CouponKind.UNTIL: st.integers(0, 1439),
}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(sorted(ALL)),
    minutes=st.integers(1, 3 * 24 * 60),
    coupons=coupons_st(),
    extra=st.data(),
)
def test_coupons_never_make_a_fee_negative_or_dearer_and_more_coupons_never_cost_more(
    name: str, minutes: int, coupons: list[CouponTerms], extra: st.DataObject
) -> None:
    tariffs = [ALL[name]()]
    plain = billed(tariffs, minutes)
    with_some = billed(tariffs, minutes, *coupons)
    # one more coupon: of a template already there (same terms) or of a new one
    like = extra.draw(st.sampled_from([*coupons, None]))
    if like is None:
        kind = extra.draw(_KINDS)
        added = CouponTerms(99, kind, extra.draw(_VALUES[kind]), ENTRY, 1, extra.draw(st.booleans()), 99)
    else:
        added = CouponTerms(
            99, like.kind, extra.draw(_VALUES[like.kind]), ENTRY, like.max_per_stay, like.stackable, like.template_id
        )
    more = [*coupons, added]
    with_more = billed(tariffs, minutes, *more)
    assert 0 <= with_some.fee_fen <= plain.fee_fen
    assert with_more.fee_fen <= with_some.fee_fen
    for b in (with_some, with_more):
        assert b.gross_fee_fen == plain.fee_fen
        assert b.coupon_fen == -sum(line.amount_fen for line in b.lines if line.coupon_id is not None)
        assert all(u.discount_fen >= 0 for u in b.coupons)
        assert len(set(b.coupon_ids)) == len(b.coupon_ids)


pytestmark = pytest.mark.filterwarnings("error")
