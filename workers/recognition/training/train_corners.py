"""Trains plate-corners on CPU for a time budget and exports the ONNX the worker runs.

    python -m workers.recognition.training.train_corners ../shared/datasets/ccpd-train500 --minutes 20

Windows are drawn afresh each batch (``corners_data.sample``) from the training split's photos and from
synthetic plates of every style pasted on them. Writes ``plate-corners.onnx`` (or ``--out``) and prints, on
the validation split (a report only), the corners' mean error in plate widths and the share of boxes rebuilt
from the corners at IoU >= 0.7 with the labelled box.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path
from typing import Any

import numpy as np

from workers.recognition.ccpd import CcpdLabel, is_validation, scan
from workers.recognition.corners import INPUT_SIZE, MODEL, cut_window, photo_corners, to_tensor, window_matrix
from workers.recognition.crops import box_iou
from workers.recognition.training.corners_data import Scene, detector_like_box, load_scene, sample, synthetic_scenes


def network() -> Any:
    from torch import nn

    def block(cin: int, cout: int) -> list[nn.Module]:
        return [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True)]

    w, h = INPUT_SIZE
    return nn.Sequential(
        *block(3, 16), nn.MaxPool2d(2),  # 32 x 64
        *block(16, 32), nn.MaxPool2d(2),  # 16 x 32
        *block(32, 48), *block(48, 48), nn.MaxPool2d(2),  # 8 x 16
        *block(48, 64), nn.MaxPool2d(2),  # 4 x 8
        nn.Flatten(), nn.Linear(64 * (h // 16) * (w // 16), 128), nn.ReLU(inplace=True), nn.Linear(128, 8),
    )  # fmt: skip


def report(model: Any, labels: list[CcpdLabel], seed: int = 0) -> dict[str, float | int]:
    """Corner error and rebuilt-box IoU on ``labels``, from detector-like boxes drawn with a fixed seed."""
    import torch

    if not labels:
        return {"corner_error": 0.0, "box_iou_0_7": 0.0, "photos": 0}
    rng = np.random.default_rng(seed)
    errors, hits = [], 0
    model.eval()
    with torch.no_grad():
        for label in labels:
            scene = load_scene(label)
            matrix = window_matrix(detector_like_box(scene.corners, rng))
            out = model(torch.from_numpy(to_tensor([cut_window(scene.image, matrix)])))[0].numpy()
            quad = photo_corners(out, matrix)
            width = np.linalg.norm(scene.corners[1] - scene.corners[0])
            errors.append(float(np.linalg.norm(quad - scene.corners, axis=1).mean() / width))
            box = (*(quad.min(axis=0) * 2), *(quad.max(axis=0) * 2))
            hits += box_iou(box, label.bbox) >= 0.7
    model.train()
    return {"corner_error": round(float(np.mean(errors)), 4), "box_iou_0_7": round(hits / len(labels), 4),
            "photos": len(labels)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ccpd", type=Path)
    parser.add_argument("--minutes", type=float, default=20.0)
    parser.add_argument("--synthetic", type=int, default=600)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--out", type=Path, default=MODEL)
    args = parser.parse_args()

    import torch

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    labels = scan(args.ccpd)
    train_labels = [lb for lb in labels if not is_validation(lb)]
    val_labels = [lb for lb in labels if is_validation(lb)]
    started = time.monotonic()
    scenes: list[Scene] = [load_scene(lb) for lb in train_labels]
    scenes += list(synthetic_scenes(scenes, args.synthetic, rng))
    print(f"data: {len(scenes)} scenes, {time.monotonic() - started:.0f}s", flush=True)

    model = network()
    optimiser = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    loss_fn = torch.nn.SmoothL1Loss(beta=0.02)
    budget, step, begun = args.minutes * 60, 0, time.monotonic()
    while (elapsed := time.monotonic() - begun) < budget:
        for group in optimiser.param_groups:
            group["lr"] = args.lr * 0.5 * (1 + math.cos(math.pi * elapsed / budget))
        drawn = [sample(scenes[int(i)], rng) for i in rng.integers(len(scenes), size=args.batch)]
        x = torch.from_numpy(to_tensor([w for w, _ in drawn]))
        y = torch.from_numpy(np.stack([t.reshape(8) for _, t in drawn]).astype(np.float32))
        loss = loss_fn(model(x), y)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        step += 1
        if step % 200 == 0:
            print(f"step {step} {elapsed:.0f}s loss {loss.item():.5f}", flush=True)

    model.eval()
    figures = {"steps": step, "train": report(model, train_labels[:100]), "val": report(model, val_labels)}
    w, h = INPUT_SIZE
    torch.onnx.export(
        model, (torch.zeros(1, 3, h, w),), str(args.out), input_names=["window"], output_names=["corners"],
        dynamic_axes={"window": {0: "n"}, "corners": {0: "n"}}, opset_version=17, dynamo=False,
    )  # fmt: skip
    torch.save(model.state_dict(), args.out.with_suffix(".pt"))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
