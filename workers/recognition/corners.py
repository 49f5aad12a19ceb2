"""Plate corners: a small regressor (ONNX) that finds the four corners of a plate inside a detector's box.

The detector sees the photo shrunk to 256 px, so its box is a few pixels off on each side and says nothing
about tilt. This model looks at a window around the box at full resolution and gives the plate's corners, from
which the crop is rectified (what the recognizers read best). Training:
``workers/recognition/training/train_corners.py``; model card ``models/plate-corners.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from workers.recognition.crops import plate_aspect
from workers.recognition.onnx import cpu_session

MODEL = Path(__file__).resolve().parent / "models" / "plate-corners.onnx"
# The window the model sees, in pixels (width, height), always 2:1.
INPUT_SIZE = (128, 64)
# The window spans this many box widths (or twice as many box heights, if larger): room for a box whose
# sides are off by a quarter of the plate, and for a tilted or double-row plate.
WINDOW = 1.6
# Grey where the window runs off the photo, as the detector's letterbox.
FILL = 114

Point = tuple[float, float]
Quad = tuple[Point, Point, Point, Point]  # top-left, top-right, bottom-right, bottom-left
Box = tuple[float, float, float, float]


def window_matrix(box: Box) -> npt.NDArray[np.float64]:
    """The 2x3 affine map from window pixels (``INPUT_SIZE``) to photo pixels for a box (x0, y0, x1, y1)."""
    x0, y0, x1, y1 = box
    width = max((x1 - x0) * WINDOW, (y1 - y0) * WINDOW * 2, 8.0)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    scale = width / INPUT_SIZE[0]
    return np.array([[scale, 0.0, cx - width / 2], [0.0, scale, cy - width / 4]], dtype=np.float64)


def apply_affine(matrix: npt.NDArray[np.float64], points: npt.NDArray[np.floating[Any]]) -> npt.NDArray[np.float64]:
    """``points`` (N x 2) mapped by a 2x3 affine ``matrix``."""
    return np.asarray(points @ matrix[:, :2].T + matrix[:, 2], dtype=np.float64)


def photo_corners(output: npt.NDArray[np.floating[Any]], matrix: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """The model's 8 outputs (fractions of the window) as 4 x 2 corners in the photo ``matrix`` cut from."""
    return apply_affine(matrix, output.reshape(4, 2).astype(np.float64) * INPUT_SIZE)


def cut_window(image: npt.NDArray[np.uint8], matrix: npt.NDArray[np.float64]) -> npt.NDArray[np.uint8]:
    """The window ``matrix`` describes, resampled to ``INPUT_SIZE`` (RGB)."""
    return np.asarray(
        cv2.warpAffine(image, matrix, INPUT_SIZE, flags=cv2.INTER_AREA | cv2.WARP_INVERSE_MAP,
                       borderMode=cv2.BORDER_CONSTANT, borderValue=(FILL, FILL, FILL)),
        dtype=np.uint8,
    )  # fmt: skip


def to_tensor(windows: list[npt.NDArray[np.uint8]]) -> npt.NDArray[np.float32]:
    """A batch (N, 3, H, W) in [0, 1], as the model was trained."""
    return np.stack(windows).transpose(0, 3, 1, 2).astype(np.float32) / 255.0


def _convex(quad: npt.NDArray[np.float64]) -> bool:
    # Every turn the same way round: a plate seen from any camera stays a convex quadrilateral.
    edges = np.roll(quad, -1, axis=0) - quad
    turns = edges[:, 0] * np.roll(edges, -1, axis=0)[:, 1] - edges[:, 1] * np.roll(edges, -1, axis=0)[:, 0]
    return bool(np.all(turns > 0) or np.all(turns < 0))


@dataclass(frozen=True, slots=True)
class PlateQuad:
    corners: Quad

    @property
    def box(self) -> Box:
        xs, ys = [x for x, _ in self.corners], [y for _, y in self.corners]
        return min(xs), min(ys), max(xs), max(ys)

    @property
    def aspect(self) -> float:
        return plate_aspect(self.corners)


class CornerLocator:
    def __init__(self, model: Path = MODEL, threads: int = 1) -> None:
        self._session = cpu_session(model, threads)
        self._input = self._session.get_inputs()[0].name

    def locate(self, image: npt.NDArray[np.uint8], box: Box) -> PlateQuad | None:
        """The plate's corners in photo pixels, or None when the model's answer is not a plausible plate.

        Two passes: the second window is cut around the first corners, so what the model sees no longer
        depends on how a detector draws its boxes (tighter or looser than the plate's edge).
        """
        first = self._once(image, box)
        return (self._once(image, first.box) or first) if first is not None else None

    def _once(self, image: npt.NDArray[np.uint8], box: Box) -> PlateQuad | None:
        matrix = window_matrix(box)
        (out,) = self._session.run(None, {self._input: to_tensor([cut_window(image, matrix)])})
        quad = photo_corners(out[0], matrix)
        if not _convex(quad):
            return None
        found = PlateQuad(tuple((float(x), float(y)) for x, y in quad))  # type: ignore[arg-type]
        # A plate is between 1.5:1 (double row, tilted) and 6:1 (single row seen at a slant); outside that
        # the window held no plate the model could see.
        return found if 1.5 <= found.aspect <= 6.0 else None
