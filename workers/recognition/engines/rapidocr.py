"""``rapidocr``: the PP-OCRv4 recognizer inside the rapidocr-onnxruntime wheel, run on the plate crop.

Only the wheel's recognition model is used, through our own onnxruntime session: ``RapidOCR()`` opens its
detector and classifier too, uses every core, and pads each line to 320 px whatever its width. A plate crop is
about 3:1, so its line is about 150 px wide: padded to 160 px it reads almost the same (194 against 195 of 200
training crops; padding to a multiple of 32 lost 4, because the model mixes the whole line) in a third of the
time on one thread (see docs/recognition.md).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from workers.recognition.calibration import calibrated
from workers.recognition.crops import DOUBLE_ROW_ASPECT, one_row
from workers.recognition.engines.base import Crop, EngineReading, clean, preference
from workers.recognition.onnx import cpu_session

HEIGHT = 48  # the model's input height (rapidocr's rec_img_shape)
MAX_WIDTH = 320
_STEP = 160  # pad to 160 or 320


def model_path() -> Path:
    import rapidocr_onnxruntime

    return Path(rapidocr_onnxruntime.__file__).resolve().parent / "models" / "ch_PP-OCRv4_rec_infer.onnx"


class RapidOcrEngine:
    name = "rapidocr"

    def __init__(self, model: Path | None = None, threads: int = 1, calibrate: bool = True) -> None:
        self._session = cpu_session(model or model_path(), threads)
        self._calibrate = calibrate
        self._input = self._session.get_inputs()[0].name
        # The alphabet is stored in the model; rapidocr adds the CTC blank first and a space last.
        alphabet = self._session.get_modelmeta().custom_metadata_map["character"].splitlines()
        self._characters = ["", *alphabet, " "]

    def line(self, crop: Crop) -> np.ndarray[Any, np.dtype[np.float32]]:
        """The crop as the model takes it: BGR, height 48, (x/255-0.5)/0.5, zero-padded to 160 or 320."""
        h, w = crop.shape[:2]
        width = min(MAX_WIDTH, max(1, math.ceil(HEIGHT * w / h)))
        resized = cv2.resize(np.ascontiguousarray(crop[:, :, ::-1]), (width, HEIGHT)).astype(np.float32)
        padded = np.zeros((1, 3, HEIGHT, min(MAX_WIDTH, math.ceil(width / _STEP) * _STEP)), dtype=np.float32)
        padded[0, :, :, :width] = (resized.transpose(2, 0, 1) / 255.0 - 0.5) / 0.5
        return padded

    def read(self, crop: Crop) -> EngineReading:
        reading = self._read(crop)
        h, w = crop.shape[:2]
        if w / h < DOUBLE_ROW_ASPECT:
            # Maybe a double-row plate: the model reads one line of text, so also read it laid out as one row
            # (as plate-crnn always does) and keep the better reading. Not always: a single-row plate whose
            # corners came out too tall is split wrongly (2 of 91 CCPD validation plates lost that way).
            reading = max(reading, self._read(one_row(crop)), key=preference)
        score = reading.confidence
        return EngineReading(reading.text, calibrated(self.name, score) if self._calibrate else score)

    def _read(self, crop: Crop) -> EngineReading:
        (probs,) = self._session.run(None, {self._input: self.line(crop)})
        index, best = probs[0].argmax(-1), probs[0].max(-1)
        keep = np.ones(len(index), dtype=bool)
        keep[1:] = index[1:] != index[:-1]
        keep &= index != 0
        if not keep.any():
            return EngineReading("", 0.0)
        text = "".join(self._characters[i] for i in index[keep])
        # rapidocr's score: the mean probability of the kept steps.
        return EngineReading(clean(text), float(best[keep].mean()))
