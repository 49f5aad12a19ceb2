"""Training goes on from the committed detector checkpoint: one near-frozen epoch keeps what it had learned.

A randomly initialised detector finds no plate; one that really started from plate-detector.pt finds them
as the committed ONNX does. Needs the `train` extra (torch, ultralytics); skipped cleanly without it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("ultralytics")
pytest.importorskip("onnxruntime")

from tests.recognition.scenes import photo
from workers.recognition.crops import box_iou
from workers.recognition.detector import MODEL, PlateDetector
from workers.recognition.pipeline import decode
from workers.recognition.training.detector_data import build

ROOT = Path(__file__).resolve().parents[2]
CHECKPOINT = MODEL.with_suffix(".pt")
SEEDS = range(100, 106)


def _found(detector: PlateDetector) -> int:
    found = 0
    for seed in SEEDS:
        shot = photo(seed)
        plate = detector.find_plate(decode(shot.jpeg))
        found += plate is not None and box_iou(plate.box, shot.bbox) >= 0.5
    return found


def test_the_committed_checkpoint_sits_beside_its_onnx() -> None:
    assert CHECKPOINT.exists(), "commit the stripped last.pt next to plate-detector.onnx"
    assert CHECKPOINT.stat().st_size < 5_000_000


def test_training_resumes_from_the_committed_checkpoint(tmp_path: Path, font: Path) -> None:
    (tmp_path / "ccpd").mkdir()
    build(tmp_path / "ccpd", tmp_path / "data", synthetic=4, size=256)
    data = tmp_path / "data" / "data.yaml"
    # The run does not validate, but ultralytics insists on a val folder.
    data.write_text(data.read_text().replace("val: images/val", "val: images/train"))
    onnx, checkpoint = tmp_path / "resumed.onnx", tmp_path / "resumed.pt"
    command = [
        sys.executable, "-m", "workers.recognition.training.train_detector", str(data), str(tmp_path / "run"),
        "--resume-from", str(CHECKPOINT), "--hours", "0", "--epochs", "1", "--batch", "4", "--lr0", "1e-7",
        "--out", str(onnx), "--checkpoint-out", str(checkpoint),
    ]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    assert checkpoint.exists()
    assert checkpoint.stat().st_size < 5_000_000

    committed = _found(PlateDetector())
    resumed = _found(PlateDetector(onnx))
    assert committed >= len(SEEDS) - 1, f"the committed detector found {committed} of {len(SEEDS)}"
    assert resumed >= committed - 1, f"resumed found {resumed}, committed {committed}"
