"""A detector and engines with known answers, for the pipeline's and the bench's decisions without models.

Pictures are flat grey patches: the fake engines read a crop by the grey level at its centre, so a test says
what each box "shows" by painting it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from workers.recognition.detector import Detection, PlateDetector
from workers.recognition.engines import EngineReading

Box = tuple[float, float, float, float]


class FakeDetector(PlateDetector):
    """Returns the given boxes as candidates, most confident first; the closer look changes nothing."""

    def __init__(self, boxes: Sequence[Box], score: float = 0.9) -> None:  # no model to open
        self.boxes = list(boxes)
        self.score = score
        self.refined: list[Box] = []

    def candidates(self, image: npt.NDArray[np.uint8], limit: int = 3) -> list[Detection]:
        return [Detection(box, self.score) for box in self.boxes[:limit]]

    def refine(self, image: npt.NDArray[np.uint8], first: Detection, window: float = 2.5) -> Detection:
        self.refined.append(first.box)
        return first


class NoDetector(FakeDetector):
    """A detector that must not be asked (plate crops are read without one)."""

    def __init__(self) -> None:
        super().__init__([])

    def candidates(self, image: npt.NDArray[np.uint8], limit: int = 3) -> list[Detection]:
        raise AssertionError("crops are read without the detector")


class GreyEngine:
    """Reads the text painted at the crop's centre grey level; an unknown level reads as nothing."""

    def __init__(self, name: str, texts: Mapping[int, str], confidence: float = 0.9) -> None:
        self.name = name
        self.texts = dict(texts)
        self.confidence = confidence
        self.crops = 0

    def read(self, crop: npt.NDArray[np.uint8]) -> EngineReading:
        self.crops += 1
        h, w = crop.shape[:2]
        level = int(crop[h // 2, w // 2, 0])
        text = self.texts.get(level, "")
        return EngineReading(text, self.confidence if text else 0.0)


def patches(size: tuple[int, int], painted: Mapping[Box, int]) -> npt.NDArray[np.uint8]:
    """A black RGB picture (width, height) with each box painted its grey level."""
    w, h = size
    image = np.zeros((h, w, 3), dtype=np.uint8)
    for (x0, y0, x1, y1), level in painted.items():
        image[int(y0) : int(y1), int(x0) : int(x1)] = level
    return image
