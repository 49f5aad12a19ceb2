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


# The decision on the vote (#21): the two cloud engines agreeing confidently on a valid plate overrule the camera.
ENGINES = frozenset({"engine_a", "engine_b"})
OVERRULE = VotePolicy(min_confidence=0.6, source_min_confidence={"camera": 0.0}, overrule_by=ENGINES)


def _engines(plate: str, a: float = 0.9, b: float = 0.9) -> list[Reading]:
    return [Reading("engine_a", plate, a), Reading("engine_b", plate, b)]


@pytest.mark.parametrize("camera", ["京A12346", "京A1234S", "京B12355", "京A1234", "not a plate"])
def test_both_engines_sure_of_one_plate_overrule_the_camera(camera: str) -> None:
    verdict = vote([Reading("camera", camera, 0.95), *_engines("京A12345", 0.7, 0.99)], OVERRULE)

    assert verdict == Confirmed("京A12345", PlateColor.UNKNOWN, ("engine_a", "engine_b"), 0.7, ("camera",))


def test_an_agreeing_camera_is_not_overruled() -> None:
    verdict = vote([Reading("camera", "京A12345", 0.1), *_engines("京A12345")], OVERRULE)

    assert verdict == Confirmed("京A12345", PlateColor.UNKNOWN, ("camera", "engine_a", "engine_b"), 0.1)


@pytest.mark.parametrize(
    ("readings", "reason"),
    [
        # A character more or fewer: engines drop the same character together (a new-energy plate's eighth).
        ([Reading("camera", "粤B12345D", 0.9), *_engines("粤B12345")], ReviewReason.DISAGREEMENT),
        # One engine below its threshold, or the engines apart, or one of them missing.
        ([Reading("camera", "京A12346", 0.9), *_engines("京A12345", 0.9, 0.59)], ReviewReason.DISAGREEMENT),
        (
            [
                Reading("camera", "京A12346", 0.9),
                Reading("engine_a", "京A12345", 1),
                Reading("engine_b", "京A12347", 1),
            ],
            ReviewReason.TIE,
        ),
        ([Reading("camera", "京A12346", 0.9), Reading("engine_a", "京A12345", 1)], ReviewReason.MISSING_SOURCE),
        # A reported colour that the engines' plate cannot have, whoever reported it.
        ([Reading("camera", "粤B12346", 0.9, PlateColor.GREEN), *_engines("粤B12345")], ReviewReason.DISAGREEMENT),
        # Another plate altogether: the camera may have read another car, or seen no plate at all.
        ([Reading("camera", "京B12366", 0.9), *_engines("京A12345")], ReviewReason.DISAGREEMENT),
        ([Reading("camera", "沪C99999", 0.9), *_engines("京A12345")], ReviewReason.DISAGREEMENT),
        ([Reading("camera", NO_PLATE, 0.9), *_engines("京A12345")], ReviewReason.DISAGREEMENT),
        # "No plate" is never the engines' to impose, nor a reading that is not a plate.
        ([Reading("camera", "京A12345", 0.9), *_engines(NO_PLATE)], ReviewReason.DISAGREEMENT),
        ([Reading("camera", "京A12345", 0.9), *_engines("京A1234")], ReviewReason.INVALID_READING),
    ],
)
def test_the_camera_is_not_overruled_without_two_sure_engines_on_one_plate(
    readings: list[Reading], reason: ReviewReason
) -> None:
    verdict = vote(readings, OVERRULE)

    assert isinstance(verdict, NeedsReview)
    assert verdict.reason is reason


def test_overrule_policies_must_leave_someone_to_overrule() -> None:
    with pytest.raises(InvalidReading, match="overrule_by"):
        VotePolicy(overrule_by=frozenset(SOURCES))
    with pytest.raises(InvalidReading, match="overrule_by"):
        VotePolicy(overrule_by=frozenset({"engine_a", "somebody"}))


@given(readings_lists)
def test_an_overrule_confirms_only_what_every_engine_read_above_its_threshold(readings: list[Reading]) -> None:
    verdict = vote(readings, OVERRULE)

    if isinstance(verdict, Confirmed) and verdict.overruled:
        assert verdict.overruled == ("camera",)
        for engine in ENGINES:
            mine = [r for r in readings if r.source == engine]
            assert mine
            assert all(r.plate == verdict.plate and r.confidence >= 0.6 for r in mine)
        assert verdict.plate != NO_PLATE
