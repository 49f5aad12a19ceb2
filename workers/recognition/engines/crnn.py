"""``plate-crnn``: our CTC plate recognizer (trained in easyocr's format), run from its ONNX export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from workers.recognition.charset import decode_greedy
from workers.recognition.crops import normalise, to_line
from workers.recognition.engines.base import Crop, EngineReading, clean

MODEL = Path(__file__).resolve().parent.parent / "models" / "plate_crnn.onnx"


class PlateCrnnEngine:
    name = "plate-crnn"

    def __init__(self, model: Path = MODEL, threads: int = 1) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self._session: Any = ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])

    def read(self, crop: Crop) -> EngineReading:
        (logits,) = self._session.run(None, {"image": normalise([to_line(crop)])})
        z = logits[0] - logits[0].max(-1, keepdims=True)
        probs = np.exp(z) / np.exp(z).sum(-1, keepdims=True)
        text, confidence = decode_greedy(probs.argmax(-1).tolist(), probs.max(-1).tolist())
        return EngineReading(clean(text), float(confidence))
