"""One interface for plate readers, registered by name so the worker and the bench pick them by config."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from parking.plates import is_valid_plate

Crop = npt.NDArray[np.uint8]  # RGB, height x width x 3, the plate and a little around it

# What survives of an engine's text: CJK characters, capitals and digits (dots, dashes and spaces go).
_KEEP = re.compile(r"[\u4e00-\u9fffA-Z0-9]")


class UnknownEngine(LookupError):
    pass


@dataclass(frozen=True, slots=True)
class EngineReading:
    text: str  # cleaned but not normalised: the vote normalises and rejects what is not a plate
    confidence: float


class Engine(Protocol):
    name: str

    def read(self, crop: Crop) -> EngineReading: ...


def clean(text: str) -> str:
    return "".join(_KEEP.findall(text.upper()))


def preference(reading: EngineReading) -> tuple[bool, float]:
    """The key that picks one of several readings of a plate (other margins, another layout): a valid plate
    first, then the surer one. Nothing read (empty text) is no plate, however sure the engine is of it."""
    return is_valid_plate(reading.text), reading.confidence


_FACTORIES: dict[str, Callable[[], Engine]] = {}
_LOADED: dict[str, Engine] = {}


def register(name: str, factory: Callable[[], Engine]) -> None:
    _FACTORIES[name] = factory


def names() -> list[str]:
    return sorted(_FACTORIES)


def get_engine(name: str) -> Engine:
    """The engine registered as ``name``, loaded once per process (models are slow to open)."""
    if name not in _LOADED:
        try:
            factory = _FACTORIES[name]
        except KeyError:
            raise UnknownEngine(f"no plate engine {name!r}; known: {', '.join(names())}") from None
        _LOADED[name] = factory()
    return _LOADED[name]
