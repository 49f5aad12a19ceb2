"""Training windows for plate-corners: a detector-like box around a plate, cut as the runtime cuts it.

Each sample takes a scene (a CCPD photo at half size, or one with a synthetic plate of another style pasted on
its plate's corners), turns it a few degrees about the plate, moves each side of the plate's box the way the
detector's sides scatter, cuts the window the runtime would cut around that box and asks for the four corners
in window coordinates. Drawn afresh for every batch, so a run never sees the same window twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from workers.recognition.ccpd import CcpdLabel
from workers.recognition.corners import INPUT_SIZE, apply_affine, cut_window, window_matrix
from workers.recognition.crops import DOUBLE_ROW_ASPECT
from workers.recognition.synth import PlateStyle, random_plate, render_plate
from workers.recognition.training.crnn_data import paste_plate

Corners = npt.NDArray[np.float64]  # 4 x 2: top-left, top-right, bottom-right, bottom-left


@dataclass
class Scene:
    image: npt.NDArray[np.uint8]
    corners: Corners


def load_scene(label: CcpdLabel) -> Scene:
    # Decoded at half size (JPEG DCT scaling): CCPD plates are 250-630 px wide, the window only 128.
    bgr = cv2.imread(str(label.path), cv2.IMREAD_REDUCED_COLOR_2)
    if bgr is None:
        raise OSError(f"cannot read {label.path}")
    image = np.asarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), dtype=np.uint8)
    return Scene(image, np.asarray(label.corners, dtype=np.float64) / 2)


def synthetic_scenes(real: list[Scene], count: int, rng: np.random.Generator) -> Iterator[Scene]:
    """Plates of every style pasted over real plates; a double-row plate rises above the plate it covers."""
    styles = list(PlateStyle)
    for i in range(count):
        style = styles[i % len(styles)]
        drawn = render_plate(random_plate(rng, style), style, rng)
        base = real[int(rng.integers(len(real)))]
        corners = base.corners.copy()
        if drawn.width / drawn.height < DOUBLE_ROW_ASPECT:
            corners[0] -= corners[3] - corners[0]
            corners[1] -= corners[2] - corners[1]
        yield Scene(paste_plate(base.image, drawn, tuple(map(tuple, corners))), corners)


def _invert(matrix: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.asarray(cv2.invertAffineTransform(matrix), dtype=np.float64)


def _compose(outer: npt.NDArray[np.float64], inner: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """The 2x3 affine ``outer`` after ``inner``."""
    full = np.vstack([outer, [0, 0, 1]]) @ np.vstack([inner, [0, 0, 1]])
    return np.asarray(full[:2], dtype=np.float64)


def _photometric(window: npt.NDArray[np.uint8], rng: np.random.Generator) -> npt.NDArray[np.uint8]:
    out = window
    if rng.random() < 0.3:
        out = np.ascontiguousarray(out[:, :, rng.permutation(3)])  # blue plates seen as yellow, green...
    if rng.random() < 0.1:
        out = np.asarray(np.repeat(cv2.cvtColor(out, cv2.COLOR_RGB2GRAY)[:, :, None], 3, axis=2), np.uint8)
    if rng.random() < 0.3:
        f = float(rng.uniform(0.3, 0.8))
        small = cv2.resize(out, (max(8, int(out.shape[1] * f)), max(4, int(out.shape[0] * f))))
        out = np.asarray(cv2.resize(small, (out.shape[1], out.shape[0])), np.uint8)
    if rng.random() < 0.3:
        out = np.asarray(cv2.GaussianBlur(out, (0, 0), float(rng.uniform(0.3, 1.5))), np.uint8)
    pixels = out.astype(np.float32) * float(rng.uniform(0.5, 1.4)) + float(rng.uniform(-30, 30))
    if rng.random() < 0.4:
        pixels += rng.normal(0, float(rng.uniform(2, 10)), size=pixels.shape).astype(np.float32)
    return np.asarray(np.clip(pixels, 0, 255), dtype=np.uint8)


def detector_like_box(corners: Corners, rng: np.random.Generator) -> tuple[float, float, float, float]:
    """The corners' box with each side moved as the detector's sides scatter, and more now and then.

    Measured on the training split: sides unbiased, spread 4-5% of the width and 7-9% of the height; drawn
    here half as wide again, with one box in ten three times as far off, so a bad box still finds its plate.
    """
    x0, y0 = corners.min(axis=0)
    x1, y1 = corners.max(axis=0)
    w, h = x1 - x0, y1 - y0
    spread = 3.0 if rng.random() < 0.1 else 1.0
    jx = np.clip(rng.normal(0, 0.07 * spread, size=2), -0.3, 0.3) * w
    jy = np.clip(rng.normal(0, 0.12 * spread, size=2), -0.4, 0.4) * h
    return x0 + jx[0], y0 + jy[0], x1 + jx[1], y1 + jy[1]


def sample(scene: Scene, rng: np.random.Generator, augment: bool = True) -> tuple[npt.NDArray[np.uint8], Corners]:
    """One window and its corners, scaled to [0, 1] of the window."""
    centre = scene.corners.mean(axis=0)
    angle = float(rng.normal(0, 4)) if augment else 0.0
    turn = np.asarray(cv2.getRotationMatrix2D((float(centre[0]), float(centre[1])), angle, 1.0), np.float64)
    turned = apply_affine(turn, scene.corners)
    window = window_matrix(detector_like_box(turned, rng))  # window pixels -> turned scene
    photo = cut_window(scene.image, _compose(_invert(turn), window))
    target = apply_affine(_invert(window), turned) / INPUT_SIZE
    if augment and rng.random() < 0.5:
        photo = np.ascontiguousarray(photo[:, ::-1])
        target = target[[1, 0, 3, 2]] * (-1, 1) + (1, 0)
    if augment:
        photo = _photometric(photo, rng)
    return photo, target
