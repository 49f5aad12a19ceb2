"""From a lane photo to engine readings: detect the plate, crop it, read it with every engine."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import cv2
import numpy as np
import numpy.typing as npt

from parking.plates import is_valid_plate
from workers.recognition.corners import CornerLocator, PlateQuad
from workers.recognition.crops import crop_box, rectify_plate
from workers.recognition.detector import MAX_CANDIDATES, Detection, PlateDetector
from workers.recognition.engines import Engine, EngineReading, get_engine, preference

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
    candidates_read: int = 0  # detector boxes read for the photo (1: only the most confident)


def _is_plate(read: PlateRead) -> bool:
    """Some engine read the crop as a plate: the box is the plate, whatever the vote makes of the readings."""
    return any(is_valid_plate(r.text) for r in read.readings.values())


def decode(data: bytes, flags: int = cv2.IMREAD_COLOR) -> npt.NDArray[np.uint8]:
    """RGB pixels of an encoded picture; ``flags`` a colour ``cv2.IMREAD_*`` (``IMREAD_REDUCED_COLOR_2``: half size)."""
    image = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), flags)
    if image is None:
        raise UnreadableImage("not a decodable image")
    return np.asarray(cv2.cvtColor(image, cv2.COLOR_BGR2RGB), dtype=np.uint8)


class Recogniser:
    def __init__(
        self,
        detector: PlateDetector | None = None,
        engines: Sequence[str | Engine] = ENGINES,
        corners: CornerLocator | None = None,
        rectify: bool = True,
        max_candidates: int = MAX_CANDIDATES,
    ) -> None:
        self.detector = detector or PlateDetector()
        self.engines = [get_engine(e) if isinstance(e, str) else e for e in engines]
        # Without rectification the engines read the detector's box as cut (the bench compares both).
        self.corners = (corners or CornerLocator()) if rectify else None
        self.max_candidates = max_candidates

    def read_image(self, image: npt.NDArray[np.uint8]) -> PlateRead:
        """The first of the detector's candidates that some engine reads as a plate, else the first candidate.

        No detection only when the detector has no candidate at all: a box that reads as no plate is not proof
        that there is none, so the vote sends it to a person instead of confirming "no plate".
        """
        started = time.perf_counter()
        candidates = self.detector.candidates(image, self.max_candidates)
        timings = {"detect": (time.perf_counter() - started) * 1000}
        if not candidates:
            return PlateRead(None, None, {}, timings)
        first = read = self._read_candidate(image, candidates[0], timings)
        tried = 1
        while not _is_plate(read) and tried < len(candidates):
            read = self._read_candidate(image, candidates[tried], timings)
            tried += 1
        kept = read if _is_plate(read) else first
        kept.candidates_read = tried
        return kept

    def _read_candidate(
        self, image: npt.NDArray[np.uint8], candidate: Detection, timings: dict[str, float]
    ) -> PlateRead:
        # ``timings`` adds up over the candidates read: the stages' cost for the whole photo.
        t = time.perf_counter()
        plate = self.detector.refine(image, candidate)
        _add(timings, "detect", t)
        quad = None
        if self.corners is not None:
            t = time.perf_counter()
            quad = self.corners.locate(image, plate.box)
            _add(timings, "corners", t)
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
                reading = max(reading, other, key=preference)
            readings[engine.name] = reading
            _add(timings, engine.name, t)
        return PlateRead(plate, crop, readings, timings, quad)

    def read_crop(self, crop: npt.NDArray[np.uint8]) -> PlateRead:
        """A plate already cut out (a crop data set), no detector: rectified from the corners found in it, as a
        detected plate is, else read as it is."""
        timings: dict[str, float] = {}
        h, w = crop.shape[:2]
        box = (0.0, 0.0, float(w), float(h))
        quad = None
        if self.corners is not None:
            t = time.perf_counter()
            quad = self.corners.locate(crop, box)
            _add(timings, "corners", t)
        line = rectify_plate(crop, quad.corners) if quad is not None else crop
        readings = {}
        for engine in self.engines:
            t = time.perf_counter()
            readings[engine.name] = engine.read(line)
            _add(timings, engine.name, t)
        return PlateRead(Detection(box, 1.0), line, readings, timings, quad, 1)

    def read_bytes(self, data: bytes) -> PlateRead:
        return self.read_image(decode(data))


def _add(timings: dict[str, float], stage: str, started: float) -> None:
    timings[stage] = timings.get(stage, 0.0) + (time.perf_counter() - started) * 1000
