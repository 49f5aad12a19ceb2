"""Properties on sample and random tariffs: monotone in exit, caps hold, lines sum to total, free is 0."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from parking.plates import PlateColor
from parking.tariffs import LineKind, Stay, Tariff, VehicleClass, compile_tariff, quote, quote_versions
from parking.tariffs.compiled import CCaps, CTimed
from parking.tariffs.document import (
    Caps,
    ClassTariff,
    FirstPeriod,
    FreeTime,
    NewEnergyOverlay,
    Period,
    Rounding,
    TimedRule,
)
from parking.tariffs.samples import ALL, EFFECTIVE

SAMPLES = [make() for make in ALL.values()]
CHARGES = {LineKind.FIRST_PERIOD, LineKind.UNITS, LineKind.FLAT, LineKind.CAP}


@st.composite
def _periods(draw: st.DrawFn, cuts: list[int]) -> list[Period]:
    out = []
    for i, start in enumerate(cuts):
        end = cuts[(i + 1) % len(cuts)]
        name = f"p{i}"
        bounds = {"start": time(start // 60, start % 60), "end": time(end // 60, end % 60)}
        if draw(st.integers(0, 4)) == 0:
            out.append(Period(name=name, flat_fen=draw(st.integers(0, 1000)), **bounds))
        else:
            unit = draw(st.sampled_from([15, 30, 60, 120]))
            out.append(Period(name=name, unit_minutes=unit, unit_price_fen=draw(st.integers(0, 600)), **bounds))
    return out


@st.composite
def _tariffs(draw: st.DrawFn) -> Tariff:
    cuts = sorted(draw(st.sets(st.integers(0, 47).map(lambda h: h * 30), min_size=1, max_size=3)))
    periods = draw(_periods(cuts))
    holiday = draw(st.none() | _periods(cuts))
    first = draw(
        st.none()
        | st.builds(
            FirstPeriod,
            minutes=st.sampled_from([30, 60, 120]),
            price_fen=st.integers(0, 1000),
            first_24h_only=st.booleans(),
        )
    )
    top = max(
        [first.price_fen if first else 0] + [p.unit_price_fen or p.flat_fen or 0 for p in periods + (holiday or [])]
    )
    steps = draw(st.lists(st.integers(0, 3000), min_size=1, max_size=3))
    daily = [top + sum(steps[: i + 1]) for i in range(len(steps))]
    caps = draw(
        st.none() | st.builds(Caps, basis=st.sampled_from(["rolling_24h", "calendar_day"]), daily_fen=st.just(daily))
    )
    second = None
    if caps is not None:
        other = "calendar_day" if caps.basis == "rolling_24h" else "rolling_24h"
        second = draw(st.none() | st.just(Caps(basis=other, daily_fen=[top + draw(st.integers(0, 3000))])))
    rule = TimedRule(
        free=FreeTime(
            minutes=draw(st.integers(0, 60)),
            mode=draw(st.sampled_from(["charge_from_start", "free_part_free"])),
            first_24h_only=draw(st.booleans()),
        ),
        first_period=first,
        periods=periods,
        holiday_periods=holiday,
        partial_unit=draw(st.sampled_from(["whole", "drop"])),
        unit_rounding=draw(st.sampled_from(["per_segment", "whole_stay"])),
        caps=caps,
        second_caps=second,
    )
    return Tariff(
        name="random",
        effective_from=EFFECTIVE,
        timezone=draw(st.sampled_from(["Asia/Shanghai", "Asia/Shanghai", "Europe/Berlin"])),
        classes={VehicleClass.SMALL: ClassTariff(rule=rule)},
        new_energy=NewEnergyOverlay(
            extra_free_minutes=draw(st.integers(0, 120)), discount_percent=draw(st.integers(0, 100))
        ),
        rounding=Rounding(
            unit=draw(st.sampled_from(["fen", "jiao", "yuan"])),
            mode=draw(st.sampled_from(["up", "down", "half_up"])),
        ),
    )


TARIFFS = st.sampled_from(SAMPLES) | _tariffs()
ENTRIES = st.integers(0, 365 * 86_400).map(lambda s: datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=s))
DURATIONS = st.integers(0, 96 * 3600)
CLASSES = st.sampled_from(list(VehicleClass))
COLORS = st.sampled_from([PlateColor.BLUE, PlateColor.YELLOW, PlateColor.GREEN])


@settings(max_examples=300, deadline=None)
@given(TARIFFS, ENTRIES, DURATIONS, st.integers(0, 6 * 3600), CLASSES, COLORS)
def test_fee_never_decreases_as_exit_moves_later(
    tariff: Tariff, entry: datetime, seconds: int, later: int, vc: VehicleClass, color: PlateColor
) -> None:
    sooner = quote(Stay(entry, entry + timedelta(seconds=seconds), vc, color), tariff)
    after = quote(Stay(entry, entry + timedelta(seconds=seconds + later), vc, color), tariff)

    assert sooner.fee_fen <= after.fee_fen


@settings(max_examples=300, deadline=None)
@given(TARIFFS, ENTRIES, DURATIONS, CLASSES, COLORS, st.integers(0, 20_000))
def test_breakdown_sums_to_the_total(
    tariff: Tariff, entry: datetime, seconds: int, vc: VehicleClass, color: PlateColor, paid: int
) -> None:
    q = quote(Stay(entry, entry + timedelta(seconds=seconds), vc, color, paid_fen=paid), tariff)

    assert sum(line.amount_fen for line in q.lines) == q.due_fen
    assert q.due_fen == max(0, q.fee_fen - paid)


def _cap_days(tariff: Tariff, calendar_day: bool, entry: datetime, exit_: datetime) -> int:
    if not calendar_day:
        return max(1, -(-int((exit_ - entry).total_seconds()) // 86_400))
    tz = ZoneInfo(tariff.timezone)
    return (exit_.astimezone(tz).date() - entry.astimezone(tz).date()).days + 1


@settings(max_examples=300, deadline=None)
@given(TARIFFS, ENTRIES, DURATIONS, CLASSES)
def test_charges_never_exceed_the_caps_in_force(
    tariff: Tariff, entry: datetime, seconds: int, vc: VehicleClass
) -> None:
    ct = compile_tariff(tariff)
    rule = ct.rules.get(vc) or ct.rules[VehicleClass.SMALL]
    exit_ = entry + timedelta(seconds=seconds)
    q = quote(Stay(entry, exit_, vc), ct)

    charged = sum(line.amount_fen for line in q.lines if line.kind in CHARGES)
    if isinstance(rule, CTimed):
        both = [CCaps(rule.calendar_day_caps, rule.caps, rule.full_day_cap), rule.second]
        for caps in [c for c in both if c is not None and c.cap(0) is not None]:
            days = _cap_days(tariff, caps.calendar_day, entry, exit_)
            assert charged <= sum(caps.cap(k) or 0 for k in range(days))


@settings(max_examples=300, deadline=None)
@given(TARIFFS, ENTRIES, st.floats(0, 1), CLASSES, COLORS)
def test_zero_within_free_time(
    tariff: Tariff, entry: datetime, fraction: float, vc: VehicleClass, color: PlateColor
) -> None:
    ct = compile_tariff(tariff)
    rule = ct.rules.get(vc) or ct.rules[VehicleClass.SMALL]
    new_energy = vc is VehicleClass.NEW_ENERGY or color in ct.ne_colors
    free_s = rule.free_s + (ct.ne_extra_free_s if new_energy else 0)
    stay = Stay(entry, entry + timedelta(seconds=int(free_s * fraction)), vc, color)

    assert quote(stay, ct).fee_fen == 0


def _split_versions(first: Tariff, second: Tariff, change: datetime) -> list[Tariff]:
    return [first, second.model_copy(update={"version": 2, "effective_from": change, "split_stays_in_progress": True})]


@settings(max_examples=200, deadline=None)
@given(TARIFFS, TARIFFS, ENTRIES, st.integers(1, 48 * 3600), DURATIONS, st.integers(0, 6 * 3600), CLASSES)
def test_split_stays_are_monotone_summed_and_bounded(
    first: Tariff, second: Tariff, entry: datetime, change_after: int, seconds: int, later: int, vc: VehicleClass
) -> None:
    versions = _split_versions(first, second, entry + timedelta(seconds=change_after))
    sooner = Stay(entry, entry + timedelta(seconds=seconds), vc)
    after = Stay(entry, entry + timedelta(seconds=seconds + later), vc)

    q1, q2 = quote_versions(sooner, versions), quote_versions(after, versions)

    assert q1.fee_fen <= q2.fee_fen
    assert sum(line.amount_fen for line in q2.lines) == q2.due_fen
    assert q2.fee_fen <= max(quote(after, first).fee_fen, quote(after, versions[1]).fee_fen)
