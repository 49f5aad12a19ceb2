"""Plate crops as the recognizers see them: cut, rectified, grey, height 32, width padded to 128.

The padding repeats the last pixel column, as easyocr's ``NormalizePAD`` does: a recognizer trained with
another padding reads well in its own validation and badly through easyocr.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import cv2
import numpy as np
import numpy.typing as npt

HEIGHT = 32
WIDTH = 128
# Single-row plates are 440x140 mm (3.1:1); double-row 440x220 (2:1). Below this a crop is read as two rows.
DOUBLE_ROW_ASPECT = 2.4
# The upper row of a double-row plate takes about 35% of its height (GA 36: 60 of 220 mm plus margins).
_UPPER_ROW = 0.38

# Rectified plates at the recognizers' scale (rapidocr reads lines 48 px high), in the standard's shapes:
# single-row 440x140 mm, double-row 440x220 (GA 36). The corners are the plate's edge; a thin margin is kept.
SINGLE_ROW_SIZE = (150, 48)
DOUBLE_ROW_SIZE = (144, 72)
RECTIFY_MARGIN = 0.03

Image = npt.NDArray[np.uint8]
Box = tuple[float, float, float, float]
Point = tuple[float, float]


def box_iou(a: Sequence[float], b: Sequence[float]) -> float:
    """Intersection over union of two boxes (x0, y0, x1, y1)."""
    x0, y0, x1, y1 = max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])
    inter = max(0.0, x1 - x0) * max(0.0, y1 - y0)
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def crop_box(image: Image, box: Box, margin: float = 0.0) -> Image:
    """Cut an axis-aligned box (x0, y0, x1, y1), grown by ``margin`` of its size, clipped to the image."""
    x0, y0, x1, y1 = box
    mx, my = (x1 - x0) * margin, (y1 - y0) * margin
    h, w = image.shape[:2]
    left, top = max(0, math.floor(x0 - mx)), max(0, math.floor(y0 - my))
    right, bottom = min(w, math.ceil(x1 + mx)), min(h, math.ceil(y1 + my))
    if right - left < 2 or bottom - top < 2:
        raise ValueError(f"box {box} is empty inside a {w}x{h} image")
    return image[top:bottom, left:right]


def rectify(image: Image, corners: Sequence[tuple[float, float]], size: tuple[int, int] = (140, 44)) -> Image:
    """Warp the quadrilateral (top-left, top-right, bottom-right, bottom-left) to a ``size`` rectangle."""
    w, h = size
    src = np.array(corners, dtype=np.float32)
    dst = np.array([(0, 0), (w - 1, 0), (w - 1, h - 1), (0, h - 1)], dtype=np.float32)
    return np.asarray(cv2.warpPerspective(image, cv2.getPerspectiveTransform(src, dst), (w, h)), dtype=np.uint8)


def plate_aspect(corners: Sequence[Point]) -> float:
    """Width over height of a plate seen at ``corners`` (top-left, top-right, bottom-right, bottom-left)."""
    tl, tr, br, bl = (np.asarray(p, dtype=np.float64) for p in corners)
    width = float(np.linalg.norm(tr - tl) + np.linalg.norm(br - bl)) / 2
    height = float(np.linalg.norm(bl - tl) + np.linalg.norm(br - tr)) / 2
    return width / max(height, 1e-6)


def rectify_plate(image: Image, corners: Sequence[Point], margin: float = RECTIFY_MARGIN) -> Image:
    """The plate warped flat to its standard shape, grown by ``margin`` of its size on each side."""
    size = SINGLE_ROW_SIZE if plate_aspect(corners) >= DOUBLE_ROW_ASPECT else DOUBLE_ROW_SIZE
    tl, tr, br, bl = (np.asarray(p, dtype=np.float64) for p in corners)
    across, down = ((tr - tl) + (br - bl)) / 2 * margin, ((bl - tl) + (br - tr)) / 2 * margin
    grown = [tl - across - down, tr + across - down, br + across + down, bl - across + down]
    return rectify(image, [(float(x), float(y)) for x, y in grown], size)


def grey(image: Image) -> Image:
    if image.ndim == 2:
        return image
    return np.asarray(cv2.cvtColor(image, cv2.COLOR_RGB2GRAY), dtype=np.uint8)


def one_row(image: Image) -> Image:
    """A double-row plate laid out as one row (upper row then lower row); single-row crops unchanged."""
    h, w = image.shape[:2]
    if w / h >= DOUBLE_ROW_ASPECT:
        return image
    cut = round(h * _UPPER_ROW)
    upper, lower = image[:cut], image[cut:]
    # The upper row holds only province and letter: squeeze it to the lower row's height, half its width.
    upper = np.asarray(cv2.resize(upper, (max(1, w // 2), lower.shape[0]), interpolation=cv2.INTER_AREA), np.uint8)
    return np.ascontiguousarray(np.concatenate([upper, lower], axis=1))


def to_line(image: Image) -> Image:
    """Grey, height ``HEIGHT``, aspect kept up to ``WIDTH``, then padded by repeating the last column."""
    g = grey(one_row(image))
    h, w = g.shape
    new_w = min(WIDTH, max(1, math.ceil(HEIGHT * w / h)))
    line = np.asarray(cv2.resize(g, (new_w, HEIGHT), interpolation=cv2.INTER_CUBIC), dtype=np.uint8)
    if new_w < WIDTH:
        line = np.concatenate([line, np.repeat(line[:, -1:], WIDTH - new_w, axis=1)], axis=1)
    return np.asarray(line, dtype=np.uint8)


def normalise(lines: Sequence[Image]) -> npt.NDArray[np.float32]:
    """A batch (N, 1, HEIGHT, WIDTH) scaled to [-1, 1] like easyocr's ``(x/255 - 0.5)/0.5``."""
    batch = np.stack(lines).astype(np.float32)[:, None] / 255.0
    return (batch - 0.5) / 0.5
