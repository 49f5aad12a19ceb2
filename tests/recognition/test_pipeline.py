"""A small end-to-end run on the committed models: synthetic lane photo -> detection -> both engines."""

from __future__ import annotations

import pytest

pytest.importorskip("onnxruntime")
pytest.importorskip("rapidocr_onnxruntime")

from bench.recognition import iou
from parking.plates import InvalidPlate, normalize_plate
from tests.recognition.scenes import photo
from workers.recognition.engines import UnknownEngine, get_engine, names
from workers.recognition.pipeline import ENGINES, Recogniser, UnreadableImage

SEEDS = range(10)


@pytest.fixture(scope="module")
def recogniser() -> Recogniser:
    return Recogniser()


def _normal(text: str) -> str:
    try:
        return normalize_plate(text)
    except InvalidPlate:
        return ""


def test_engines_are_registered_by_name() -> None:
    assert set(ENGINES) <= set(names())
    with pytest.raises(UnknownEngine, match="no plate engine 'tesseract'"):
        get_engine("tesseract")


def test_synthetic_photos_are_detected_and_read(recogniser: Recogniser) -> None:
    found = read = 0
    for seed in SEEDS:
        shot = photo(seed)
        result = recogniser.read_bytes(shot.jpeg)
        if result.detection is None or iou(result.detection.box, shot.bbox) < 0.5:
            continue
        found += 1
        assert set(result.readings) == set(ENGINES)
        read += any(_normal(r.text) == shot.plate for r in result.readings.values())
    assert found >= 8, f"detected {found} of {len(SEEDS)}"
    assert read >= 6, f"read {read} of {found}"


def test_undecodable_bytes_are_refused(recogniser: Recogniser) -> None:
    with pytest.raises(UnreadableImage):
        recogniser.read_bytes(b"not a picture")
