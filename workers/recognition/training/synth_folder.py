"""Writes a labelled folder of every plate style drawn over the real plates of held-out photos, for the bench.

    python -m workers.recognition.training.synth_folder var/synth-kinds --per-style 20 \\
        ../shared/datasets/ccpd-train500 ../shared/datasets/plates-easypr/scenes

No real photos of police, embassy, consulate, Hong Kong/Macau, trailer, double-row or new-energy plates could
be found (``../shared/notes/recognition.md``), so their reading is measured on these: a random plate of the
style, drawn in one of the installed faces, warped over the labelled corners of a validation photo's plate
(which training never sees), so light, blur and surroundings are real. ``labels.tsv`` gives the style as the
kind and the drawn plate's box and corners; ``python -m bench recognition OUT`` then reports ``by_label_kind``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import cv2
import numpy as np

from workers.recognition.labelled import load
from workers.recognition.pipeline import UnreadableImage, decode
from workers.recognition.synth import PlateStyle, random_plate, render_plate
from workers.recognition.training.crnn_data import fitted_corners, labelled_plates, paste_plate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("folders", type=Path, nargs="+", help="labelled folders whose validation photos to use")
    parser.add_argument("--per-style", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    hosts = []
    for folder in args.folders:
        photos, _ = load(folder)
        hosts += labelled_plates([p for p in photos if p.in_validation()])
    if not hosts:
        raise SystemExit("no validation photo with corners in those folders")
    args.out.mkdir(parents=True, exist_ok=True)
    rows = ["file\tplate\tkind\tbbox_or_corners"]
    for style in PlateStyle:
        for i in range(args.per_style):
            host = hosts[int(rng.integers(len(hosts)))]
            try:
                photo = decode(host.path.read_bytes())
            except UnreadableImage:
                continue
            plate = random_plate(rng, style)
            drawn = render_plate(plate, style, rng, vary_font=True)
            corners = fitted_corners(drawn, host.corners)
            scene = paste_plate(photo, drawn, corners)
            name = f"{style.value}_{i:03d}.jpg"
            cv2.imwrite(str(args.out / name), np.ascontiguousarray(scene[:, :, ::-1]), [cv2.IMWRITE_JPEG_QUALITY, 90])
            xs, ys = [x for x, _ in corners], [y for _, y in corners]
            box = f"{min(xs):.0f},{min(ys):.0f},{max(xs):.0f},{max(ys):.0f}"
            quad = ";".join(f"{x:.0f},{y:.0f}" for x, y in corners)
            rows.append(f"{name}\t{plate}\t{style.value}\tbbox={box}|corners={quad}")
    (args.out / "labels.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    print(f"wrote {len(rows) - 1} scenes to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
