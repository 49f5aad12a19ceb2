"""Engine confidences as probabilities of being right: isotonic maps fitted on held-out plates.

An engine's raw score is not a probability: plate-crnn's is the product of its steps' best probabilities
(0.999 for 粤 read as 鄂), rapidocr's the mean of them. The vote compares each engine's confidence with a
threshold, so it needs the share of readings at that confidence that are right. ``models/calibration.json``
holds, per engine, a monotone map from raw score to that share, fitted by ``python -m
workers.recognition.training.calibrate`` (pool adjacent violators, the isotonic regression); an engine with no
map keeps its raw score.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

CALIBRATION = Path(__file__).resolve().parent / "models" / "calibration.json"


@dataclass(frozen=True)
class Calibration:
    """A non-decreasing piecewise-linear map from raw score to the share of right readings."""

    scores: tuple[float, ...]
    right: tuple[float, ...]

    def __call__(self, score: float) -> float:
        return float(np.interp(score, self.scores, self.right))


def fit(scores: Sequence[float], right: Sequence[bool]) -> Calibration:
    """Isotonic regression of right (0/1) on score by pooling adjacent violators: flat over each pooled block of
    scores, linear between blocks, flat beyond the fitted range."""
    if not scores or len(scores) != len(right):
        raise ValueError("calibration needs as many scores as outcomes, and at least one")
    values, inverse = np.unique(np.asarray(scores, dtype=np.float64), return_inverse=True)
    hits = np.bincount(inverse, weights=np.asarray(right, dtype=np.float64), minlength=len(values))
    counts = np.bincount(inverse, minlength=len(values)).astype(np.float64)
    blocks: list[list[float]] = []  # [right, readings, lowest score, highest score]
    for value, hit, count in zip(values.tolist(), hits.tolist(), counts.tolist(), strict=True):
        blocks.append([hit, count, value, value])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] >= blocks[-1][0] / blocks[-1][1]:
            last = blocks.pop()
            blocks[-1] = [blocks[-1][0] + last[0], blocks[-1][1] + last[1], blocks[-1][2], last[3]]
    knots: list[tuple[float, float]] = []
    for hit, count, low, high in blocks:
        knots += [(low, hit / count)] + ([(high, hit / count)] if high > low else [])
    return Calibration(tuple(k for k, _ in knots), tuple(v for _, v in knots))


def reliability(
    scores: Sequence[float], right: Sequence[bool], edges: Sequence[float] = (0.0, 0.5, 0.8, 0.9, 0.95, 0.99, 1.0)
) -> list[dict[str, float | int]]:
    """Readings per confidence bin with the mean confidence and the share right (the reliability curve)."""
    s, r = np.asarray(scores, dtype=np.float64), np.asarray(right, dtype=np.float64)
    rows: list[dict[str, float | int]] = []
    for lo, hi in itertools.pairwise(edges):
        inside = (s >= lo) & ((s < hi) if hi < edges[-1] else (s <= hi))
        if inside.any():
            mean, share = float(s[inside].mean()), float(r[inside].mean())
            rows.append({"from": lo, "to": hi, "n": int(inside.sum()), "confidence": round(mean, 4),
                         "right": round(share, 4)})  # fmt: skip
    return rows


def save(path: Path, maps: dict[str, Calibration], notes: dict[str, object]) -> None:
    body = {name: {"scores": list(c.scores), "right": list(c.right)} for name, c in sorted(maps.items())}
    path.write_text(json.dumps({"engines": body, **notes}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


@lru_cache(maxsize=4)
def load(path: Path = CALIBRATION) -> dict[str, Calibration]:
    if not path.is_file():
        return {}
    engines = json.loads(path.read_text(encoding="utf-8"))["engines"]
    return {name: Calibration(tuple(m["scores"]), tuple(m["right"])) for name, m in engines.items()}


def calibrated(engine: str, score: float) -> float:
    """The engine's score as the share of its readings at that score that were right (raw if not fitted)."""
    calibration = load().get(engine)
    return score if calibration is None else calibration(score)
