"""Renders a plate number as a GA 36 plate image: background, border, separator dot, characters."""

from __future__ import annotations

import logging
from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from parking.plates import normalize_plate, plate_kind, separator_index
from workers.recognition.synth.fonts import Face, font_faces, load_font
from workers.recognition.synth.layout import PLATE_SIZES_MM, Geometry, PlateLayout, geometry
from workers.recognition.synth.styles import (
    GREEN_BG,
    GREEN_LIGHT,
    RED,
    RGB,
    SPECS,
    WHITE,
    YELLOW_BG,
    PlateStyle,
    StyleSpec,
)

logger = logging.getLogger(__name__)

_GLYPH_PX = 160
# Stroke thickening drawn from when the font varies (pixels at _GLYPH_PX).
_WEIGHTS = (0, 0, 2, 4, 6)
_BACKGROUNDS: dict[PlateStyle, RGB] = {
    PlateStyle.BLUE: (12, 72, 170),
    PlateStyle.POLICE: WHITE,
    PlateStyle.EMBASSY: (20, 20, 20),
    PlateStyle.CONSULATE: (20, 20, 20),
    PlateStyle.HONG_KONG: (20, 20, 20),
    PlateStyle.MACAO: (20, 20, 20),
}


class PlateStyleMismatch(ValueError):
    """A plate number drawn in a style its kind never has (e.g. an 8-character plate in blue)."""


def pixel_size(style: PlateStyle, scale: float = 1.0) -> tuple[int, int]:
    """Image size of a rendered plate: one pixel per millimetre at scale 1."""
    width, height = PLATE_SIZES_MM[SPECS[style].layout]
    return round(width * scale), round(height * scale)


@lru_cache(maxsize=2048)
def _glyph(ch: str, face: Face | None = None, weight: int = 0) -> Image.Image:
    # The character's ink, cropped tight, as a mask; stretched later to the GA 36 box like the plate font.
    # ``weight`` thickens the strokes by that many pixels (of 160): plate characters are heavier than most faces.
    font = load_font(_GLYPH_PX, face)
    left, top, right, bottom = (int(v) for v in font.getbbox(ch))
    mask = Image.new("L", (right - left + 4 + 2 * weight, bottom - top + 4 + 2 * weight), 0)
    ImageDraw.Draw(mask).text((2 + weight - left, 2 + weight - top), ch, font=font, fill=255)
    if weight:
        mask = mask.filter(ImageFilter.MaxFilter(2 * weight + 1))
    ink = mask.getbbox()
    return mask.crop(ink) if ink else mask


def _jitter(rng: np.random.Generator | None, color: RGB, amount: int = 12) -> RGB:
    if rng is None:
        return color
    shift = rng.integers(-amount, amount + 1, size=3)
    r, g, b = (int(np.clip(c + s, 0, 255)) for c, s in zip(color, shift, strict=True))
    return r, g, b


def _gradient(size: tuple[int, int], top: RGB, bottom: RGB) -> Image.Image:
    width, height = size
    t = np.linspace(0.0, 1.0, height)[:, None, None]
    rows = (1 - t) * np.array(top) + t * np.array(bottom)
    pixels = np.broadcast_to(rows, (height, width, 3)).astype(np.uint8)
    return Image.fromarray(np.ascontiguousarray(pixels), "RGB")


def _background(style: PlateStyle, geo: Geometry, scale: float, rng: np.random.Generator | None) -> Image.Image:
    size = pixel_size(style, scale)
    if style is PlateStyle.GREEN_SMALL:
        # Small new-energy plates fade from near-white at the top to green at the bottom.
        return _gradient(size, _jitter(rng, GREEN_LIGHT, 6), _jitter(rng, GREEN_BG))
    if style is PlateStyle.YELLOW_GREEN_LARGE:
        # Large new-energy plates are yellow behind province and authority letter, green behind the serial.
        image = Image.new("RGB", size, _jitter(rng, GREEN_BG))
        cut = round((geo.chars[1].x1 + geo.chars[2].x0) / 2 * scale)
        image.paste(_jitter(rng, YELLOW_BG), (0, 0, cut, size[1]))
        return image
    return Image.new("RGB", size, _jitter(rng, _BACKGROUNDS.get(style, YELLOW_BG)))


def _draw_char(
    image: Image.Image, ch: str, box: tuple[int, int, int, int], color: RGB, face: Face | None, weight: int
) -> None:
    x0, y0, x1, y1 = box
    mask = _glyph(ch, face, weight).resize((x1 - x0, y1 - y0), Image.Resampling.LANCZOS)
    image.paste(color, (x0, y0, x1, y1), mask)


def _spec_for(text: str, style: PlateStyle) -> StyleSpec:
    spec = SPECS[style]
    kind = plate_kind(text)
    if kind is not spec.kind:
        raise PlateStyleMismatch(f"{text} is a {kind} plate, it cannot be drawn as {style}")
    return spec


def render_plate(
    plate: str,
    style: PlateStyle,
    rng: np.random.Generator | None = None,
    scale: float = 1.0,
    vary_font: bool = False,
) -> Image.Image:
    """Draw ``plate`` as a ``style`` plate, one pixel per millimetre times ``scale``.

    ``rng`` (optional) varies the background shade a little, and with ``vary_font`` draws the characters in
    one of the installed faces (``font_faces``); the same seed gives the same image.
    Raises InvalidPlate for a non-plate and PlateStyleMismatch for a plate of another kind.
    """
    if scale <= 0:
        raise ValueError(f"scale must be positive, got {scale}")
    text = normalize_plate(plate)
    spec = _spec_for(text, style)
    split = separator_index(text) if spec.layout is PlateLayout.SINGLE else 2
    geo = geometry(spec.layout, split)
    image = _background(style, geo, scale, rng)
    faces = font_faces() if vary_font and rng is not None else ()
    face = faces[int(rng.integers(len(faces)))] if faces and rng is not None else None
    weight = int(rng.choice(_WEIGHTS)) if faces and rng is not None else 0
    draw = ImageDraw.Draw(image)
    inset, line = round(3 * scale), max(1, round(2 * scale))
    width, height = image.size
    draw.rounded_rectangle(
        (inset, inset, width - 1 - inset, height - 1 - inset),
        radius=round(8 * scale),
        outline=spec.text,
        width=line,
    )
    if geo.dot is not None:
        draw.ellipse(geo.dot.scaled(scale), fill=spec.text)
    for ch, box in zip(text, geo.chars, strict=True):
        _draw_char(image, ch, box.scaled(scale), RED if ch in spec.red else spec.text, face, weight)
    logger.debug("rendered %s as %s at %dx%d", text, style, width, height)
    return image
