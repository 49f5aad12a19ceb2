"""Training lines for plate-crnn: jittered crops of real plates and synthetic plates of every style.

Real plates come from CCPD's names and from labelled folders with corners (``workers.recognition.labelled``).
Synthetic plates are warped onto the corners of real plates, so they carry real light, blur and surroundings;
the detector's boxes are loose, so every crop's box is jittered the way a detection is.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image

from workers.recognition.ccpd import CcpdLabel
from workers.recognition.crops import DOUBLE_ROW_ASPECT, RECTIFY_MARGIN, crop_box, rectify_plate, to_line
from workers.recognition.labelled import Sample as LabelledPhoto
from workers.recognition.pipeline import UnreadableImage, decode
from workers.recognition.synth import PlateStyle, augment, random_plate, render_plate

Line = npt.NDArray[np.uint8]
# The share of training crops rectified from (jittered) corners; the rest are detector-like boxes.
RECTIFIED_SHARE = 0.7


@dataclass
class Sample:
    line: Line
    plate: str


Corners = tuple[tuple[float, float], ...]


# Plates at least this wide (pixels) are decoded at half size (JPEG DCT scaling, several times faster): a plate
# line is only 32 pixels high. Narrower ones (phone photos of distant cars) keep every pixel they have.
_HALVE_FROM = 200


def labelled_plates(photos: list[LabelledPhoto]) -> list[CcpdLabel]:
    """Every plate of labelled photos that has corners, as the label type the generators take.

    Photos OpenCV cannot decode (a damaged JPEG) are left out with a line on stderr.
    """
    plates = []
    for photo in photos:
        try:
            decode(photo.path.read_bytes(), cv2.IMREAD_REDUCED_COLOR_8)  # an eighth of the size: only a check
        except UnreadableImage:
            print(f"skipped {photo.path.name}: not a picture OpenCV can decode", file=sys.stderr)
            continue
        for plate, corners in photo.quads:
            xs, ys = [x for x, _ in corners], [y for _, y in corners]
            box = (int(min(xs)), int(min(ys)), int(max(xs)) + 1, int(max(ys)) + 1)
            plates.append(CcpdLabel(photo.path, plate, box, corners))
    return plates


def _load(label: CcpdLabel, flags: int = cv2.IMREAD_COLOR) -> npt.NDArray[np.uint8]:
    # From bytes: labelled folders name files in Chinese, which cv2.imread does not open everywhere.
    return decode(label.path.read_bytes(), flags)


def _patch(label: CcpdLabel) -> tuple[npt.NDArray[np.uint8], Corners]:
    """The plate's neighbourhood (room for jitter and a double-row plate above) and its corners there."""
    f = 2 if label.bbox[2] - label.bbox[0] >= _HALVE_FROM else 1
    image = _load(label, cv2.IMREAD_REDUCED_COLOR_2 if f == 2 else cv2.IMREAD_COLOR)
    x0, y0, x1, y1 = (v // f for v in label.bbox)
    w, h = x1 - x0, y1 - y0
    left, top = max(0, x0 - w // 2), max(0, y0 - 2 * h)
    right, bottom = min(image.shape[1], x1 + w // 2), min(image.shape[0], y1 + h)
    corners = tuple((x / f - left, y / f - top) for x, y in label.corners)
    return np.ascontiguousarray(image[top:bottom, left:right]), corners


def _jittered_box(corners: Corners, rng: np.random.Generator) -> tuple[float, ...]:
    """The plate's box with each side moved the way the detector's sides scatter, plus the crop margin.

    Measured on the training split: the detector's sides are unbiased with a spread of 4-5% of the width
    (left, right) and 7-9% of the height (top, bottom); the pipeline then grows the box by 4%.
    """
    xs, ys = [x for x, _ in corners], [y for _, y in corners]
    x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)
    w, h = x1 - x0, y1 - y0
    jx = np.clip(rng.normal(0.04, 0.055, size=2), -0.12, 0.25) * w
    jy = np.clip(rng.normal(0.04, 0.095, size=2), -0.2, 0.35) * h
    return x0 - jx[0], y0 - jy[0], x1 + jx[1], y1 + jy[1]


def _photometric(crop: npt.NDArray[np.uint8], rng: np.random.Generator) -> npt.NDArray[np.uint8]:
    image = Image.fromarray(crop)
    # Small plates far from the camera: shrink and grow back so the strokes blur like a real low-res crop.
    if rng.random() < 0.4:
        w, h = image.size
        f = float(rng.uniform(0.35, 0.8))
        image = image.resize((max(8, int(w * f)), max(4, int(h * f)))).resize((w, h))
    out = augment(image, rng) if rng.random() < 0.7 else image
    return np.asarray(out.convert("RGB"), dtype=np.uint8)


def _rectified(image: npt.NDArray[np.uint8], corners: Corners, rng: np.random.Generator) -> npt.NDArray[np.uint8]:
    """Rectified as the pipeline does from plate-corners' output: corners off by 1.5% of the width or so."""
    width = float(np.linalg.norm(np.subtract(corners[1], corners[0])))
    jitter = rng.normal(0, 0.015 * width, size=(4, 2))
    moved = [(x + dx, y + dy) for (x, y), (dx, dy) in zip(corners, jitter, strict=True)]
    return rectify_plate(image, moved, float(np.clip(rng.normal(RECTIFY_MARGIN, 0.015), -0.01, 0.08)))


def _crop(image: npt.NDArray[np.uint8], corners: Corners, rng: np.random.Generator) -> Line:
    # Mostly rectified, as the pipeline reads a plate whose corners were found; the rest cut from a
    # detector-like box, as it reads when they were not.
    if rng.random() < RECTIFIED_SHARE:
        crop = _rectified(image, corners, rng)
    else:
        crop = crop_box(image, _jittered_box(corners, rng))  # type: ignore[arg-type]
    return to_line(_photometric(crop, rng))


def fitted_corners(drawn: Image.Image, corners: Corners) -> Corners:
    """Where a drawn plate goes over a real single-row plate: a double-row plate is twice as tall, upwards."""
    if drawn.width / drawn.height >= DOUBLE_ROW_ASPECT:
        return corners
    (tlx, tly), (trx, try_), (brx, bry), (blx, bly) = corners
    lift_l, lift_r = (bly - tly), (bry - try_)
    return (tlx, tly - lift_l), (trx, try_ - lift_r), (brx, bry), (blx, bly)


def paste_plate(image: npt.NDArray[np.uint8], plate: Image.Image, corners: Corners) -> npt.NDArray[np.uint8]:
    w, h = plate.size
    src = np.array([(0, 0), (w, 0), (w, h), (0, h)], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(src, np.array(corners, dtype=np.float32))
    size = (image.shape[1], image.shape[0])
    warped = cv2.warpPerspective(np.asarray(plate.convert("RGB")), matrix, size, flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.full((h, w), 255, np.uint8), matrix, size) > 127
    out = image.copy()
    out[mask] = warped[mask]
    return out


def real_samples(labels: list[CcpdLabel], per_image: int, rng: np.random.Generator) -> Iterator[Sample]:
    for label in labels:
        image, corners = _patch(label)
        for _ in range(per_image):
            yield Sample(_crop(image, corners, rng), label.plate)


def synthetic_samples(labels: list[CcpdLabel], count: int, rng: np.random.Generator) -> Iterator[Sample]:
    styles = list(PlateStyle)
    cache: dict[int, tuple[npt.NDArray[np.uint8], Corners]] = {}
    for i in range(count):
        style = styles[i % len(styles)]
        plate = random_plate(rng, style)
        drawn = render_plate(plate, style, rng, vary_font=True)
        index = int(rng.integers(len(labels)))
        if index not in cache:
            cache[index] = _patch(labels[index])
        patch, corners = cache[index]
        corners = fitted_corners(drawn, corners)
        scene = paste_plate(patch, drawn, corners)
        yield Sample(_crop(scene, corners, rng), plate)


def validation_samples(labels: list[CcpdLabel]) -> list[Sample]:
    """One crop per held-out image, rectified from its labelled corners, as perfect plate-corners would give."""
    return [Sample(to_line(rectify_plate(_load(label), label.corners)), label.plate) for label in labels]
