"""easyocr loads the committed plate-crnn (custom ``recog_network``) with downloads disabled, and reads with it.

Needs the `train` extra (easyocr, torch); skipped cleanly without it. Runs in a fresh interpreter because the
torchvision shim must be installed before easyocr imports torchvision, and with sockets refusing to connect,
so a download attempt fails the test instead of passing quietly.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from workers.recognition.charset import CHARACTERS

pytest.importorskip("torch")
if importlib.util.find_spec("easyocr") is None:
    pytest.skip("easyocr not installed (the train extra)", allow_module_level=True)

MODELS = Path(__file__).resolve().parents[2] / "workers" / "recognition" / "models"

SCRIPT = r"""
import json, socket, sys
def refuse(*args, **kwargs):
    raise OSError("network disabled in this test")
socket.socket.connect = refuse
from workers.recognition.training.torchvision_cpu import install
install()
import importlib.util
if importlib.util.find_spec("easyocr") is None:
    print(json.dumps({"skip": "easyocr not installed"})); sys.exit(0)
import easyocr, numpy as np, cv2
from tests.recognition.scenes import photo
from workers.recognition.crops import crop_box
from workers.recognition.engines.crnn import PlateCrnnEngine
models = sys.argv[1]
reader = easyocr.Reader(["ch_sim", "en"], gpu=False, detector=False, recog_network="plate_crnn",
                        user_network_directory=models, model_storage_directory=models,
                        download_enabled=False, quantize=False, verbose=False)
onnx = PlateCrnnEngine()
import torch
from workers.recognition.crops import normalise, to_line
out = []
diffs = []
for seed in range(8):
    shot = photo(seed)
    rgb = cv2.cvtColor(cv2.imdecode(np.frombuffer(shot.jpeg, np.uint8), cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
    crop = np.ascontiguousarray(crop_box(rgb, shot.bbox, 0.04))
    grey = cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY)
    (_, text, conf), = reader.recognize(grey)
    out.append({"plate": shot.plate, "easyocr": text, "onnx": onnx.read(crop).text})
    batch = normalise([to_line(crop)])
    with torch.no_grad():
        mine = reader.recognizer(torch.from_numpy(batch), None).numpy()
    (theirs,) = onnx._session.run(None, {"image": batch})
    diffs.append(float(np.abs(mine - theirs).max()))
print(json.dumps({"reads": out, "max_logit_diff": max(diffs)}, ensure_ascii=False))
"""


def test_easyocr_reads_with_the_committed_recognizer() -> None:
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(MODELS)], capture_output=True, text=True, timeout=600, cwd=root, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if "skip" in result:
        pytest.skip(result["skip"])
    # easyocr holds exactly our weights: its network and our ONNX export give the same logits on one input.
    assert result["max_logit_diff"] < 1e-3, result
    # And its own pipeline (its resizing, contrast and padding) reads plate characters with them.
    reads = result["reads"]
    assert len(reads) == 8
    assert all(r["easyocr"] and set(r["easyocr"]) <= set(CHARACTERS) for r in reads), reads
