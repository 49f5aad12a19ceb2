"""From a lane photo to engine readings: detect the plate, crop it, read it with every engine."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import cv2
import numpy as np
import numpy.typing as npt

from parking.plates import InvalidPlate, normalize_plate
from workers.recognition.corners import CornerLocator, PlateQuad
from workers.recognition.crops import crop_box, rectify_plate
from workers.recognition.detector import Detection, PlateDetector
from workers.recognition.engines import EngineReading, get_engine

ENGINES = ("rapidocr", "plate-crnn")
# When plate-corners finds no plausible plate, the engines read the detector's box as cut; boxes are tight and
# the recognizers were trained on boxes grown a little.
CROP_MARGIN = 0.04
# On such a box, engines that also read it grown by these margins and keep their best reading (a plate before text that
# is not one, then the surest): a reading is only as good as the box, and plate-crnn costs a few ms a crop.
# Chosen among 0, 4, 8, 12 and 18% (docs/recognition.md): exact plates 399 -> 401 of 409 training photos.
EXTRA_MARGINS: dict[str, tuple[float, ...]] = {"plate-crnn": (0.0, 0.08)}


class UnreadableImage(ValueError):
    """Bytes that are not a picture OpenCV can decode."""


@dataclass
class PlateRead:
    detection: Detection | None
    crop: npt.NDArray[np.uint8] | None
    readings: dict[str, EngineReading] = field(default_factory=dict)
    timings_ms: dict[str, float] = field(default_factory=dict)
    corners: PlateQuad | None = None


def _preference(reading: EngineReading) -> tuple[bool, float]:
    try:
        normalize_plate(reading.text)
    except InvalidPlate:
        return False, reading.confidence
    return True, reading.confidence


def decode(data: bytes) -> npt.NDArray[np.uint8]:
    image = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise UnreadableImage("not a decodable image")
    return np.asarray(cv2.cvtColor(image, cv2.COLOR_BGR2RGB), dtype=np.uint8)


class Recogniser:
    def __init__(
        self,
        detector: PlateDetector | None = None,
        engines: Sequence[str] = ENGINES,
        corners: CornerLocator | None = None,
        rectify: bool = True,
    ) -> None:
        self.detector = detector or PlateDetector()
        self.engines = [get_engine(name) for name in engines]
        # Without rectification the engines read the detector's box as cut (the bench compares both).
        self.corners = (corners or CornerLocator()) if rectify else None

    def read_image(self, image: npt.NDArray[np.uint8]) -> PlateRead:
        started = time.perf_counter()
        plate = self.detector.find_plate(image)
        timings = {"detect": (time.perf_counter() - started) * 1000}
        if plate is None:
            return PlateRead(None, None, {}, timings)
        quad = None
        if self.corners is not None:
            t = time.perf_counter()
            quad = self.corners.locate(image, plate.box)
            timings["corners"] = (time.perf_counter() - t) * 1000
        if quad is not None:
            crop = rectify_plate(image, quad.corners)
        else:
            crop = np.ascontiguousarray(crop_box(image, plate.box, CROP_MARGIN))
        readings = {}
        for engine in self.engines:
            t = time.perf_counter()
            reading = engine.read(crop)
            for margin in () if quad is not None else EXTRA_MARGINS.get(engine.name, ()):
                other = engine.read(np.ascontiguousarray(crop_box(image, plate.box, margin)))
                reading = max(reading, other, key=_preference)
            readings[engine.name] = reading
            timings[engine.name] = (time.perf_counter() - t) * 1000
        return PlateRead(plate, crop, readings, timings, quad)

    def read_bytes(self, data: bytes) -> PlateRead:
        return self.read_image(decode(data))
