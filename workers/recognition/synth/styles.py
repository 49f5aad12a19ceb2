"""Plate styles (kind + colour + layout) and random grammatical plate numbers for each."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from parking.plates import DIGITS, LETTERS, PROVINCES, PlateColor, PlateKind
from workers.recognition.synth.layout import PlateLayout

RGB = tuple[int, int, int]
RED: RGB = (200, 20, 20)
WHITE: RGB = (245, 245, 245)
INK: RGB = (15, 15, 15)
BLUE_BG: RGB = (12, 72, 170)
YELLOW_BG: RGB = (250, 190, 10)
GREEN_BG: RGB = (90, 190, 100)
GREEN_LIGHT: RGB = (235, 250, 235)


class PlateStyle(StrEnum):
    BLUE = "blue"
    YELLOW = "yellow"
    YELLOW_DOUBLE = "yellow_double"
    GREEN_SMALL = "green_small"
    YELLOW_GREEN_LARGE = "yellow_green_large"
    POLICE = "police"
    COACH = "coach"
    TRAILER = "trailer"
    EMBASSY = "embassy"
    CONSULATE = "consulate"
    HONG_KONG = "hong_kong"
    MACAO = "macao"


@dataclass(frozen=True, slots=True)
class StyleSpec:
    kind: PlateKind
    color: PlateColor
    layout: PlateLayout
    text: RGB
    red: str = ""  # characters printed in red on this style


SPECS: dict[PlateStyle, StyleSpec] = {
    PlateStyle.BLUE: StyleSpec(PlateKind.ORDINARY, PlateColor.BLUE, PlateLayout.SINGLE, WHITE),
    PlateStyle.YELLOW: StyleSpec(PlateKind.ORDINARY, PlateColor.YELLOW, PlateLayout.SINGLE, INK),
    PlateStyle.YELLOW_DOUBLE: StyleSpec(PlateKind.ORDINARY, PlateColor.YELLOW, PlateLayout.DOUBLE, INK),
    PlateStyle.GREEN_SMALL: StyleSpec(PlateKind.NEW_ENERGY_SMALL, PlateColor.GREEN, PlateLayout.NEW_ENERGY, INK),
    PlateStyle.YELLOW_GREEN_LARGE: StyleSpec(
        PlateKind.NEW_ENERGY_LARGE, PlateColor.YELLOW_GREEN, PlateLayout.NEW_ENERGY, INK
    ),
    PlateStyle.POLICE: StyleSpec(PlateKind.POLICE, PlateColor.WHITE, PlateLayout.SINGLE, INK, "警"),
    PlateStyle.COACH: StyleSpec(PlateKind.COACH, PlateColor.YELLOW, PlateLayout.SINGLE, INK),
    PlateStyle.TRAILER: StyleSpec(PlateKind.TRAILER, PlateColor.YELLOW, PlateLayout.DOUBLE, INK),
    PlateStyle.EMBASSY: StyleSpec(PlateKind.EMBASSY, PlateColor.BLACK, PlateLayout.SINGLE, WHITE, "使"),
    PlateStyle.CONSULATE: StyleSpec(PlateKind.CONSULATE, PlateColor.BLACK, PlateLayout.SINGLE, WHITE, "领"),
    PlateStyle.HONG_KONG: StyleSpec(PlateKind.HONG_KONG, PlateColor.BLACK, PlateLayout.SINGLE, WHITE),
    PlateStyle.MACAO: StyleSpec(PlateKind.MACAO, PlateColor.BLACK, PlateLayout.SINGLE, WHITE),
}

_SERIAL = LETTERS + DIGITS
# Only D (electric) and F (other) were issued at first; A-K followed when the D/F ranges ran out.
_NEW_ENERGY = "DDDDFFFABCEGHJK"
_SUFFIX = {
    PlateStyle.POLICE: "警",
    PlateStyle.COACH: "学",
    PlateStyle.TRAILER: "挂",
    PlateStyle.CONSULATE: "领",
    PlateStyle.HONG_KONG: "港",
    PlateStyle.MACAO: "澳",
}


def _pick(rng: np.random.Generator, chars: str, n: int = 1) -> str:
    return "".join(chars[i] for i in rng.integers(0, len(chars), size=n))


def _serial(rng: np.random.Generator, n: int) -> str:
    # Serials are mostly digits ("more digits, fewer letters"); at most two letters as GA 36 issues them.
    letters = set(rng.choice(n, size=int(rng.integers(0, 3)), replace=False).tolist())
    return "".join(_pick(rng, LETTERS if i in letters else DIGITS) for i in range(n))


def random_plate(rng: np.random.Generator, style: PlateStyle) -> str:
    """Return a random plate number that is grammatical for ``style`` (checked by ``parking.plates``)."""
    if style is PlateStyle.EMBASSY:
        return "使" + _pick(rng, DIGITS, 6)
    if style in (PlateStyle.HONG_KONG, PlateStyle.MACAO):
        return "粤Z" + _pick(rng, DIGITS, 4) + _SUFFIX[style]
    head = _pick(rng, PROVINCES) + _pick(rng, LETTERS)
    if style is PlateStyle.GREEN_SMALL:
        return head + _pick(rng, _NEW_ENERGY) + _pick(rng, _SERIAL) + _pick(rng, DIGITS, 4)
    if style is PlateStyle.YELLOW_GREEN_LARGE:
        return head + _pick(rng, DIGITS, 5) + _pick(rng, _NEW_ENERGY)
    if style in _SUFFIX:
        return head + _serial(rng, 4) + _SUFFIX[style]
    return head + _serial(rng, 5)
