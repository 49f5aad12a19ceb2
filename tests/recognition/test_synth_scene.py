from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from workers.recognition.synth import (
    PlateStyle,
    add_noise,
    adjust_brightness,
    augment,
    blur,
    random_perspective,
    random_plate,
    render_scene,
)
from workers.recognition.synth.augment import perspective_coefficients


def _maps(coeffs: tuple[float, ...], x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f, g, h = coeffs
    w = g * x + h * y + 1
    return (a * x + b * y + c) / w, (d * x + e * y + f) / w


def test_perspective_coefficients_map_each_corner_onto_its_source() -> None:
    output = [(10.0, 12.0), (200.0, 5.0), (210.0, 90.0), (5.0, 80.0)]
    source = [(0.0, 0.0), (440.0, 0.0), (440.0, 140.0), (0.0, 140.0)]

    coeffs = perspective_coefficients(output, source)

    assert np.allclose([_maps(coeffs, x, y) for x, y in output], source)


def test_random_perspective_grows_the_canvas_and_reports_the_corners() -> None:
    plate = Image.new("RGB", (440, 140), (12, 72, 170))

    warped, quad = random_perspective(plate, np.random.default_rng(2), max_shift=0.1)

    assert warped.size == (528, 168)
    for x, y in quad:
        assert 0 <= x <= 528
        assert 0 <= y <= 168
    cx = sum(x for x, _ in quad) / 4
    cy = sum(y for _, y in quad) / 4
    assert warped.getpixel((round(cx), round(cy))) == (12, 72, 170)


@pytest.mark.parametrize("step", [blur, add_noise, adjust_brightness, augment])
def test_augmentations_keep_size_and_are_deterministic(step: object) -> None:
    plate = Image.new("RGB", (440, 140), (250, 190, 10))

    first = step(plate, np.random.default_rng(4))  # type: ignore[operator]
    again = step(plate, np.random.default_rng(4))  # type: ignore[operator]

    assert first.size == (440, 140)
    assert first.tobytes() == again.tobytes()


@pytest.mark.parametrize("style", [PlateStyle.BLUE, PlateStyle.GREEN_SMALL, PlateStyle.TRAILER])
def test_scene_reports_box_and_corners_where_the_plate_was_drawn(font: Path, style: PlateStyle) -> None:
    rng = np.random.default_rng(21)
    plate = random_plate(rng, style)

    scene = render_scene(plate, style, rng)

    assert scene.image.size == (640, 480)
    assert scene.plate == plate
    xs = [x for x, _ in scene.corners]
    ys = [y for _, y in scene.corners]
    assert scene.bbox == (
        int(np.floor(min(xs))),
        int(np.floor(min(ys))),
        int(np.ceil(max(xs))),
        int(np.ceil(max(ys))),
    )
    assert 0 <= scene.bbox[0] < scene.bbox[2] <= 640
    assert 0 <= scene.bbox[1] < scene.bbox[3] <= 480


def test_scene_corners_sit_on_the_plate_ground(font: Path) -> None:
    rng = np.random.default_rng(8)
    scene = render_scene("京A12345", PlateStyle.BLUE, rng)
    cx = sum(x for x, _ in scene.corners) / 4
    cy = sum(y for _, y in scene.corners) / 4

    for x, y in scene.corners:
        # A point a seventh of the way in from each corner lies between the border and the characters.
        px, py = x + (cx - x) / 7, y + (cy - y) / 7
        r, g, b = scene.image.getpixel((round(px), round(py)))  # type: ignore[misc]
        assert abs(r - 12) <= 30
        assert abs(g - 72) <= 30
        assert abs(b - 170) <= 30


def test_same_seed_gives_the_same_scene(font: Path) -> None:
    first = render_scene("粤Z1234港", PlateStyle.HONG_KONG, np.random.default_rng(9))
    again = render_scene("粤Z1234港", PlateStyle.HONG_KONG, np.random.default_rng(9))

    assert first.image.tobytes() == again.image.tobytes()
    assert (first.bbox, first.corners) == (again.bbox, again.corners)
