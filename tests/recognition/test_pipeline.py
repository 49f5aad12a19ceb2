"""A small end-to-end run on the committed models: synthetic lane photo -> detection -> both engines."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("onnxruntime")
pytest.importorskip("rapidocr_onnxruntime")

from parking.plates import InvalidPlate, normalize_plate
from tests.recognition.scenes import photo
from workers.recognition.crops import box_iou, crop_box
from workers.recognition.detector import MODEL as DETECTOR_MODEL
from workers.recognition.engines import UnknownEngine, get_engine, names
from workers.recognition.engines.base import clean
from workers.recognition.pipeline import ENGINES, Recogniser, UnreadableImage, decode

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
        if result.detection is None or box_iou(result.detection.box, shot.bbox) < 0.5:
            continue
        found += 1
        assert set(result.readings) == set(ENGINES)
        read += any(_normal(r.text) == shot.plate for r in result.readings.values())
    assert found >= 8, f"detected {found} of {len(SEEDS)}"
    assert read >= 6, f"read {read} of {found}"


def test_undecodable_bytes_are_refused(recogniser: Recogniser) -> None:
    with pytest.raises(UnreadableImage):
        recogniser.read_bytes(b"not a picture")


def test_the_closer_look_keeps_boxes_on_the_plate(recogniser: Recogniser) -> None:
    # The refined box is the mean of two looks; it must stay on the plate the first look found.
    detector = recogniser.detector
    for seed in SEEDS:
        shot = photo(seed)
        image = decode(shot.jpeg)
        first = detector.detect(image)
        if not first:
            continue
        refined = detector.refine(image, first[0])
        assert box_iou(refined.box, first[0].box) >= 0.5
        assert refined.score >= first[0].score


def test_a_blank_wall_has_no_plate(recogniser: Recogniser) -> None:
    grey = np.full((480, 640, 3), 128, dtype=np.uint8)
    assert recogniser.detector.find_plate(grey) is None
    assert recogniser.detector.candidates(grey) == []  # sure there is none: "no plate", not a person
    assert recogniser.read_image(grey).detection is None


def test_rapidocr_engine_reads_as_the_rapidocr_wrapper_does() -> None:
    # Our session pads lines to 160 px instead of 320: the text must not change on plate crops.
    from rapidocr_onnxruntime import RapidOCR

    wrapper = RapidOCR(use_det=False, use_cls=False, use_rec=True)
    engine = get_engine("rapidocr")
    agreed = 0
    for seed in SEEDS:
        shot = photo(seed)
        crop = np.ascontiguousarray(crop_box(decode(shot.jpeg), shot.bbox, 0.04))
        result, _ = wrapper(crop[:, :, ::-1].copy(), use_det=False, use_cls=False, use_rec=True)
        agreed += engine.read(crop).text == clean(str(result[0][0]) if result else "")
    assert agreed >= 9, f"{agreed} of {len(SEEDS)} identical"


def test_of_several_crops_a_plate_beats_a_surer_non_plate() -> None:
    from workers.recognition.engines import EngineReading, preference

    dropped = EngineReading("皖A1234", 0.99)  # six characters: not a plate
    nothing = EngineReading("", 0.99)  # nothing read is no plate either (it normalises to 无牌车)
    plate = EngineReading("皖A12345", 0.6)
    surer = EngineReading("皖A12346", 0.7)
    assert max(dropped, plate, key=preference) == plate
    assert max(nothing, plate, key=preference) == plate
    assert max(plate, surer, dropped, nothing, key=preference) == surer


def test_photos_are_read_from_rectified_crops(recogniser: Recogniser) -> None:
    # With corners found, both engines read the plate flattened to its standard shape, not the box.
    rectified = 0
    for seed in SEEDS:
        result = recogniser.read_bytes(photo(seed).jpeg)
        if result.corners is None:
            continue
        rectified += 1
        assert result.crop is not None
        assert result.crop.shape[:2] in {(48, 150), (72, 144)}
    assert rectified >= 8, f"corners found on {rectified} of {len(SEEDS)} photos"


def test_the_committed_models_stay_small() -> None:
    # The budget: every committed model together at most 30 MB.
    folder = DETECTOR_MODEL.parent
    total = sum(path.stat().st_size for path in folder.iterdir() if path.suffix in {".onnx", ".pth", ".pt"})
    assert 0 < total <= 30 * 1024 * 1024, total
