"""Cloud recognition over a labelled folder: detection recall, accuracy per engine, to a person, wrongly accepted.

    python -m bench recognition DIR [--crops] [--split val|train|all] [--camera-error 0.02] [--limit N]
                                    [--candidates 3] [--detector PATH] [--corners PATH | --no-corners]

DIR holds photos named as CCPD names them, or any photos (``--crops``: plate crops, no detector: rectified from
the corners plate-corners finds in the crop, as the pipeline reads a plate, unless ``--no-corners``) listed in a
``labels.tsv`` (see ``workers/recognition/labelled.py``). The camera is simulated as a
third source that reads the labelled plate and, at ``--camera-error``, misreads one character.
``to_person`` is the share of photos sent to the correction queue; ``wrong_accepted`` the share of the plates
accepted without a person that are wrong; ``by_kind`` groups by the plate's kind as the project classifies it
(``PlateKind``), ``by_label_kind`` by the labels' own kind column, ``by_province_group`` Anhui ("皖", CCPD's
home) against the rest. Latency is the photo's detection, corners and engines (the engines alone for crops).
Rows left out (a bad plate, a missing or undecodable file) are counted in ``skipped`` and listed on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import numpy.typing as npt

from bench._recognition_tally import Groups, Tally, kind_of, province_group
from bench.common import percentile
from parking.plates import DIGITS, LETTERS, InvalidPlate, PlateColor, normalize_plate
from workers.recognition.corners import CornerLocator
from workers.recognition.crops import box_iou
from workers.recognition.detector import MAX_CANDIDATES, PlateDetector
from workers.recognition.engines import Engine
from workers.recognition.engines.crnn import PlateCrnnEngine
from workers.recognition.labelled import LabelsUnusable, Problem, Sample, load
from workers.recognition.pipeline import PlateRead, Recogniser, UnreadableImage, decode
from workers.recognition.review import camera_reading, decide

# A detection is the labelled plate when it overlaps a labelled box this much (the usual detection criterion).
FOUND_IOU = 0.7


def simulated_camera(plate: str, error_rate: float, rng: np.random.Generator) -> str:
    if rng.random() >= error_rate:
        return plate
    i = int(rng.integers(2, len(plate)))
    pool = (LETTERS + DIGITS).replace(plate[i], "")
    return plate[:i] + pool[int(rng.integers(len(pool)))] + plate[i + 1 :]


def _plate(text: str) -> str | None:
    try:
        return normalize_plate(text)
    except InvalidPlate:
        return None


def select(samples: list[Sample], split: str) -> list[Sample]:
    if split == "all":
        return samples
    return [s for s in samples if s.in_validation() == (split == "val")]


def _image(path: Path) -> npt.NDArray[np.uint8] | None:
    # Decoded from bytes: cv2.imread cannot open non-ASCII paths on every platform (plates-easypr's names).
    try:
        return decode(path.read_bytes())
    except (OSError, UnreadableImage):
        return None


def _found(read: PlateRead, sample: Sample) -> bool:
    return read.detection is not None and any(box_iou(read.detection.box, b) >= FOUND_IOU for b in sample.boxes)


def run(
    samples: list[Sample],
    camera_error: float,
    seed: int = 0,
    recogniser: Recogniser | None = None,
    crops: bool = False,
    problems: list[Problem] | None = None,
) -> dict[str, object]:
    """One JSON-ready summary; photos that cannot be decoded are appended to ``problems`` and left out."""
    recogniser = recogniser or Recogniser()
    problems = problems if problems is not None else []
    rng = np.random.default_rng(seed)
    engines = [e.name for e in recogniser.engines]
    overall = Tally(engines)
    by_kind, by_label_kind, by_province = Groups(engines), Groups(engines), Groups(engines)
    boxed = found = later = 0
    latencies: list[float] = []
    for sample in samples:
        image = _image(sample.path)
        if image is None:
            problems.append(Problem(sample.path.name, "not a picture OpenCV can decode"))
            continue
        started = time.perf_counter()
        read = recogniser.read_crop(image) if crops else recogniser.read_image(image)
        latencies.append((time.perf_counter() - started) * 1000)
        if not crops and sample.boxes:
            boxed += 1
            found += _found(read, sample)
        later += read.candidates_read > 1
        right = {
            name: (r := read.readings.get(name)) is not None and _plate(r.text) in sample.plates for name in engines
        }
        camera = camera_reading(simulated_camera(sample.plate, camera_error, rng), 0.9, PlateColor.UNKNOWN)
        accepted = decide(camera, read).confirmed_plate
        tallies = [overall, by_kind.get(kind_of(sample.plate)), by_province.get(province_group(sample.plate))]
        if sample.kind is not None:
            tallies.append(by_label_kind.get(sample.kind))
        for tally in tallies:
            tally.add(right, accepted, sample.plates)
    summary = overall.summary()
    result: dict[str, object] = {
        "bench": "recognition",
        "input": "crops" if crops else "scenes",
        "n": overall.n,
        # Scenes whose labels give a box; null for crops (no detector) or labels without boxes.
        "detection_recall": round(found / boxed, 4) if boxed else None,
        "engines": summary["engines"],
        "camera_error": camera_error,
        "to_person": summary["to_person"],
        "wrong_accepted": summary["wrong_accepted"],
        # Photos whose plate was read from a box after the detector's most confident one.
        "later_candidate": later,
        "p50_ms": round(percentile(latencies, 50), 1),
        "p99_ms": round(percentile(latencies, 99), 1),
        "by_kind": by_kind.summary(),
        "by_province_group": by_province.summary(),
    }
    if by_label_kind.tallies:
        result["by_label_kind"] = by_label_kind.summary()
    result["skipped"] = len(problems)
    return result


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench recognition", description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--crops", action="store_true", help="the folder holds plate crops: engines only")
    parser.add_argument("--split", choices=["val", "train", "all"], default="all")
    # #21 judges to_person with a camera that misreads 2% of plates.
    parser.add_argument("--camera-error", type=float, default=0.02)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--candidates", type=int, default=MAX_CANDIDATES, help="detector boxes read at most")
    parser.add_argument("--detector", type=Path, default=None, help="another detector ONNX (default: committed)")
    corners = parser.add_mutually_exclusive_group()
    corners.add_argument("--corners", type=Path, default=None, help="another corner ONNX (default: committed)")
    corners.add_argument("--no-corners", action="store_true", help="read the box or crop as cut, no rectification")
    parser.add_argument(
        "--crnn", type=Path, default=None,
        help="another plate-crnn ONNX (default: committed); its scores go through the committed calibration",
    )  # fmt: skip
    args = parser.parse_args(argv)
    try:
        samples, problems = load(args.folder)
    except LabelsUnusable as err:
        raise SystemExit(f"bench recognition: {err}") from None
    samples = select(samples, args.split)
    if args.limit:
        samples = samples[: args.limit]
    detector = PlateDetector(args.detector) if args.detector else None
    locator = CornerLocator(args.corners) if args.corners else None
    engines: list[str | Engine] = ["rapidocr", PlateCrnnEngine(args.crnn) if args.crnn else "plate-crnn"]
    recogniser = Recogniser(
        detector, engines, corners=locator, rectify=not args.no_corners, max_candidates=args.candidates
    )
    result = run(samples, args.camera_error, args.seed, recogniser, crops=args.crops, problems=problems)
    for problem in problems:
        print(f"skipped {problem}", file=sys.stderr)
    print(json.dumps(result, ensure_ascii=False))
