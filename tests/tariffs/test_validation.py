"""validate_tariff reports (field path, reason) for every problem; parse_tariff refuses with all of them."""

import json
from datetime import datetime, timedelta
from typing import Any

import pytest

from parking.tariffs import (
    InvalidTariff,
    Stay,
    TariffProblem,
    compile_tariff,
    parse_tariff,
    quote,
    validate_tariff,
)
from parking.tariffs.samples import ALL, CST, day_night


def _doc(**rule: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "periods": [
            {"name": "day", "start": "08:00", "end": "20:00", "unit_minutes": 30, "unit_price_fen": 200},
            {"name": "night", "start": "20:00", "end": "08:00", "unit_minutes": 60, "unit_price_fen": 100},
        ]
    }
    base.update(rule)
    return {
        "name": "lot",
        "effective_from": "2026-01-01T00:00:00+08:00",
        "classes": {"small": {"rule": base}},
    }


@pytest.mark.parametrize("make", list(ALL.values()))
def test_sample_tariffs_are_valid(make: Any) -> None:
    assert validate_tariff(make()) == []


def test_valid_json_document_has_no_problems() -> None:
    assert validate_tariff(_doc()) == []


def test_overlapping_periods() -> None:
    doc = _doc()
    doc["classes"]["small"]["rule"]["periods"][1]["start"] = "19:00"

    assert validate_tariff(doc) == [TariffProblem("classes.small.rule.periods", "periods overlap at 19:00")]


def test_gapped_periods() -> None:
    doc = _doc()
    doc["classes"]["small"]["rule"]["periods"][1]["start"] = "21:00"

    assert validate_tariff(doc) == [TariffProblem("classes.small.rule.periods", "periods leave a gap at 20:00")]


def test_negative_price_names_the_field() -> None:
    doc = _doc()
    doc["classes"]["small"]["rule"]["periods"][0]["unit_price_fen"] = -200

    assert validate_tariff(doc) == [
        TariffProblem("classes.small.rule.periods[0].unit_price_fen", "Input should be greater than or equal to 0")
    ]


def test_empty_rules() -> None:
    doc = _doc(periods=[])

    assert validate_tariff(doc) == [TariffProblem("classes.small.rule.periods", "at least one period is required")]


def test_no_classes() -> None:
    doc = _doc()
    doc["classes"] = {}

    assert validate_tariff(doc) == [TariffProblem("classes", "at least one vehicle class is required")]


def test_period_needs_a_price() -> None:
    doc = _doc()
    del doc["classes"]["small"]["rule"]["periods"][0]["unit_price_fen"]

    assert validate_tariff(doc) == [
        TariffProblem("classes.small.rule.periods[0]", "give either unit_minutes with unit_price_fen, or flat_fen")
    ]


def test_caps_below_unit_price_and_decreasing() -> None:
    doc = _doc(caps={"daily_fen": [150, 3000, 2000]})

    assert validate_tariff(doc) == [
        TariffProblem("classes.small.rule.caps.daily_fen[0]", "cap 150 is below a unit price 200"),
        TariffProblem("classes.small.rule.caps.daily_fen[2]", "escalating caps must not decrease"),
    ]


def test_full_day_hours_needs_a_unit_priced_period() -> None:
    doc = _doc(caps={"full_day_hours": 10, "full_day_rate_period": "evening"})

    assert validate_tariff(doc) == [
        TariffProblem("classes.small.rule.caps.full_day_rate_period", "no unit-priced period 'evening'")
    ]


def test_same_as_cycle_and_missing_small() -> None:
    doc = _doc()
    doc["classes"] = {
        "large": {"same_as": "motorcycle"},
        "motorcycle": {"same_as": "large"},
    }

    assert validate_tariff(doc) == [
        TariffProblem("classes", "small is required: unlisted classes are priced as small"),
        TariffProblem("classes.large.same_as", "same_as forms a cycle"),
        TariffProblem("classes.motorcycle.same_as", "same_as forms a cycle"),
    ]


def test_holiday_that_is_also_a_workday_and_bad_time_zone() -> None:
    doc = _doc()
    doc["timezone"] = "Mars/Olympus"
    doc["calendar"] = {"holidays": ["2026-10-01"], "workdays": ["2026-10-01"]}

    assert validate_tariff(doc) == [
        TariffProblem("timezone", "unknown time zone 'Mars/Olympus'"),
        TariffProblem("calendar", "2026-10-01 is both a holiday and a make-up workday"),
    ]


def test_parse_tariff_refuses_with_every_problem() -> None:
    doc = _doc(caps={"daily_fen": [150]})

    with pytest.raises(InvalidTariff) as err:
        parse_tariff(doc)
    assert err.value.problems == [("classes.small.rule.caps.daily_fen[0]", "cap 150 is below a unit price 200")]


def test_compile_refuses_an_invalid_model() -> None:
    tariff = day_night().model_copy(update={"classes": {}})

    with pytest.raises(InvalidTariff):
        compile_tariff(tariff)


def test_document_round_trips_through_json_with_the_same_fees() -> None:
    original = day_night()
    entry = datetime(2026, 9, 30, 19, tzinfo=CST)
    stay = Stay(entry, entry + timedelta(hours=14))

    restored = parse_tariff(json.dumps(json.loads(original.model_dump_json())))

    assert restored == original
    assert quote(stay, restored).fee_fen == quote(stay, original).fee_fen == 1200


def test_rule_kind_may_be_left_out() -> None:
    original = day_night()

    restored = parse_tariff(original.model_dump_json(exclude_defaults=True))

    assert restored == original


def test_unknown_rule_kind_is_refused() -> None:
    doc = _doc(kind="hourly")

    assert [p.path for p in validate_tariff(doc)] == ["classes.small.rule"]
