"""A tariff that changes during a stay: the version in force at entry prices the whole stay."""

from datetime import datetime, timedelta

import pytest

from parking.tariffs import NoTariffInForce, Stay, compile_tariff, quote_versions, version_at
from parking.tariffs.document import FirstPeriod, TimedRule, VehicleClass
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
