"""The torchvision trap's fix: in a fresh interpreter, the shim makes torchvision import and its NMS run on CPU.

Needs the `train` extra (torch, torchvision); skipped cleanly without it.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytest.importorskip("torch")

SCRIPT = r"""
import json, sys
import torch
from workers.recognition.training.torchvision_cpu import import_torchvision
tv = import_torchvision()
g = torch.Generator().manual_seed(0)
xy = torch.rand(200, 2, generator=g) * 100
wh = torch.rand(200, 2, generator=g) * 30 + 1
boxes = torch.cat([xy, xy + wh], 1)
scores = torch.rand(200, generator=g)
idx = torch.randint(0, 3, (200,), generator=g)
print(json.dumps({
    "nms": tv.ops.nms(boxes, scores, 0.5).tolist(),
    "batched": tv.ops.batched_nms(boxes, scores, idx, 0.5).tolist(),
    "boxes": boxes.tolist(), "scores": scores.tolist(), "idx": idx.tolist(),
}))
"""


def _greedy(boxes: list[list[float]], scores: list[float], thr: float) -> list[int]:
    def iou(a: list[float], b: list[float]) -> float:
        iw = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
        ih = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
        inter = iw * ih
        return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)

    keep: list[int] = []
    for i in sorted(range(len(boxes)), key=lambda k: -scores[k]):
        if all(iou(boxes[i], boxes[k]) <= thr for k in keep):
            keep.append(i)
    return keep


def test_torchvision_imports_and_nms_matches_a_plain_greedy_nms() -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["nms"] == _greedy(out["boxes"], out["scores"], 0.5)
    expected: list[int] = []
    for cls in sorted(set(out["idx"])):
        members = [i for i, c in enumerate(out["idx"]) if c == cls]
        kept = _greedy([out["boxes"][i] for i in members], [out["scores"][i] for i in members], 0.5)
        expected += [members[k] for k in kept]
    assert sorted(out["batched"]) == sorted(expected)
    assert len(out["nms"]) < 200  # the random boxes overlap: something was suppressed


def test_the_shim_refuses_to_run_after_torchvision_was_imported() -> None:
    script = (
        "import sys, types; sys.modules['torchvision'] = types.ModuleType('torchvision')\n"
        "from workers.recognition.training.torchvision_cpu import install\n"
        "try:\n    install()\nexcept RuntimeError as e:\n    print('refused:', e)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert "refused: torchvision_cpu.install() must run before torchvision is imported" in done.stdout, done.stderr
