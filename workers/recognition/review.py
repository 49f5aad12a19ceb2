"""Turns the pipeline's readings and the camera's into a vote, and the vote into a recorded verdict."""

from __future__ import annotations

from parking.plates import NO_PLATE, PlateColor
from parking.recognition.service import Verdict
from workers.recognition.pipeline import ENGINES, PlateRead
from workers.recognition.vote import Confirmed, NeedsReview, Reading, ReviewCandidate, ReviewReason, VotePolicy, vote

# The camera's confidence scale differs by brand (and is often absent): its reading counts by agreeing. The two
# cloud engines together overrule it (they were right in 867 of 867 real plates they agreed on, #21), each
# above its threshold.
DEFAULT_POLICY = VotePolicy(
    sources=frozenset({"camera", *ENGINES}),
    min_confidence=0.5,
    source_min_confidence={"camera": 0.0},
    overrule_by=frozenset(ENGINES),
)
# The reason a confirmed verdict carries when the engines set the camera's reading aside.
CAMERA_OVERRULED = "camera_overruled"


def engine_readings(read: PlateRead) -> list[Reading]:
    if read.detection is None:
        # Nothing plate-like in the picture: the engines' opinion is "no plate", which confirms a camera
        # that also saw none and sends a camera that saw one to a person.
        return [Reading(name, NO_PLATE, 1.0) for name in ENGINES]
    return [Reading(name, r.text, min(1.0, max(0.0, r.confidence))) for name, r in read.readings.items()]


def decide(camera: Reading | None, read: PlateRead, policy: VotePolicy = DEFAULT_POLICY) -> Verdict:
    readings = ([camera] if camera is not None else []) + engine_readings(read)
    result = vote(readings, policy)
    if isinstance(result, Confirmed) and result.plate == NO_PLATE and read.detection is not None:
        # The engines read nothing on a box the detector found: that is not "no plate", only "not read".
        result = NeedsReview(
            (ReviewCandidate(NO_PLATE, result.sources, len(readings), result.confidence),),
            ReviewReason.INVALID_READING,
            "the detector found a box that no engine read",
        )
    raw = [{"source": r.source, "text": r.plate, "confidence": round(r.confidence, 4)} for r in readings]
    if isinstance(result, Confirmed):
        if result.overruled:
            shown = ", ".join(f"{r.source} read {r.plate or '-'}" for r in readings if r.source in result.overruled)
            return Verdict(result.plate, CAMERA_OVERRULED, shown, readings=raw)
        return Verdict(result.plate, readings=raw)
    candidates = [
        {"plate": c.plate, "sources": list(c.sources), "confidence": round(c.best_confidence, 4)}
        for c in result.candidates
    ]
    return Verdict(None, str(result.reason), result.detail, candidates, raw)


def camera_reading(plate: str, confidence: float, color: PlateColor) -> Reading:
    return Reading("camera", plate, min(1.0, max(0.0, confidence)), color)
