"""plate-corners trains on CPU from CCPD-named photos and exports an ONNX the worker opens.

A few seconds on drawn scenes saved under CCPD names: the point is the whole path (scan, scenes, windows,
training, report, export), not the figures. Needs the `train` extra (torch); skipped cleanly without it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("onnxruntime")

from tests.recognition.scenes import photo
from workers.recognition.ccpd import _LETTERS, _PROVINCES, _SERIAL, parse
from workers.recognition.corners import CornerLocator
from workers.recognition.pipeline import decode

ROOT = Path(__file__).resolve().parents[2]


def _ccpd_name(seed: int, plate: str, bbox: tuple[int, ...], corners: tuple[tuple[float, float], ...]) -> str:
    indices = [_PROVINCES.index(plate[0]), _LETTERS.index(plate[1]), *(_SERIAL.index(c) for c in plate[2:])]
    tl, tr, br, bl = ((round(x), round(y)) for x, y in corners)
    points = "_".join(f"{x}&{y}" for x, y in (br, bl, tl, tr))
    box = f"{bbox[0]}&{bbox[1]}_{bbox[2]}&{bbox[3]}"
    return f"{seed:04d}-90_90-{box}-{points}-{'_'.join(map(str, indices))}-100-100.jpg"


def test_a_short_run_trains_and_exports(tmp_path: Path) -> None:
    photos = tmp_path / "ccpd"
    photos.mkdir()
    for seed in range(12):
        shot = photo(seed)
        name = _ccpd_name(seed, shot.plate, shot.bbox, shot.corners)
        (photos / name).write_bytes(shot.jpeg)
        assert parse(photos / name).plate == shot.plate
    out = tmp_path / "corners.onnx"
    done = subprocess.run(
        [sys.executable, "-m", "workers.recognition.training.train_corners", str(photos), "--minutes", "0.05",
         "--synthetic", "4", "--batch", "8", "--threads", "1", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["steps"] > 0
    assert 0.0 <= report["train"]["box_iou_0_7"] <= 1.0
    # The export opens in the worker's runtime and answers with corners or a refusal, in photo pixels.
    shot = photo(0)
    found = CornerLocator(out).locate(decode(shot.jpeg), tuple(float(v) for v in shot.bbox))  # type: ignore[arg-type]
    assert found is None or np.isfinite(np.asarray(found.corners)).all()
