"""GA 36 plate geometry: plate sizes and character boxes in millimetres."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class PlateLayout(StrEnum):
    SINGLE = "single"  # 440 x 140 mm, 7 characters in one row
    NEW_ENERGY = "new_energy"  # 480 x 140 mm, 8 characters in one row
    DOUBLE = "double"  # 440 x 220 mm, 2 characters over 5 (large vehicles' rear, trailers)


PLATE_SIZES_MM: dict[PlateLayout, tuple[int, int]] = {
    PlateLayout.SINGLE: (440, 140),
    PlateLayout.NEW_ENERGY: (480, 140),
    PlateLayout.DOUBLE: (440, 220),
}


@dataclass(frozen=True, slots=True)
class Box:
    """An axis-aligned box in millimetres from the plate's top-left corner."""

    x0: float
    y0: float
    x1: float
    y1: float

    def scaled(self, scale: float) -> tuple[int, int, int, int]:
        return round(self.x0 * scale), round(self.y0 * scale), round(self.x1 * scale), round(self.y1 * scale)


@dataclass(frozen=True, slots=True)
class Geometry:
    """Where each character goes and where the separator dot is (None: the plate has no dot)."""

    size: tuple[int, int]
    chars: tuple[Box, ...]
    dot: Box | None


def _row(
    x0: float, y0: float, height: float, widths: Sequence[float], gap: float, split: int, split_gap: float
) -> list[Box]:
    boxes, x = [], x0
    for i, width in enumerate(widths):
        if i:
            x += split_gap if i == split else gap
        boxes.append(Box(x, y0, x + width, y0 + height))
        x += width
    return boxes


def _dot(left: Box, right: Box, diameter: float) -> Box:
    cx, cy = (left.x1 + right.x0) / 2, (left.y0 + left.y1) / 2
    r = diameter / 2
    return Box(cx - r, cy - r, cx + r, cy + r)


def geometry(layout: PlateLayout, split: int = 2) -> Geometry:
    """Return the GA 36 character boxes; ``split`` is the index of the first character after the dot."""
    size = PLATE_SIZES_MM[layout]
    if layout is PlateLayout.SINGLE:
        # 45 x 90 mm characters, 12 mm apart, 34 mm around the 10 mm dot: 409 mm centred in 440.
        chars = _row(15.5, 25, 90, [45] * 7, 12, split, 34)
        return Geometry(size, tuple(chars), _dot(chars[split - 1], chars[split], 10))
    if layout is PlateLayout.NEW_ENERGY:
        # Province 45 mm wide, the rest 43 mm, 9 mm apart, 49 mm around the new-energy mark: 449 mm in 480.
        chars = _row(15.5, 25, 90, [45] + [43] * 7, 9, 2, 49)
        return Geometry(size, tuple(chars), None)
    # Double row: 80 x 60 mm on top around the dot, 65 x 110 mm below, 15 mm apart.
    top = [Box(110, 15, 190, 75), Box(250, 15, 330, 75)]
    bottom = _row(27.5, 90, 110, [65] * 5, 15, 0, 15)
    return Geometry(size, (*top, *bottom), _dot(top[0], top[1], 10))
