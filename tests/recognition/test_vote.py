import pytest
from hypothesis import given
from hypothesis import strategies as st

from parking.plates import NO_PLATE, PlateColor
from workers.recognition.vote import (
    Confirmed,
    InvalidReading,
    NeedsReview,
    Reading,
    ReviewCandidate,
    ReviewReason,
    VotePolicy,
    vote,
)

POLICY = VotePolicy()
SOURCES = ("camera", "engine_a", "engine_b")


def _all(plate: str, confidence: float = 0.9, color: PlateColor = PlateColor.UNKNOWN) -> list[Reading]:
    return [Reading(s, plate, confidence, color) for s in SOURCES]


def test_all_sources_agreeing_confirm_the_plate() -> None:
    readings = [
        Reading("camera", "京A·12345", 0.91, PlateColor.BLUE),
        Reading("engine_a", "京a12345", 0.95),
        Reading("engine_b", "京A12345", 0.85, PlateColor.BLUE),
    ]

    assert vote(readings, POLICY) == Confirmed("京A12345", PlateColor.BLUE, SOURCES, 0.85)


def test_kind_with_one_colour_gives_the_colour_when_nobody_reported_it() -> None:
    assert vote(_all("粤BD12345"), POLICY) == Confirmed("粤BD12345", PlateColor.GREEN, SOURCES, 0.9)


def test_ordinary_plate_without_a_reported_colour_stays_unknown() -> None:
    assert vote(_all("京A12345"), POLICY) == Confirmed("京A12345", PlateColor.UNKNOWN, SOURCES, 0.9)


def test_no_readings_go_to_review() -> None:
    assert vote([], POLICY) == NeedsReview((), ReviewReason.NO_READINGS, "no readings")


def test_a_missing_source_goes_to_review_with_the_candidate() -> None:
    readings = [Reading("camera", "京A12345", 0.9), Reading("engine_a", "京A12345", 0.95)]

    assert vote(readings, POLICY) == NeedsReview(
        (ReviewCandidate("京A12345", ("camera", "engine_a"), 2, 0.95),),
        ReviewReason.MISSING_SOURCE,
        "no reading from engine_b",
    )


def test_confusable_disagreement_goes_to_review_biggest_cluster_first() -> None:
    readings = [
        Reading("camera", "京A1234S", 0.97),
        Reading("engine_a", "京A12345", 0.9),
        Reading("engine_b", "京A12345", 0.93),
        Reading("engine_b", "沪C99999", 0.99, frame=2),
    ]

    assert vote(readings, POLICY) == NeedsReview(
        (
            ReviewCandidate("京A1234S", ("camera",), 1, 0.97),
            ReviewCandidate("京A12345", ("engine_a", "engine_b"), 2, 0.93),
            ReviewCandidate("沪C99999", ("engine_b",), 1, 0.99),
        ),
        ReviewReason.DISAGREEMENT,
        "3 different plates read",
    )


def test_a_dropped_eighth_character_joins_the_cluster_of_the_full_plate() -> None:
    readings = [
        Reading("camera", "粤BD1234", 0.99),
        Reading("engine_a", "粤BD12345", 0.9),
        Reading("engine_b", "粤BD12345", 0.92),
    ]

    verdict = vote(readings, POLICY)

    assert verdict == NeedsReview(
        (
            ReviewCandidate("粤BD1234", ("camera",), 1, 0.99),
            ReviewCandidate("粤BD12345", ("engine_a", "engine_b"), 2, 0.92),
        ),
        ReviewReason.DISAGREEMENT,
        "2 different plates read",
    )


def test_two_equal_clusters_are_a_tie() -> None:
    readings = [
        Reading("camera", "京A12345", 0.9),
        Reading("engine_a", "沪C99999", 0.9),
        Reading("engine_b", "_无_", 0.9),
    ]

    verdict = vote(readings, POLICY)

    assert isinstance(verdict, NeedsReview)
    assert verdict.reason is ReviewReason.TIE
    # Equal clusters rank by plate (code point order).
    assert [c.plate for c in verdict.candidates] == ["京A12345", NO_PLATE, "沪C99999"]


def test_invalid_reading_goes_to_review() -> None:
    readings = [*_all("京A12345")[:2], Reading("engine_b", "京A1234", 0.9)]

    assert vote(readings, POLICY) == NeedsReview(
        (ReviewCandidate("京A12345", ("camera", "engine_a"), 2, 0.9),),
        ReviewReason.INVALID_READING,
        "not plates: engine_b:'京A1234'",
    )


def test_low_confidence_goes_to_review() -> None:
    readings = [*_all("京A12345")[:2], Reading("engine_b", "京A12345", 0.5)]

    verdict = vote(readings, POLICY)

    assert verdict == NeedsReview(
        (ReviewCandidate("京A12345", SOURCES, 3, 0.9),),
        ReviewReason.LOW_CONFIDENCE,
        "below threshold: engine_b=0.50",
    )


def test_per_source_threshold_overrides_the_default() -> None:
    policy = VotePolicy(source_min_confidence={"camera": 0.3})
    readings = [Reading("camera", "京A12345", 0.4), *_all("京A12345")[1:]]

    assert vote(readings, policy) == Confirmed("京A12345", PlateColor.UNKNOWN, SOURCES, 0.4)


def test_all_sources_seeing_no_plate_confirm_no_plate() -> None:
    readings = [
        Reading("camera", "_无_", 0.0),
        Reading("engine_a", "", 0.0),
        Reading("engine_b", "无牌车", 0.1),
    ]

    assert vote(readings, POLICY) == Confirmed(NO_PLATE, PlateColor.UNKNOWN, SOURCES, 0.0)


def test_no_plate_against_a_plate_is_a_disagreement() -> None:
    readings = [*_all("京A12345")[:2], Reading("engine_b", "_无_", 0.9)]

    verdict = vote(readings, POLICY)

    assert isinstance(verdict, NeedsReview)
    assert verdict.reason is ReviewReason.DISAGREEMENT
    assert [c.plate for c in verdict.candidates] == ["京A12345", NO_PLATE]


def test_green_reported_for_a_seven_character_plate_is_a_colour_mismatch() -> None:
    readings = [*_all("京A12345")[:2], Reading("engine_b", "京A12345", 0.9, PlateColor.GREEN)]

    verdict = vote(readings, POLICY)

    assert verdict == NeedsReview(
        (ReviewCandidate("京A12345", SOURCES, 3, 0.9),),
        ReviewReason.COLOR_MISMATCH,
        "京A12345 (ordinary) is black/blue/yellow, not green",
    )


def test_blue_and_yellow_reports_are_a_colour_disagreement() -> None:
    readings = [
        *_all("京A12345", color=PlateColor.BLUE)[:2],
        Reading("engine_b", "京A12345", 0.9, PlateColor.YELLOW),
    ]

    verdict = vote(readings, POLICY)

    assert isinstance(verdict, NeedsReview)
    assert verdict.reason is ReviewReason.COLOR_DISAGREEMENT
    assert verdict.detail == "colours blue, yellow"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"source": "", "plate": "京A12345", "confidence": 0.5}, "source must not be empty"),
        ({"source": "camera", "plate": "京A12345", "confidence": 1.5}, "between 0 and 1"),
        ({"source": "camera", "plate": "京A12345", "confidence": float("nan")}, "between 0 and 1"),
        ({"source": "camera", "plate": "京A12345", "confidence": 0.5, "frame": -1}, "must not be negative"),
    ],
)
def test_bad_readings_are_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidReading, match=message):
        Reading(**kwargs)  # type: ignore[arg-type]


def test_bad_policies_are_refused() -> None:
    with pytest.raises(InvalidReading, match="at least one source"):
        VotePolicy(sources=frozenset())
    with pytest.raises(InvalidReading, match="between 0 and 1"):
        VotePolicy(min_confidence=-0.1)


plates = st.sampled_from(["京A12345", "京A1234S", "粤BD12345", "粤BD1234", "沪C99999", "川A1234学", "_无_", "京A1234"])
confidences = st.floats(min_value=0.0, max_value=1.0)
readings_lists = st.lists(
    st.builds(Reading, st.sampled_from(SOURCES), plates, confidences, st.sampled_from(PlateColor)),
    max_size=9,
)


@given(st.sampled_from(["京A12345", "粤BD12345", "苏E2345警", "使014578"]), st.data())
def test_vote_accepts_when_all_sources_agree_confidently(plate: str, data: st.DataObject) -> None:
    frames = data.draw(st.lists(st.sampled_from(SOURCES), max_size=6))
    readings = [
        Reading(source, plate, data.draw(st.floats(min_value=0.8, max_value=1.0)), frame=i)
        for i, source in enumerate([*SOURCES, *frames])
    ]

    verdict = vote(readings, POLICY)

    assert isinstance(verdict, Confirmed)
    assert verdict.plate == plate
    assert verdict.sources == SOURCES


@given(readings_lists, st.sampled_from(["京A12345", "沪C99999"]), st.sampled_from(["粤BD12345", "川A1234学"]))
def test_vote_queues_any_disagreement(readings: list[Reading], one: str, other: str) -> None:
    readings = [*readings, Reading("camera", one, 1.0), Reading("engine_a", other, 1.0)]

    verdict = vote(readings, POLICY)

    assert isinstance(verdict, NeedsReview)


@given(readings_lists, st.randoms(use_true_random=False))
def test_vote_is_invariant_to_reading_order(readings: list[Reading], rng: object) -> None:
    shuffled = list(readings)
    rng.shuffle(shuffled)  # type: ignore[attr-defined]

    assert vote(shuffled, POLICY) == vote(readings, POLICY)
