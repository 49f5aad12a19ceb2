"""``plate-crnn``: our CTC plate recognizer (trained in easyocr's format), run from its ONNX export."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from workers.recognition.calibration import calibrated
from workers.recognition.charset import decode_greedy
from workers.recognition.crops import normalise, to_line
from workers.recognition.engines.base import Crop, EngineReading, clean
from workers.recognition.onnx import cpu_session

MODEL = Path(__file__).resolve().parent.parent / "models" / "plate_crnn.onnx"


class PlateCrnnEngine:
    name = "plate-crnn"

    def __init__(self, model: Path = MODEL, threads: int = 1, calibrate: bool = True) -> None:
        self._session = cpu_session(model, threads)
        self._calibrate = calibrate

    def read(self, crop: Crop) -> EngineReading:
        (logits,) = self._session.run(None, {"image": normalise([to_line(crop)])})
        z = logits[0] - logits[0].max(-1, keepdims=True)
        probs = np.exp(z) / np.exp(z).sum(-1, keepdims=True)
        text, confidence = decode_greedy(probs.argmax(-1).tolist(), probs.max(-1).tolist())
        score = calibrated(self.name, confidence) if self._calibrate else confidence
        return EngineReading(clean(text), float(score))
