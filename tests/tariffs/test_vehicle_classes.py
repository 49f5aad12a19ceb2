"""Vehicle classes and exemptions on the published tariffs: one inference from plate + record, lot classes, kinds."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parking.plates import DIGITS, LETTERS, NEW_ENERGY_LETTERS, NO_PLATE, PROVINCES, PlateColor
from parking.sessions.billing import BillFacts, bill
from parking.tariffs import LineKind, Tariff, quote, quote_versions, samples, validate_tariff
from parking.tariffs.exemptions import REASONS
from parking.tariffs.vehicle import NO_REGISTRATION, Registration, TariffVehicle, tariff_vehicle
from parking.tenancy.enums import VehicleClass as RowClass
from parking.vehicles.enums import ExemptKind

ENTRY = datetime(2026, 5, 6, 10, 0, tzinfo=samples.CST)  # a Wednesday


@pytest.mark.parametrize(
    ("plate", "color", "registration", "expected"),
    [
        ("粤BD12345", PlateColor.GREEN, NO_REGISTRATION, ("new_energy", PlateColor.GREEN, None)),
        # The 8 characters say green whatever the camera reported.
        ("粤BD12345", PlateColor.UNKNOWN, NO_REGISTRATION, ("new_energy", PlateColor.GREEN, None)),
        ("粤BD12345", PlateColor.BLUE, NO_REGISTRATION, ("new_energy", PlateColor.GREEN, None)),
        ("粤B12345D", PlateColor.YELLOW_GREEN, NO_REGISTRATION, ("large", PlateColor.YELLOW_GREEN, None)),
        ("京A12345", PlateColor.YELLOW, NO_REGISTRATION, ("large", PlateColor.YELLOW, None)),
        ("京A12345", PlateColor.BLUE, NO_REGISTRATION, ("small", PlateColor.BLUE, None)),
        ("鲁B1234挂", PlateColor.UNKNOWN, NO_REGISTRATION, ("large", PlateColor.YELLOW, None)),
        ("京A1234警", PlateColor.WHITE, NO_REGISTRATION, ("small", PlateColor.WHITE, ExemptKind.POLICE)),
        (None, PlateColor.GREEN, NO_REGISTRATION, ("new_energy", PlateColor.GREEN, None)),
        (NO_PLATE, PlateColor.UNKNOWN, NO_REGISTRATION, ("small", PlateColor.UNKNOWN, None)),
        ("not a plate", PlateColor.YELLOW, NO_REGISTRATION, ("large", PlateColor.YELLOW, None)),
        # The lot's record wins over the plate: its class, then its own lot class; its exemption kind.
        ("京A12345", PlateColor.YELLOW, Registration("motorcycle"), ("motorcycle", PlateColor.YELLOW, None)),
        ("京A12345", PlateColor.BLUE, Registration("small", "tricycle"), ("tricycle", PlateColor.BLUE, None)),
        (
            "京A12345",
            PlateColor.BLUE,
            Registration("large", exempt_kind=ExemptKind.SANITATION),
            ("large", PlateColor.BLUE, ExemptKind.SANITATION),
        ),
        ("京A1234警", PlateColor.WHITE, Registration("large"), ("large", PlateColor.WHITE, ExemptKind.POLICE)),
        # The record's colour only fills in for a camera that could not tell.
        ("京A12345", PlateColor.UNKNOWN, Registration("small", plate_color=PlateColor.BLUE), ("small", "blue", None)),
    ],
)
def test_class_colour_and_exemption_are_inferred_from_plate_and_record(
    plate: str | None, color: PlateColor, registration: Registration, expected: tuple[str, str, ExemptKind | None]
) -> None:
    vehicle = tariff_vehicle(plate, color, registration)

    assert (vehicle.vehicle_class, vehicle.plate_color, vehicle.exempt_kind) == expected


def test_a_police_plate_leaves_free_under_the_zhongxiang_notice_with_its_reason() -> None:
    # Given the 钟祥 notice (military, police, fire, ambulance... free) and a police plate
    vehicle = tariff_vehicle("鄂H1234警", PlateColor.WHITE)
    # When a day-long stay is quoted
    q = quote(vehicle.stay(ENTRY, ENTRY + timedelta(hours=26)), samples.zhongxiang_tourist_centre())
    # Then it costs nothing and the one line says why
    assert (q.fee_fen, q.due_fen) == (0, 0)
    assert [(line.kind, line.label, line.amount_fen) for line in q.lines] == [(LineKind.EXEMPT, "警车", 0)]


def test_the_same_police_plate_pays_where_the_tariff_does_not_exempt_police() -> None:
    # Given the Yuncheng railway notice with only pass holders exempt
    doc = samples.yuncheng_north().model_dump(mode="json")
    doc["exempt"] = ["monthly"]
    tariff = Tariff.model_validate(doc)
    # When a police car stays three hours it pays as any small car: 2 + 2 × 2
    q = quote(tariff_vehicle("晋M1234警", PlateColor.WHITE).stay(ENTRY, ENTRY + timedelta(hours=3)), tariff)
    assert q.fee_fen == 600


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        (ExemptKind.SANITATION, "环卫车辆"),
        (ExemptKind.FUNERAL, "殡葬车辆"),
        (ExemptKind.DISABLED, "残疾人驾驶的车辆"),
        (ExemptKind.MUNICIPAL_REPAIR, "市政工程抢修车辆"),
    ],
)
def test_named_exemption_kinds_print_their_catalogue_reason(kind: ExemptKind, text: str) -> None:
    # Given the railway notice extended with a list of exempt kinds (reasons from the catalogue)
    doc = samples.yuncheng_north().model_dump(mode="json")
    doc["exempt"] = ["sanitation", "funeral", "disabled", "municipal_repair"]
    tariff = Tariff.model_validate(doc)
    assert tariff.exempt[kind] == REASONS[kind] == text
    # When a vehicle recorded as that kind stays 30 hours
    vehicle = tariff_vehicle("晋M12345", PlateColor.BLUE, Registration("small", exempt_kind=kind))
    q = quote(vehicle.stay(ENTRY, ENTRY + timedelta(hours=30)), tariff)
    # Then it is free with its own reason; a vehicle of a kind not listed pays (25 + 2 + 5 × 2)
    assert [(line.kind, line.label) for line in q.lines] == [(LineKind.EXEMPT, text)]
    other = tariff_vehicle("晋M12345", PlateColor.BLUE, Registration("small", exempt_kind=ExemptKind.SCHOOL_BUS))
    assert quote(other.stay(ENTRY, ENTRY + timedelta(hours=30)), tariff).fee_fen == 3700


def test_every_exemption_kind_has_a_chinese_reason() -> None:
    assert set(REASONS) == set(ExemptKind)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in text) for text in REASONS.values())


def _railway_with_lot_classes() -> Tariff:
    """运城北站 (published) with the lot's own classes: tricycles at half the small-car rate, motorcycles 1 元 per
    started 24 h (a lot declaring classes beyond the four built in)."""
    doc: dict[str, Any] = samples.yuncheng_north().model_dump(mode="json")
    doc["classes"]["tricycle"] = {"same_as": "small", "multiplier_percent": 50, "label": "三轮车"}
    doc["classes"]["motorcycle"] = {"rule": {"kind": "per_entry", "price_fen": 100, "charge_each_24h": True}}
    return Tariff.model_validate(doc)


@pytest.mark.parametrize(
    ("registration", "hours", "fee_fen"),
    [
        (Registration("small"), 3, 600),  # 2 + 2 × 2
        (Registration("small", "tricycle"), 3, 300),  # half
        (Registration("small", "tricycle"), 24, 1250),  # half of the 25 元 cap
        (Registration("motorcycle"), 3, 100),
        (Registration("motorcycle"), 25, 200),
        # A lot class the tariff does not declare is priced as small (as any unlisted class).
        (Registration("small", "minibus"), 3, 600),
    ],
)
def test_lot_declared_classes_are_priced_by_their_own_rule(
    registration: Registration, hours: int, fee_fen: int
) -> None:
    tariff = _railway_with_lot_classes()
    vehicle = tariff_vehicle("晋M12345", PlateColor.YELLOW, registration)

    assert quote(vehicle.stay(ENTRY, ENTRY + timedelta(hours=hours)), tariff).fee_fen == fee_fen


def test_a_lot_declared_class_survives_the_stored_json_and_is_in_small_cars_versions() -> None:
    tariff = _railway_with_lot_classes()
    again = Tariff.model_validate_json(tariff.model_dump_json())

    assert again.classes["tricycle"].label == "三轮车"
    assert TariffVehicle("tricycle", PlateColor.BLUE).builtin_class.value == "small"
    assert TariffVehicle("large", PlateColor.BLUE).builtin_class.value == "large"


@pytest.mark.parametrize(
    ("change", "path", "reason"),
    [
        ({"classes.Tri-cycle": {"same_as": "small"}}, "classes.Tri-cycle.[key]", "String should match pattern"),
        ({"classes.tricycle": {"same_as": "bicycle"}}, "classes.tricycle.same_as", "class bicycle has no rule"),
        ({"exempt": ["sanitation", "astronaut"]}, "exempt", "'astronaut' is not a valid ExemptKind"),
        ({"exempt": {"astronaut": "宇航员"}}, "exempt.astronaut.[key]", "Input should be"),
    ],
)
def test_bad_classes_and_kinds_are_refused_at_their_path(change: dict[str, Any], path: str, reason: str) -> None:
    doc: dict[str, Any] = samples.yuncheng_north().model_dump(mode="json")
    for key, value in change.items():
        if key.startswith("classes."):
            doc["classes"][key.split(".", 1)[1]] = value
        else:
            doc[key] = value

    problems = validate_tariff(doc)

    assert [p.path for p in problems] == [path]
    assert reason in problems[0].reason


# Plates of every issued kind, drawn from the GA 36 character sets, plus no plate and readings that are none.
_P, _L, _D, _E = (st.sampled_from(s) for s in (PROVINCES, LETTERS, DIGITS, NEW_ENERGY_LETTERS))
_S = st.sampled_from(LETTERS + DIGITS)
PLATES = st.one_of(
    st.builds(lambda *c: "".join(c), _P, _L, _S, _S, _S, _S, _S),
    st.builds(lambda *c: "".join(c), _P, _L, _E, _S, _D, _D, _D, _D),
    st.builds(lambda *c: "".join(c), _P, _L, _D, _D, _D, _D, _D, _E),
    st.builds(
        lambda p, a, s, k: p + a + "".join(s) + k,
        _P,
        _L,
        st.lists(_S, min_size=4, max_size=4),
        st.sampled_from("警学挂领"),
    ),
    st.sampled_from([NO_PLATE, "", "garbage"]),
)
REGISTRATIONS = st.one_of(
    st.just(NO_REGISTRATION),
    st.builds(
        Registration,
        st.sampled_from([c.value for c in RowClass]),
        st.sampled_from([None, "tricycle", "minibus"]),
        st.none() | st.sampled_from(list(ExemptKind)),
        st.none() | st.sampled_from(list(PlateColor)),
    ),
)
TARIFFS = st.sampled_from([*(make() for make in samples.PUBLISHED.values()), _railway_with_lot_classes()])


@settings(max_examples=300, deadline=None)
@given(
    TARIFFS,
    PLATES,
    st.sampled_from(list(PlateColor)),
    REGISTRATIONS,
    st.integers(0, 365 * 86_400),
    st.integers(0, 80 * 3600),
)
def test_quote_and_lane_bill_price_every_vehicle_alike(
    tariff: Tariff,
    plate: str,
    color: PlateColor,
    registration: Registration,
    offset: int,
    seconds: int,
) -> None:
    # The one inference, then priced as quoteFee prices it and as the exit lane's bill prices it.
    vehicle = tariff_vehicle(plate, color, registration)
    entry = ENTRY + timedelta(seconds=offset)
    exit_ = entry + timedelta(seconds=seconds)
    quoted = quote_versions(vehicle.stay(entry, exit_), [tariff])
    billed = bill(
        BillFacts(
            entry_at=entry,
            timezone=tariff.timezone,
            tariffs=[tariff],
            vehicle_class=RowClass(vehicle.builtin_class.value),
            plate_color=vehicle.plate_color,
            vehicle=vehicle,
        ),
        exit_,
    )

    assert billed.fee_fen == quoted.fee_fen
    exempt = quoted.lines[0].label if quoted.lines[0].kind is LineKind.EXEMPT else None
    # A stay of no time is not priced at the lane at all (nothing to show).
    assert billed.exempt_reason == (exempt if seconds else None)


def test_a_vehicle_recorded_as_new_energy_gets_the_overlay_whatever_its_plate_colour() -> None:
    # The class name arrives as a plain string from the record: it must count as new-energy all the same.
    vehicle = tariff_vehicle("京A12345", PlateColor.BLUE, Registration("new_energy"))
    entry = datetime(2026, 3, 2, 9, 0, tzinfo=samples.CST)

    q = quote(vehicle.stay(entry, entry + timedelta(hours=3)), samples.railway_station())

    assert type(vehicle.vehicle_class) is str
    assert q.fee_fen == 350  # (5 + 2) × 50 %, as docs/tariffs.md's railway table
