"""Synthetic lane photos for the recognition tests: a JPEG of a plate on a car, and the plate drawn."""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np

from workers.recognition.synth import PlateStyle, random_plate, render_scene


@dataclass(frozen=True)
class Photo:
    jpeg: bytes
    plate: str
    bbox: tuple[int, int, int, int]
    corners: tuple[tuple[float, float], ...]  # top-left, top-right, bottom-right, bottom-left


def photo(seed: int, style: PlateStyle = PlateStyle.BLUE) -> Photo:
    rng = np.random.default_rng(seed)
    scene = render_scene(random_plate(rng, style), style, rng)
    buffer = io.BytesIO()
    scene.image.save(buffer, format="JPEG", quality=90)
    return Photo(buffer.getvalue(), scene.plate, scene.bbox, tuple(scene.corners))


def misread(plate: str) -> str:
    """The same plate with its last digit changed: what a camera gets wrong."""
    last = plate[-1]
    swapped = str((int(last) + 1) % 10) if last.isdigit() else "1"
    return plate[:-1] + swapped
