"""A tariff that changes during a stay: the entry version prices it all, unless the new version splits it."""

from datetime import datetime, timedelta

import pytest

from parking.tariffs import (
    LineKind,
    NoTariffInForce,
    Stay,
    Tariff,
    compile_tariff,
    quote_versions,
    version_at,
    version_pieces,
)
from parking.tariffs.document import ClassTariff, FirstPeriod, TimedRule, VehicleClass
from parking.tariffs.samples import CST, airport

V1 = airport()
# Compile first: the copy below must not reuse version 1's compiled form.
compile_tariff(V1)
_rule = V1.classes[VehicleClass.SMALL].rule
assert isinstance(_rule, TimedRule)
CHANGE = datetime(2026, 3, 5, tzinfo=CST)
NEW_FIRST = FirstPeriod(minutes=60, price_fen=800)
# From 5 March the first hour costs 8 元 instead of 5.
V2 = V1.model_copy(
    update={
        "version": 2,
        "effective_from": CHANGE,
        "classes": {
            **V1.classes,
            VehicleClass.SMALL: V1.classes[VehicleClass.SMALL].model_copy(
                update={"rule": _rule.model_copy(update={"first_period": NEW_FIRST})}
            ),
        },
    }
)


def test_stay_crossing_the_change_uses_the_version_at_entry() -> None:
    given = Stay(CHANGE - timedelta(hours=4), CHANGE + timedelta(hours=1))

    q = quote_versions(given, [V2, V1])

    # 500 + 8 x 150 under version 1, although the last hour is after the change.
    assert (q.tariff_version, q.fee_fen) == (1, 1700)


def test_stay_entering_at_the_change_uses_the_new_version() -> None:
    given = Stay(CHANGE, CHANGE + timedelta(hours=5))

    q = quote_versions(given, [V1, V2])

    assert (q.tariff_version, q.fee_fen) == (2, 800 + 8 * 150)


def test_no_version_in_force_before_the_first() -> None:
    with pytest.raises(NoTariffInForce):
        version_at([V1, V2], datetime(2025, 12, 31, 23, 59, tzinfo=CST))


def _v2(split: bool, unit_fen: int = 200, caps: list[int] | None = None) -> Tariff:
    """Version 2 from CHANGE: first hour 8 元, ``unit_fen`` per 30 min, optionally other caps."""
    assert isinstance(_rule, TimedRule)
    assert _rule.caps is not None
    rule = _rule.model_copy(
        update={
            "first_period": NEW_FIRST,
            "periods": [_rule.periods[0].model_copy(update={"unit_price_fen": unit_fen})],
            "caps": _rule.caps.model_copy(update={"daily_fen": caps or _rule.caps.daily_fen}),
        }
    )
    return V1.model_copy(
        update={
            "version": 2,
            "effective_from": CHANGE,
            "split_stays_in_progress": split,
            "classes": {VehicleClass.SMALL: ClassTariff(rule=rule)},
        }
    )


def test_entry_version_rule_ignores_a_non_splitting_change() -> None:
    given = Stay(CHANGE - timedelta(hours=4), CHANGE + timedelta(hours=1))

    q = quote_versions(given, [V1, _v2(split=False)])

    # 500 + 8 x 150: version 1 throughout.
    assert (q.tariff_version, q.fee_fen) == (1, 1700)
    assert LineKind.TARIFF_CHANGE not in {line.kind for line in q.lines}


def test_splitting_version_prices_the_rest_of_the_stay() -> None:
    given = Stay(CHANGE - timedelta(hours=4), CHANGE + timedelta(hours=1))

    q = quote_versions(given, [V1, _v2(split=True)])

    # Before the change, version 1: 500 + 6 x 150 = 1400. After: version 2 continuing the stay from entry,
    # (800 + 8 x 200) - (800 + 6 x 200) = 400: no second first hour, no second free time.
    assert q.fee_fen == 1800
    changes = [
        (line.label, line.amount_fen, line.start_s, line.end_s)
        for line in q.lines
        if line.kind is LineKind.TARIFF_CHANGE
    ]
    assert changes == [("airport-long-stay 第2版", 400, 4 * 3600, 5 * 3600)]
    assert sum(line.amount_fen for line in q.lines) == q.due_fen == 1800


def test_split_stay_ending_before_the_change_is_the_old_price() -> None:
    given = Stay(CHANGE - timedelta(hours=4), CHANGE - timedelta(minutes=1))

    assert quote_versions(given, [V1, _v2(split=True)]).fee_fen == 500 + 6 * 150


def test_split_fee_never_exceeds_the_dearest_single_version() -> None:
    # Version 2 is cheaper per unit but has a higher cap: before the change v1 costs more.
    v2 = _v2(split=True, unit_fen=100, caps=[6000])
    given = Stay(CHANGE - timedelta(hours=8), CHANGE + timedelta(hours=16))

    q = quote_versions(given, [V1, v2])

    # Split: v1 500 + 14 x 150 = 2600, then v2 (800 + 46 x 100) - (800 + 14 x 100) = 3200: 5800.
    # v1 alone: 3000 (cap); v2 alone: 800 + 46 x 100 = 5400, the most a single version would charge.
    assert q.fee_fen == 5400
    assert [line.amount_fen for line in q.lines if line.label == "不超过按单一版本计费"] == [-400]


def test_split_pieces_and_payment() -> None:
    given = Stay(CHANGE - timedelta(hours=4), CHANGE + timedelta(hours=1), paid_fen=1000)
    v2 = _v2(split=True)

    pieces = version_pieces(given, [V1, v2])
    q = quote_versions(given, [v2, V1])

    assert [(v.version, a, b) for v, a, b in pieces] == [(1, given.entry, CHANGE), (2, CHANGE, given.exit)]
    assert (q.fee_fen, q.paid_fen, q.due_fen) == (1800, 1000, 800)
    assert sum(line.amount_fen for line in q.lines) == 800
