"""Synthetic lane scenes for detector training: a plate on a simple car front, with its box and corners."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from parking.plates import normalize_plate
from workers.recognition.synth.augment import Quad, warp_to
from workers.recognition.synth.render import render_plate
from workers.recognition.synth.styles import RGB, PlateStyle


@dataclass(frozen=True)
class Scene:
    image: Image.Image
    plate: str
    style: PlateStyle
    bbox: tuple[int, int, int, int]  # x0, y0, x1, y1 in pixels, x1/y1 exclusive
    corners: Quad  # top-left, top-right, bottom-right, bottom-left, as drawn


def _color(rng: np.random.Generator, low: int = 0, high: int = 256) -> RGB:
    r, g, b = (int(c) for c in rng.integers(low, high, size=3))
    return r, g, b


def _backdrop(size: tuple[int, int], rng: np.random.Generator) -> Image.Image:
    # Wall or sky above, road below, joined by a vertical gradient.
    w, h = size
    t = np.linspace(0.0, 1.0, h)[:, None, None]
    rows = (1 - t) * np.array(_color(rng, 90, 230)) + t * np.array(_color(rng, 30, 110))
    return Image.fromarray(np.ascontiguousarray(np.broadcast_to(rows, (h, w, 3)).astype(np.uint8)), "RGB")


def _car(draw: ImageDraw.ImageDraw, box: tuple[float, float, float, float], rng: np.random.Generator) -> None:
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    draw.rounded_rectangle(box, radius=w * 0.08, fill=_color(rng))
    glass = [(x0 + w * 0.15, y0 + h * 0.05), (x1 - w * 0.15, y0 + h * 0.05), (x1 - w * 0.05, y0 + h * 0.4)]
    draw.polygon([*glass, (x0 + w * 0.05, y0 + h * 0.4)], fill=_color(rng, 10, 70))
    for cx in (x0 + w * 0.14, x1 - w * 0.14):
        draw.ellipse((cx - w * 0.08, y0 + h * 0.48, cx + w * 0.08, y0 + h * 0.6), fill=_color(rng, 200, 256))
    draw.rectangle((x0 + w * 0.3, y0 + h * 0.5, x1 - w * 0.3, y0 + h * 0.62), fill=_color(rng, 0, 60))


def _plate_quad(
    center: tuple[float, float], width: float, aspect: float, rng: np.random.Generator, tilt: float
) -> Quad:
    # A rectangle turned by a small angle, each corner nudged so the plate looks seen from off-axis.
    height = width / aspect
    angle = float(rng.uniform(-0.12, 0.12))
    cos, sin = math.cos(angle), math.sin(angle)
    cx, cy = center
    quad = []
    for dx, dy in ((-1, -1), (1, -1), (1, 1), (-1, 1)):
        x, y = dx * width / 2, dy * height / 2
        nx, ny = rng.uniform(-tilt, tilt, size=2) * (width, height)
        quad.append((cx + x * cos - y * sin + float(nx), cy + x * sin + y * cos + float(ny)))
    return quad[0], quad[1], quad[2], quad[3]


def render_scene(
    plate: str,
    style: PlateStyle,
    rng: np.random.Generator,
    size: tuple[int, int] = (640, 480),
    tilt: float = 0.06,
) -> Scene:
    """Paste ``plate`` (drawn as ``style``) on a synthetic car front; the same seed gives the same scene."""
    w, h = size
    image = _backdrop(size, rng)
    car_w = w * float(rng.uniform(0.55, 0.8))
    car_x = float(rng.uniform(0.02 * w, w - car_w - 0.02 * w))
    car_y = h * float(rng.uniform(0.2, 0.35))
    _car(ImageDraw.Draw(image), (car_x, car_y, car_x + car_w, h * 0.97), rng)
    plate_image = render_plate(plate, style, rng)
    aspect = plate_image.width / plate_image.height
    plate_w = car_w * float(rng.uniform(0.28, 0.4))
    center = (car_x + car_w / 2, car_y + (h * 0.97 - car_y) * 0.8)
    quad = _plate_quad(center, plate_w, aspect, rng, tilt)
    warped, mask = warp_to(plate_image, quad, size)
    image.paste(warped, (0, 0), mask)
    xs, ys = [x for x, _ in quad], [y for _, y in quad]
    bbox = (
        max(0, math.floor(min(xs))),
        max(0, math.floor(min(ys))),
        min(w, math.ceil(max(xs))),
        min(h, math.ceil(max(ys))),
    )
    return Scene(image, normalize_plate(plate), style, bbox, quad)
