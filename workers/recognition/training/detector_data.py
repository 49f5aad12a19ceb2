"""Builds the detector's YOLO data set: CCPD training images (validation split held out) plus synthetic scenes.

python -m workers.recognition.training.detector_data CCPD_DIR OUT_DIR [--synthetic N] [--size 416]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from PIL import Image

from workers.recognition.ccpd import is_validation, scan
from workers.recognition.synth import PlateStyle, random_plate, render_scene


def _label(box: tuple[float, float, float, float], size: tuple[int, int]) -> str:
    x0, y0, x1, y1 = box
    w, h = size
    return f"0 {(x0 + x1) / 2 / w:.6f} {(y0 + y1) / 2 / h:.6f} {(x1 - x0) / w:.6f} {(y1 - y0) / h:.6f}\n"


def _save(image: Image.Image, box: tuple[float, float, float, float], out: Path, split: str, name: str,
          size: int) -> None:  # fmt: skip
    # Stored already shrunk to the training size: decoding 720x1160 JPEGs every epoch costs more than training.
    scale = size / max(image.size)
    small = image.resize((round(image.width * scale), round(image.height * scale)), Image.Resampling.BILINEAR)
    (out / "images" / split).mkdir(parents=True, exist_ok=True)
    (out / "labels" / split).mkdir(parents=True, exist_ok=True)
    small.convert("RGB").save(out / "images" / split / f"{name}.jpg", quality=92)
    (out / "labels" / split / f"{name}.txt").write_text(_label(box, image.size))


def build(ccpd: Path, out: Path, synthetic: int, size: int, seed: int = 7) -> dict[str, int]:
    counts = {"train": 0, "val": 0}
    for i, label in enumerate(scan(ccpd)):
        split = "val" if is_validation(label) else "train"
        x0, y0, x1, y1 = label.bbox
        with Image.open(label.path) as image:
            _save(image, (x0, y0, x1, y1), out, split, f"ccpd{i:05d}", size)
        counts[split] += 1
    rng = np.random.default_rng(seed)
    for i in range(synthetic):
        style = list(PlateStyle)[i % len(PlateStyle)]
        scene = render_scene(random_plate(rng, style), style, rng)
        x0, y0, x1, y1 = scene.bbox
        _save(scene.image, (x0, y0, x1, y1), out, "train", f"synth{i:05d}", size)
        counts["train"] += 1
    (out / "data.yaml").write_text(f"path: {out.resolve()}\ntrain: images/train\nval: images/val\nnames:\n  0: plate\n")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ccpd", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--synthetic", type=int, default=300)
    parser.add_argument("--size", type=int, default=416)
    args = parser.parse_args()
    print(build(args.ccpd, args.out, args.synthetic, args.size))


if __name__ == "__main__":
    main()
