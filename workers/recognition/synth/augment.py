"""Training augmentations for plates: perspective, blur, noise, brightness (Pillow and numpy only)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PIL import Image, ImageEnhance, ImageFilter

Point = tuple[float, float]
Quad = tuple[Point, Point, Point, Point]  # top-left, top-right, bottom-right, bottom-left


def perspective_coefficients(output: Sequence[Point], source: Sequence[Point]) -> tuple[float, ...]:
    """Return PIL's PERSPECTIVE data mapping each ``output`` corner onto the matching ``source`` corner."""
    rows, rhs = [], []
    for (x, y), (u, v) in zip(output, source, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs += [u, v]
    solution = np.linalg.solve(np.array(rows, dtype=float), np.array(rhs, dtype=float))
    return tuple(float(c) for c in solution)


def corners_of(image: Image.Image) -> Quad:
    w, h = image.size
    return (0.0, 0.0), (float(w), 0.0), (float(w), float(h)), (0.0, float(h))


def warp_to(image: Image.Image, quad: Quad, size: tuple[int, int]) -> tuple[Image.Image, Image.Image]:
    """Return ``image`` warped onto ``quad`` of a ``size`` canvas, and the mask of where it landed."""
    coeffs = perspective_coefficients(quad, corners_of(image))
    warped = image.convert("RGB").transform(size, Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BILINEAR)
    solid = Image.new("L", image.size, 255)
    mask = solid.transform(size, Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BILINEAR)
    return warped, mask


def random_perspective(
    image: Image.Image, rng: np.random.Generator, max_shift: float = 0.08
) -> tuple[Image.Image, Quad]:
    """Tilt ``image`` by moving each corner up to ``max_shift`` of its size; return it and where corners went.

    The canvas grows by ``max_shift`` on each side so nothing is cut off; the margin is black.
    """
    w, h = image.size
    mx, my = max_shift * w, max_shift * h
    jitter = rng.uniform(-1.0, 1.0, size=(4, 2)) * (mx, my)
    quad: Quad = tuple(  # type: ignore[assignment]
        (x + mx + float(dx), y + my + float(dy)) for (x, y), (dx, dy) in zip(corners_of(image), jitter, strict=True)
    )
    size = (round(w + 2 * mx), round(h + 2 * my))
    warped, mask = warp_to(image, quad, size)
    canvas = Image.new("RGB", size, (0, 0, 0))
    canvas.paste(warped, (0, 0), mask)
    return canvas, quad


def blur(image: Image.Image, rng: np.random.Generator, max_radius: float = 2.0) -> Image.Image:
    return image.filter(ImageFilter.GaussianBlur(float(rng.uniform(0.0, max_radius))))


def add_noise(image: Image.Image, rng: np.random.Generator, max_sigma: float = 12.0) -> Image.Image:
    pixels = np.asarray(image.convert("RGB"), dtype=float)
    noisy = pixels + rng.normal(0.0, float(rng.uniform(0.0, max_sigma)), size=pixels.shape)
    return Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8), "RGB")


def adjust_brightness(image: Image.Image, rng: np.random.Generator, low: float = 0.5, high: float = 1.5) -> Image.Image:
    return ImageEnhance.Brightness(image).enhance(float(rng.uniform(low, high)))


def augment(image: Image.Image, rng: np.random.Generator) -> Image.Image:
    """Brightness, blur and noise in a fixed order (so a seed always gives the same image); size is kept."""
    return add_noise(blur(adjust_brightness(image, rng), rng), rng)
