"""Pure vote over plate readings from the camera and the cloud engines: confirm, or queue for review."""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from parking.plate_match import CONFUSABLE_COST, fuzzy_candidates
from parking.plates import (
    KIND_COLORS,
    NO_PLATE,
    InvalidPlate,
    PlateColor,
    PlateKind,
    check_color,
    normalize_plate,
    plate_kind,
)

logger = logging.getLogger(__name__)

# A reading the overruling sources set aside differs from their plate in at most this many characters.
OVERRULE_MAX_CHANGED = 2


class InvalidReading(ValueError):
    """A reading or policy that cannot be voted on (bad confidence, empty source...)."""


def _check_unit(name: str, value: float) -> None:
    if not (math.isfinite(value) and 0.0 <= value <= 1.0):
        raise InvalidReading(f"{name} must be between 0 and 1, got {value!r}")


@dataclass(frozen=True, slots=True)
class Reading:
    """One plate reading: ``plate`` is raw engine or camera text, not yet normalised."""

    source: str
    plate: str
    confidence: float
    color: PlateColor = PlateColor.UNKNOWN
    frame: int = 0

    def __post_init__(self) -> None:
        if not self.source:
            raise InvalidReading("reading source must not be empty")
        _check_unit(f"confidence of {self.source}", self.confidence)
        if self.frame < 0:
            raise InvalidReading(f"frame must not be negative, got {self.frame}")


@dataclass(frozen=True)
class VotePolicy:
    """Which sources must agree and how sure each must be; plates ``cluster_max_cost`` apart cluster."""

    sources: frozenset[str] = frozenset({"camera", "engine_a", "engine_b"})
    min_confidence: float = 0.8
    source_min_confidence: Mapping[str, float] = field(default_factory=dict)
    cluster_max_cost: int = 2 * CONFUSABLE_COST
    # "Nothing found" has no meaningful confidence: agreement alone confirms a vehicle without a plate.
    confirm_no_plate: bool = True
    # Sources that, all reading one valid plate above their thresholds, confirm it although the other sources
    # read something else (the two cloud engines over the camera); empty: every source must agree.
    overrule_by: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if not self.sources:
            raise InvalidReading("a vote policy needs at least one source")
        _check_unit("min_confidence", self.min_confidence)
        for source, value in self.source_min_confidence.items():
            _check_unit(f"min_confidence of {source}", value)
        if self.cluster_max_cost < 0:
            raise InvalidReading(f"cluster_max_cost must not be negative, got {self.cluster_max_cost}")
        if not self.overrule_by <= self.sources or self.overrule_by == self.sources:
            raise InvalidReading("overrule_by must be some of the sources, not all of them")

    def threshold(self, source: str) -> float:
        return self.source_min_confidence.get(source, self.min_confidence)


class ReviewReason(StrEnum):
    NO_READINGS = "no_readings"
    INVALID_READING = "invalid_reading"
    MISSING_SOURCE = "missing_source"
    TIE = "tie"
    DISAGREEMENT = "disagreement"
    LOW_CONFIDENCE = "low_confidence"
    COLOR_MISMATCH = "color_mismatch"
    COLOR_DISAGREEMENT = "color_disagreement"


@dataclass(frozen=True, slots=True)
class Confirmed:
    plate: str
    color: PlateColor
    sources: tuple[str, ...]
    confidence: float  # the least sure source's best confidence
    # Sources whose readings were set aside because ``policy.overrule_by`` agreed (empty: all agreed).
    overruled: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ReviewCandidate:
    plate: str
    sources: tuple[str, ...]
    readings: int
    best_confidence: float


@dataclass(frozen=True, slots=True)
class NeedsReview:
    candidates: tuple[ReviewCandidate, ...]  # best first: the biggest cluster's most confident plate leads
    reason: ReviewReason
    detail: str


Verdict = Confirmed | NeedsReview


@dataclass(frozen=True, slots=True)
class _Valid:
    plate: str
    reading: Reading


def _similar(a: str, b: str, max_cost: int) -> bool:
    # Matching is not symmetric (a dropped last character is cheap one way only): either direction joins.
    if NO_PLATE in (a, b):
        return False
    return bool(fuzzy_candidates(a, [b], 1, max_cost) or fuzzy_candidates(b, [a], 1, max_cost))


def _clusters(plates: Sequence[str], max_cost: int) -> list[list[str]]:
    # Single-linkage components: a partition that does not depend on the order plates are visited in.
    parent = {p: p for p in plates}

    def find(p: str) -> str:
        while parent[p] != p:
            p = parent[p]
        return p

    for i, a in enumerate(plates):
        for b in plates[i + 1 :]:
            if find(a) != find(b) and _similar(a, b, max_cost):
                ra, rb = sorted((find(a), find(b)))
                parent[rb] = ra
    groups: dict[str, list[str]] = {}
    for p in plates:
        groups.setdefault(find(p), []).append(p)
    return list(groups.values())


def _candidate(plate: str, readings: list[Reading]) -> ReviewCandidate:
    sources = tuple(sorted({r.source for r in readings}))
    return ReviewCandidate(plate, sources, len(readings), max(r.confidence for r in readings))


def _rank(by_plate: dict[str, list[Reading]], max_cost: int) -> list[list[ReviewCandidate]]:
    """Return clusters of candidates, biggest first; inside each, the most confident plate first."""
    ranked = []
    for members in _clusters(sorted(by_plate), max_cost):
        cands = sorted(
            (_candidate(p, by_plate[p]) for p in members),
            key=lambda c: (-c.best_confidence, -c.readings, c.plate),
        )
        size = sum(c.readings for c in cands)
        # fsum is exact, so the ranking cannot depend on the order confidences were added in.
        total = math.fsum(r.confidence for p in members for r in by_plate[p])
        ranked.append(((-size, -total, cands[0].plate), cands))
    ranked.sort(key=lambda item: item[0])
    return [cands for _, cands in ranked]


def _flatten(clusters: Iterable[list[ReviewCandidate]]) -> tuple[ReviewCandidate, ...]:
    return tuple(c for cluster in clusters for c in cluster)


def _color(plate: str, readings: Sequence[Reading]) -> PlateColor | NeedsReview:
    kind = plate_kind(plate)
    reported = sorted({r.color for r in readings} - {PlateColor.UNKNOWN})
    if kind is PlateKind.NO_PLATE:
        return PlateColor.UNKNOWN
    wrong = [str(m) for c in reported if (m := check_color(plate, c)) is not None]
    if wrong:
        # e.g. green reported for a 7-character plate: the reading probably lost a new-energy 8th character.
        return NeedsReview((), ReviewReason.COLOR_MISMATCH, "; ".join(wrong))
    if len(reported) > 1:
        return NeedsReview((), ReviewReason.COLOR_DISAGREEMENT, "colours " + ", ".join(reported))
    if reported:
        return reported[0]
    allowed = KIND_COLORS[kind]
    return next(iter(allowed)) if len(allowed) == 1 else PlateColor.UNKNOWN


def vote(readings: Sequence[Reading], policy: VotePolicy) -> Verdict:
    """Confirm a plate when every source read it confidently, or when ``policy.overrule_by`` did; else review."""
    verdict = _unanimous(readings, policy)
    if isinstance(verdict, NeedsReview) and (overruled := _overrule(readings, policy)) is not None:
        logger.debug("vote confirmed %s over %s", overruled.plate, ",".join(overruled.overruled))
        return overruled
    return verdict


def _overrule(readings: Sequence[Reading], policy: VotePolicy) -> Confirmed | None:
    """The plate the overruling sources all read confidently, when the others' readings may be set aside.

    Only a misreading is set aside: text that is not a plate, or the same plate with up to
    ``OVERRULE_MAX_CHANGED`` characters read otherwise. A plate with a character more or fewer is kept (a
    dropped character, such as a new-energy plate's eighth, is the mistake recognizers make together), and so
    is a plate further apart or "no plate" (the camera may have seen another car, or none, that the engines did
    not). Nor when a reported colour contradicts the plate, whoever reported it.
    """
    deciders = [r for r in readings if r.source in policy.overrule_by]
    if not policy.overrule_by or {r.source for r in deciders} != policy.overrule_by:
        return None
    try:
        plates = {normalize_plate(r.plate) for r in deciders}
    except InvalidPlate:
        return None
    if len(plates) != 1 or NO_PLATE in plates:
        return None
    (plate,) = plates
    if any(r.confidence < policy.threshold(r.source) for r in deciders):
        return None
    disagreeing: set[str] = set()
    for other in (r for r in readings if r.source not in policy.overrule_by):
        try:
            read = normalize_plate(other.plate)
        except InvalidPlate:
            disagreeing.add(other.source)
            continue
        if read == plate:
            continue
        if read == NO_PLATE or len(read) != len(plate):
            return None
        if sum(a != b for a, b in zip(read, plate, strict=True)) > OVERRULE_MAX_CHANGED:
            return None
        disagreeing.add(other.source)
    color = _color(plate, readings)
    if isinstance(color, NeedsReview):
        return None
    confidence = min(r.confidence for r in deciders)
    return Confirmed(plate, color, tuple(sorted(policy.overrule_by)), confidence, tuple(sorted(disagreeing)))


def _unanimous(readings: Sequence[Reading], policy: VotePolicy) -> Verdict:
    if not readings:
        return NeedsReview((), ReviewReason.NO_READINGS, "no readings")
    valid: list[_Valid] = []
    invalid: list[Reading] = []
    for reading in readings:
        try:
            valid.append(_Valid(normalize_plate(reading.plate), reading))
        except InvalidPlate:
            invalid.append(reading)
    by_plate: dict[str, list[Reading]] = {}
    for v in valid:
        by_plate.setdefault(v.plate, []).append(v.reading)
    clusters = _rank(by_plate, policy.cluster_max_cost)
    candidates = _flatten(clusters)

    if invalid:
        shown = ", ".join(sorted(f"{r.source}:{r.plate!r}" for r in invalid))
        return NeedsReview(candidates, ReviewReason.INVALID_READING, f"not plates: {shown}")
    present = {r.source for r in readings}
    missing = sorted(policy.sources - present)
    if missing:
        return NeedsReview(candidates, ReviewReason.MISSING_SOURCE, "no reading from " + ", ".join(missing))
    if len(clusters) > 1 and sum(c.readings for c in clusters[0]) == sum(c.readings for c in clusters[1]):
        return NeedsReview(candidates, ReviewReason.TIE, "top clusters have equal support")
    if len(candidates) > 1:
        return NeedsReview(candidates, ReviewReason.DISAGREEMENT, f"{len(candidates)} different plates read")

    (plate,) = by_plate
    agreed = by_plate[plate]
    best = {s: max(r.confidence for r in agreed if r.source == s) for s in sorted(present)}
    if plate != NO_PLATE or not policy.confirm_no_plate:
        unsure = [f"{s}={c:.2f}" for s, c in best.items() if c < policy.threshold(s)]
        if unsure:
            return NeedsReview(candidates, ReviewReason.LOW_CONFIDENCE, "below threshold: " + ", ".join(unsure))
    color = _color(plate, agreed)
    if isinstance(color, NeedsReview):
        return NeedsReview(candidates, color.reason, color.detail)
    logger.debug("vote confirmed %s (%s) from %s", plate, color, ",".join(best))
    return Confirmed(plate, color, tuple(best), min(best.values()))
