"""``rapidocr``: the PP-OCRv4 recognizer inside the rapidocr-onnxruntime wheel, recognition only, on the crop."""

from __future__ import annotations

from typing import Any

from workers.recognition.engines.base import Crop, EngineReading, clean


class RapidOcrEngine:
    name = "rapidocr"

    def __init__(self) -> None:
        from rapidocr_onnxruntime import RapidOCR

        # Its detector and angle classifier are skipped: our detector already found the plate.
        self._ocr: Any = RapidOCR(use_det=False, use_cls=False, use_rec=True)

    def read(self, crop: Crop) -> EngineReading:
        # rapidocr takes BGR arrays like OpenCV.
        result, _ = self._ocr(crop[:, :, ::-1].copy(), use_det=False, use_cls=False, use_rec=True)
        if not result:
            return EngineReading("", 0.0)
        text, score = result[0][0], result[0][1]
        return EngineReading(clean(str(text)), float(score))
