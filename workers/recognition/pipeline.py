"""From a lane photo to engine readings: detect the plate, crop it, read it with every engine."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import cv2
import numpy as np
import numpy.typing as npt

from workers.recognition.crops import crop_box
from workers.recognition.detector import Detection, PlateDetector
from workers.recognition.engines import EngineReading, get_engine

ENGINES = ("rapidocr", "plate-crnn")
# Detector boxes are tight; the recognizers were trained on boxes grown a little.
CROP_MARGIN = 0.04


class UnreadableImage(ValueError):
    """Bytes that are not a picture OpenCV can decode."""


@dataclass
class PlateRead:
    detection: Detection | None
    crop: npt.NDArray[np.uint8] | None
    readings: dict[str, EngineReading] = field(default_factory=dict)
    timings_ms: dict[str, float] = field(default_factory=dict)


def decode(data: bytes) -> npt.NDArray[np.uint8]:
    image = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise UnreadableImage("not a decodable image")
    return np.asarray(cv2.cvtColor(image, cv2.COLOR_BGR2RGB), dtype=np.uint8)


class Recogniser:
    def __init__(self, detector: PlateDetector | None = None, engines: Sequence[str] = ENGINES) -> None:
        self.detector = detector or PlateDetector()
        self.engines = [get_engine(name) for name in engines]

    def read_image(self, image: npt.NDArray[np.uint8]) -> PlateRead:
        started = time.perf_counter()
        plate = self.detector.find_plate(image)
        timings = {"detect": (time.perf_counter() - started) * 1000}
        if plate is None:
            return PlateRead(None, None, {}, timings)
        crop = np.ascontiguousarray(crop_box(image, plate.box, CROP_MARGIN))
        readings = {}
        for engine in self.engines:
            t = time.perf_counter()
            readings[engine.name] = engine.read(crop)
            timings[engine.name] = (time.perf_counter() - t) * 1000
        return PlateRead(plate, crop, readings, timings)

    def read_bytes(self, data: bytes) -> PlateRead:
        return self.read_image(decode(data))
