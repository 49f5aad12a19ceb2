"""The plate detector: a YOLO model exported to ONNX, run with onnxruntime (the worker needs no torch)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from workers.recognition.onnx import cpu_session

MODEL = Path(__file__).resolve().parent / "models" / "plate-detector.onnx"
# Refinement window around a first box, in plate widths (or three plate heights, if larger). Measured on the
# training split: 2.5 gave the best boxes of 2, 2.5, 3 and 4 (see docs/recognition.md).
REFINE_WINDOW = 2.5
# A box this sure is a plate. Fainter ones (down to CANDIDATE_SCORE) are looked at again, closer, and kept only
# when the closer look is this sure: small or dim plates score low on the shrunk photo.
MIN_SCORE = 0.25
CANDIDATE_SCORE = 0.05
# Boxes the pipeline may read, most confident first, when the ones before read as no plate (a sign, a bumper
# sticker, a second car): reading stops at the first plate, so only failing photos pay for the others.
MAX_CANDIDATES = 3


@dataclass(frozen=True, slots=True)
class Detection:
    box: tuple[float, float, float, float]  # x0, y0, x1, y1 in the original image's pixels
    score: float


def _iou(a: npt.NDArray[np.floating[Any]], b: npt.NDArray[np.floating[Any]]) -> npt.NDArray[np.float32]:
    x0, y0 = np.maximum(a[0], b[:, 0]), np.maximum(a[1], b[:, 1])
    x1, y1 = np.minimum(a[2], b[:, 2]), np.minimum(a[3], b[:, 3])
    inter = np.clip(x1 - x0, 0, None) * np.clip(y1 - y0, 0, None)
    area = (a[2] - a[0]) * (a[3] - a[1]) + (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1]) - inter
    return np.asarray(inter / np.maximum(area, 1e-9), dtype=np.float32)


class PlateDetector:
    def __init__(self, model: Path = MODEL, threads: int = 2) -> None:
        self._session = cpu_session(model, threads)
        self._input = self._session.get_inputs()[0].name
        self.size = int(self._session.get_inputs()[0].shape[2])

    def _letterbox(self, image: npt.NDArray[np.uint8]) -> tuple[npt.NDArray[np.float32], float]:
        # Shrunk to fit, grey padding right and below (the padding ultralytics uses, 114).
        h, w = image.shape[:2]
        scale = self.size / max(h, w)
        resized = cv2.resize(image, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_LINEAR)
        canvas = np.full((self.size, self.size, 3), 114, dtype=np.uint8)
        canvas[: resized.shape[0], : resized.shape[1]] = resized
        return canvas.transpose(2, 0, 1)[None].astype(np.float32) / 255.0, scale

    def detect(
        self, image: npt.NDArray[np.uint8], min_score: float = MIN_SCORE, max_plates: int = 5
    ) -> list[Detection]:
        """Plates in an RGB image, most confident first, overlapping boxes suppressed."""
        tensor, scale = self._letterbox(image)
        (out,) = self._session.run(None, {self._input: tensor})
        rows = out[0].T  # N x (cx, cy, w, h, score)
        rows = rows[rows[:, 4] >= min_score]
        rows = rows[np.argsort(-rows[:, 4])]
        boxes = np.stack(
            [rows[:, 0] - rows[:, 2] / 2, rows[:, 1] - rows[:, 3] / 2, rows[:, 0] + rows[:, 2] / 2,
             rows[:, 1] + rows[:, 3] / 2], axis=1,
        ) / scale  # fmt: skip
        h, w = image.shape[:2]
        boxes = np.asarray(np.clip(boxes, 0, [w, h, w, h]), dtype=np.float32)
        kept: list[Detection] = []
        alive = np.ones(len(rows), dtype=bool)
        for i in range(len(rows)):
            if not alive[i]:
                continue
            kept.append(Detection((float(boxes[i, 0]), float(boxes[i, 1]), float(boxes[i, 2]), float(boxes[i, 3])),
                                  float(rows[i, 4])))  # fmt: skip
            if len(kept) == max_plates:
                break
            alive &= _iou(boxes[i], boxes) <= 0.5
        return kept

    def refine(self, image: npt.NDArray[np.uint8], first: Detection, window: float = REFINE_WINDOW) -> Detection:
        """``first`` averaged with a second look at a window around it, where the plate is 2-4 times larger.

        The whole photo is shrunk to 256 px, so a plate is about 60x20 input pixels and each side of its box
        is off by a few of them, a large share of the box's height; the window's box is finer, and the mean
        of the two is better than either (IoU >= 0.7 on 97% of training photos, 94% from the first look).
        The score is the surer look's: a faint first candidate that the closer look confirms is a plate.
        """
        x0, y0, x1, y1 = first.box
        half = max(x1 - x0, 3 * (y1 - y0)) * window / 2
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        h, w = image.shape[:2]
        left, top = int(max(0, cx - half)), int(max(0, cy - half))
        right, bottom = int(min(w, cx + half)), int(min(h, cy + half))
        if right - left < 8 or bottom - top < 8:
            return first
        found = self.detect(np.ascontiguousarray(image[top:bottom, left:right]), MIN_SCORE, max_plates=1)
        if not found:
            return first
        a, b = np.asarray(first.box), np.asarray(found[0].box) + np.array([left, top, left, top])
        if _iou(a, b[None])[0] < 0.3:
            # The window found something else (another plate, a sign): keep the first look.
            return first
        mean = (a + b) / 2
        score = max(first.score, found[0].score)
        return Detection((float(mean[0]), float(mean[1]), float(mean[2]), float(mean[3])), score)

    def candidates(self, image: npt.NDArray[np.uint8], limit: int = MAX_CANDIDATES) -> list[Detection]:
        """First-look boxes down to ``CANDIDATE_SCORE``, most confident first; empty only when the detector is
        sure there is no plate. Each is refined by the caller when it is read (a detector run each)."""
        return self.detect(image, CANDIDATE_SCORE, max_plates=limit)

    def find_plate(self, image: npt.NDArray[np.uint8]) -> Detection | None:
        """The most plate-like box, refined by a second look, or None when nothing is sure enough."""
        found = self.detect(image, CANDIDATE_SCORE, max_plates=1)
        if not found:
            return None
        plate = self.refine(image, found[0])
        return plate if plate.score >= MIN_SCORE else None
