import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from parking.plate_match import (
    CONFUSABLE_COST,
    CONFUSABLE_GROUPS,
    DROPPED_LAST_COST,
    PROVINCE_MISSING_COST,
    PROVINCE_WRONG_COST,
    SUBSTITUTE_COST,
    Candidate,
    fuzzy_candidates,
)
from parking.plates import DIGITS, LETTERS, NO_PLATE, PROVINCES

# The true character must be one a plate can carry; the read one may be anything OCR produces.
CONFUSABLE_PAIRS = sorted({(a, b) for g in CONFUSABLE_GROUPS for a in g for b in g if a != b and b in LETTERS + DIGITS})
SERIAL_CHARS = LETTERS + DIGITS

ordinary_plates = st.builds(
    lambda p, a, s: p + a + "".join(s),
    st.sampled_from(PROVINCES),
    st.sampled_from(LETTERS),
    st.lists(st.sampled_from(SERIAL_CHARS), min_size=5, max_size=5),
)
new_energy_plates = st.builds(
    lambda p, a, e, s, d: p + a + e + s + "".join(d),
    st.sampled_from(PROVINCES),
    st.sampled_from(LETTERS),
    st.sampled_from("DF"),
    st.sampled_from(SERIAL_CHARS),
    st.lists(st.sampled_from(DIGITS), min_size=4, max_size=4),
)
others = st.lists(st.one_of(ordinary_plates, new_energy_plates), max_size=30)


def _found(read: str, true_plate: str, open_plates: list[str]) -> Candidate:
    found = fuzzy_candidates(read, [*open_plates, true_plate], limit=len(open_plates) + 1)
    return next(c for c in found if c.plate == true_plate)


def test_exact_reading_is_the_only_perfect_candidate() -> None:
    found = fuzzy_candidates("沪a·12345", ["沪A12345", "沪A12346", "京B99999"])

    assert found == [
        Candidate("沪A12345", 1.0, ("exact",), 0),
        Candidate("沪A12346", 0.8571, ("substituted 5→6 at 7",), SUBSTITUTE_COST),
    ]


def test_confusable_reading_explains_itself() -> None:
    found = fuzzy_candidates("京A8Z345", ["京AB2345"])

    assert found == [Candidate("京AB2345", 0.9143, ("confusable 8→B at 3", "confusable Z→2 at 4"), 6)]


def test_missing_and_wrong_province() -> None:
    assert fuzzy_candidates("A12345", ["京A12345"]) == [
        Candidate("京A12345", 0.9429, ("province missing",), PROVINCE_MISSING_COST)
    ]
    assert fuzzy_candidates("津A12345", ["京A12345"]) == [
        Candidate("京A12345", 0.9429, ("province 津→京",), PROVINCE_WRONG_COST)
    ]


def test_dropped_eighth_character_of_a_new_energy_plate() -> None:
    found = fuzzy_candidates("粤BD1234", ["粤BD12345", "粤B12345"])

    assert found[0] == Candidate("粤BD12345", 0.9375, ("8th character dropped",), DROPPED_LAST_COST)


def test_new_energy_letter_read_as_a_digit_is_a_confusable() -> None:
    assert fuzzy_candidates("粤B012345", ["粤BD12345"]) == [
        Candidate("粤BD12345", 0.9625, ("confusable 0→D at 3",), CONFUSABLE_COST)
    ]


def test_ties_are_ordered_by_plate() -> None:
    found = fuzzy_candidates("粤BD1234", ["粤BD12349", "粤BD12341", "粤BD12345"])

    assert [c.plate for c in found] == ["粤BD12341", "粤BD12345", "粤BD12349"]


def test_far_plates_are_not_candidates() -> None:
    assert fuzzy_candidates("京A12345", ["京B67890", "沪C99999"]) == []


def test_no_plate_reading_matches_nothing() -> None:
    assert fuzzy_candidates("_无_", ["京A12345", NO_PLATE]) == []


def test_limit_must_be_positive() -> None:
    with pytest.raises(ValueError, match="limit must be at least 1"):
        fuzzy_candidates("京A12345", ["京A12345"], limit=0)


@given(ordinary_plates, st.integers(min_value=1, max_value=6), st.sampled_from(CONFUSABLE_PAIRS), others)
def test_finds_the_true_plate_under_each_confusable_substitution(
    plate: str, position: int, pair: tuple[str, str], open_plates: list[str]
) -> None:
    assume(position > 1 or pair[1] in LETTERS)
    true_plate = plate[:position] + pair[1] + plate[position + 1 :]
    read = plate[:position] + pair[0] + plate[position + 1 :]

    found = _found(read, true_plate, open_plates)

    assert found.cost == CONFUSABLE_COST
    assert found.reasons == (f"confusable {pair[0]}→{pair[1]} at {position + 1}",)


@given(st.one_of(ordinary_plates, new_energy_plates), others)
def test_finds_the_true_plate_without_its_province(true_plate: str, open_plates: list[str]) -> None:
    found = _found(true_plate[1:], true_plate, open_plates)

    assert found.cost == PROVINCE_MISSING_COST


@given(st.one_of(ordinary_plates, new_energy_plates), st.sampled_from(PROVINCES), others)
def test_finds_the_true_plate_under_a_wrong_province(true_plate: str, province: str, open_plates: list[str]) -> None:
    found = _found(province + true_plate[1:], true_plate, open_plates)

    assert found.cost == (0 if province == true_plate[0] else PROVINCE_WRONG_COST)


@given(new_energy_plates, others)
def test_finds_the_true_plate_when_the_eighth_character_is_dropped(true_plate: str, open_plates: list[str]) -> None:
    found = _found(true_plate[:7], true_plate, open_plates)

    assert found.cost == DROPPED_LAST_COST
    assert found.reasons == ("8th character dropped",)


@given(st.text(max_size=9), others)
def test_ordering_is_deterministic_and_independent_of_input_order(read: str, open_plates: list[str]) -> None:
    forward = fuzzy_candidates(read, open_plates, limit=50)
    backward = fuzzy_candidates(read, list(reversed(open_plates)), limit=50)

    assert forward == backward
    assert [(c.cost, c.plate) for c in forward] == sorted((c.cost, c.plate) for c in forward)
