"""Fits each engine's confidence map on the validation split of labelled folders, read through the pipeline.

    python -m workers.recognition.training.calibrate ../shared/datasets/ccpd-train500 \\
        ../shared/datasets/plates-easypr/scenes

Every validation photo is read as a lane photo is (detector, corners, engines with their raw scores); a
reading is right when it is one of the photo's labelled plates. Writes ``models/calibration.json`` and prints
each engine's reliability curve, raw and calibrated on held-out halves (for the model cards). Training never
sees these photos.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from parking.plates import read_plate
from workers.recognition.calibration import CALIBRATION, fit, reliability, save
from workers.recognition.engines import Engine
from workers.recognition.engines.crnn import MODEL as CRNN_MODEL
from workers.recognition.engines.crnn import PlateCrnnEngine
from workers.recognition.engines.rapidocr import RapidOcrEngine
from workers.recognition.labelled import load
from workers.recognition.pipeline import Recogniser, UnreadableImage, decode


def _two_fold(scores: list[float], right: list[bool]) -> tuple[list[float], list[bool]]:
    """Each reading's calibrated score from a map fitted on the other half: the reliability a new photo gets
    (the map fitted on all of them matches its own readings by construction)."""
    out: list[float] = [0.0] * len(scores)
    for half in (0, 1):
        fitted = fit(scores[1 - half :: 2] or scores, right[1 - half :: 2] or right)
        for i in range(half, len(scores), 2):
            out[i] = fitted(scores[i])
    return out, right


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", type=Path, nargs="+")
    parser.add_argument("--crnn", type=Path, default=CRNN_MODEL, help="the plate-crnn ONNX to calibrate")
    parser.add_argument("--out", type=Path, default=CALIBRATION)
    args = parser.parse_args()

    engines: list[Engine] = [RapidOcrEngine(calibrate=False), PlateCrnnEngine(args.crnn, calibrate=False)]
    recogniser = Recogniser(engines=engines)
    scores: dict[str, list[float]] = {e.name: [] for e in engines}
    right: dict[str, list[bool]] = {e.name: [] for e in engines}
    photos = 0
    for folder in args.folders:
        samples, problems = load(folder)
        for problem in problems:
            print(f"skipped {problem}", file=sys.stderr)
        for sample in (s for s in samples if s.in_validation()):
            try:
                read = recogniser.read_image(decode(sample.path.read_bytes()))
            except UnreadableImage:
                print(f"skipped {sample.path.name}: not a picture OpenCV can decode", file=sys.stderr)
                continue
            photos += 1
            for name, reading in read.readings.items():
                scores[name].append(reading.confidence)
                # Text that is no plate reads as "no plate", which a labelled photo never holds: wrong.
                right[name].append(read_plate(reading.text).plate in sample.plates)
    maps = {name: fit(scores[name], right[name]) for name in scores if scores[name]}
    for name in maps:
        print(json.dumps({"engine": name, "readings": len(scores[name]), "right": sum(right[name]),
                          "raw": reliability(scores[name], right[name]),
                          "held_out": reliability(*_two_fold(scores[name], right[name]))},
                         ensure_ascii=False))  # fmt: skip
    folders = [f"{folder.parent.name}/{folder.name}" for folder in args.folders]
    save(args.out, maps, {"fitted_on": folders, "photos": photos, "split": "validation"})
    print(f"wrote {args.out} from {photos} photos", flush=True)


if __name__ == "__main__":
    main()
