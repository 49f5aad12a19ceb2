"""The plate detector: a YOLO model exported to ONNX, run with onnxruntime (the worker needs no torch)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

MODEL = Path(__file__).resolve().parent / "models" / "plate-detector.onnx"


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
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self._session: Any = ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
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

    def detect(self, image: npt.NDArray[np.uint8], min_score: float = 0.25, max_plates: int = 5) -> list[Detection]:
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
