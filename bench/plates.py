"""Plate hot paths: normalize_plate per reading and fuzzy_candidates over a lot's open plates."""

from __future__ import annotations

import argparse
import json
import logging
import time

import numpy as np

from parking.plate_match import fuzzy_candidates
from parking.plates import normalize_plate
from workers.recognition.synth.styles import PlateStyle, random_plate

logger = logging.getLogger(__name__)


def _open_plates(rng: np.random.Generator, count: int) -> list[str]:
    styles = [PlateStyle.BLUE] * 6 + [PlateStyle.GREEN_SMALL] * 3 + [PlateStyle.YELLOW]
    plates: set[str] = set()
    while len(plates) < count:
        plates.add(random_plate(rng, styles[int(rng.integers(len(styles)))]))
    return sorted(plates)


def _per_call_us(fn: object, args: list[str], repeat: int) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        for arg in args:
            fn(arg)  # type: ignore[operator]
    return (time.perf_counter() - start) / (repeat * len(args)) * 1e6


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench plates")
    parser.add_argument("--open", type=int, default=3000, help="plates currently parked")
    parser.add_argument("--reads", type=int, default=50, help="fuzzy lookups to time")
    args = parser.parse_args(argv)
    rng = np.random.default_rng(0)
    plates = _open_plates(rng, args.open)
    raw = [f" {p[:2]}·{p[2:].lower()} " for p in plates]
    # Cold: each reading seen for the first time; warm: the same readings again, as with repeat visitors.
    cold = _per_call_us(normalize_plate, raw, 1)
    warm = _per_call_us(normalize_plate, raw, 20)
    # Each lookup reads a parked plate with one confusable character and no province.
    reads = [p[1:-1] + {"0": "D", "8": "B", "5": "S"}.get(p[-1], p[-1]) for p in plates[: args.reads]]
    start = time.perf_counter()
    found = sum(1 for r, p in zip(reads, plates, strict=False) if fuzzy_candidates(r, plates)[0].plate == p)
    fuzzy_ms = (time.perf_counter() - start) / len(reads) * 1e3
    result = {
        "bench": "plates",
        "open_plates": len(plates),
        "normalize_cold_us": round(cold, 2),
        "normalize_warm_us": round(warm, 2),
        "fuzzy_ms_per_lookup": round(fuzzy_ms, 2),
        "fuzzy_top1_found": f"{found}/{len(reads)}",
    }
    print(json.dumps(result))
