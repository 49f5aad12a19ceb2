"""Cloud recognition over a folder of CCPD-named photos: detection recall, accuracy per engine and voted, latency.

    python -m bench recognition DIR [--split val|train|all] [--camera-error 0.05] [--limit N]
                                    [--detector PATH] [--corners PATH | --no-corners]

The camera is simulated as a third engine that reads the labelled plate and, at ``--camera-error``, misreads one
character. ``voted_accuracy`` is the share of automatically accepted plates that are right; ``to_person`` the
share of photos sent to the correction queue. Latency is detection plus both engines, per photo, on this CPU.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import cv2
import numpy as np

from bench.common import percentile
from parking.plates import DIGITS, LETTERS, InvalidPlate, PlateColor, normalize_plate
from workers.recognition.ccpd import CcpdLabel, is_validation, scan
from workers.recognition.corners import CornerLocator
from workers.recognition.crops import box_iou
from workers.recognition.detector import PlateDetector
from workers.recognition.pipeline import ENGINES, Recogniser
from workers.recognition.review import camera_reading, decide


def simulated_camera(plate: str, error_rate: float, rng: np.random.Generator) -> str:
    if rng.random() >= error_rate:
        return plate
    i = int(rng.integers(2, len(plate)))
    pool = (LETTERS + DIGITS).replace(plate[i], "")
    return plate[:i] + pool[int(rng.integers(len(pool)))] + plate[i + 1 :]


def _same(text: str, plate: str) -> bool:
    try:
        return normalize_plate(text) == plate
    except InvalidPlate:
        return False


def select(folder: Path, split: str) -> list[CcpdLabel]:
    labels = scan(folder)
    if split == "val":
        return [lb for lb in labels if is_validation(lb)]
    if split == "train":
        return [lb for lb in labels if not is_validation(lb)]
    return labels


def run(
    labels: list[CcpdLabel], camera_error: float, seed: int = 0, recogniser: Recogniser | None = None
) -> dict[str, object]:
    recogniser = recogniser or Recogniser()
    rng = np.random.default_rng(seed)
    found = accepted = accepted_right = to_person = 0
    right = dict.fromkeys(ENGINES, 0)
    latencies: list[float] = []
    for label in labels:
        bgr = cv2.imread(str(label.path))
        if bgr is None:
            raise OSError(f"cannot read {label.path}")
        image = np.asarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), dtype=np.uint8)
        started = time.perf_counter()
        read = recogniser.read_image(image)
        latencies.append((time.perf_counter() - started) * 1000)
        if read.detection is not None and box_iou(read.detection.box, label.bbox) >= 0.7:
            found += 1
        for name in ENGINES:
            reading = read.readings.get(name)
            right[name] += reading is not None and _same(reading.text, label.plate)
        camera = camera_reading(simulated_camera(label.plate, camera_error, rng), 0.9, PlateColor.UNKNOWN)
        verdict = decide(camera, read)
        if verdict.confirmed_plate is None:
            to_person += 1
        else:
            accepted += 1
            accepted_right += verdict.confirmed_plate == label.plate
    n = len(labels)
    return {
        "bench": "recognition",
        "n": n,
        "detection_recall": round(found / n, 4) if n else 0.0,
        "engines": {name: round(right[name] / n, 4) if n else 0.0 for name in ENGINES},
        "camera_error": camera_error,
        "voted_accuracy": round(accepted_right / accepted, 4) if accepted else 0.0,
        "to_person": round(to_person / n, 4) if n else 0.0,
        "p50_ms": round(percentile(latencies, 50), 1),
        "p99_ms": round(percentile(latencies, 99), 1),
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench recognition", description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--split", choices=["val", "train", "all"], default="all")
    parser.add_argument("--camera-error", type=float, default=0.05)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--detector", type=Path, default=None, help="another detector ONNX (default: committed)")
    corners = parser.add_mutually_exclusive_group()
    corners.add_argument("--corners", type=Path, default=None, help="another corner ONNX (default: committed)")
    corners.add_argument("--no-corners", action="store_true", help="read the detector's box, no rectification")
    args = parser.parse_args(argv)
    labels = select(args.folder, args.split)
    if args.limit:
        labels = labels[: args.limit]
    detector = PlateDetector(args.detector) if args.detector else None
    locator = CornerLocator(args.corners) if args.corners else None
    recogniser = Recogniser(detector, corners=locator, rectify=not args.no_corners)
    print(json.dumps(run(labels, args.camera_error, args.seed, recogniser), ensure_ascii=False))
