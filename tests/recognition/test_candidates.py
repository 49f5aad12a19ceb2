"""The detector's candidates in turn: a box that reads as no plate sends the pipeline to the next, and boxes
that all read as nothing go to a person, never to "no plate"."""

from __future__ import annotations

import pytest

pytest.importorskip("onnxruntime")

from parking.plates import NO_PLATE, PlateColor
from tests.recognition.fakes import Box, FakeDetector, GreyEngine, patches
from workers.recognition.pipeline import Recogniser
from workers.recognition.review import camera_reading, decide

SIGN: Box = (20.0, 20.0, 140.0, 60.0)
PLATE: Box = (20.0, 120.0, 140.0, 160.0)
BUMPER: Box = (200.0, 120.0, 300.0, 160.0)
# What each painted box shows: a sign's text, a plate, and a plate cut short (not a plate).
TEXTS = {50: "停车场出口", 100: "皖A12345", 150: "皖A123"}


def _recogniser(boxes: list[Box]) -> tuple[Recogniser, FakeDetector, GreyEngine]:
    detector = FakeDetector(boxes)
    rapidocr = GreyEngine("rapidocr", TEXTS)
    engines = [rapidocr, GreyEngine("plate-crnn", TEXTS)]
    return Recogniser(detector, engines=engines, rectify=False), detector, rapidocr


def test_a_first_box_that_is_no_plate_gives_way_to_the_second() -> None:
    recogniser, detector, _ = _recogniser([SIGN, PLATE, BUMPER])

    read = recogniser.read_image(patches((320, 200), {SIGN: 50, PLATE: 100, BUMPER: 150}))

    assert read.detection is not None
    assert read.detection.box == PLATE
    assert read.candidates_read == 2
    assert {name: r.text for name, r in read.readings.items()} == {"rapidocr": "皖A12345", "plate-crnn": "皖A12345"}
    assert detector.refined == [SIGN, PLATE]  # the third box is not looked at
    verdict = decide(camera_reading("皖A12345", 0.9, PlateColor.BLUE), read)
    assert verdict.confirmed_plate == "皖A12345"


def test_a_first_box_that_reads_as_a_plate_is_the_only_one_read() -> None:
    recogniser, detector, rapidocr = _recogniser([PLATE, SIGN, BUMPER])

    read = recogniser.read_image(patches((320, 200), {SIGN: 50, PLATE: 100, BUMPER: 150}))

    assert read.detection is not None
    assert read.detection.box == PLATE
    assert read.candidates_read == 1
    assert detector.refined == [PLATE]
    assert rapidocr.crops == 1


def test_boxes_that_all_read_as_no_plate_go_to_a_person() -> None:
    recogniser, detector, _ = _recogniser([SIGN, BUMPER])

    read = recogniser.read_image(patches((320, 200), {SIGN: 50, BUMPER: 150}))

    # The first (most confident) box is kept for the person, with its readings.
    assert read.detection is not None
    assert read.detection.box == SIGN
    assert read.candidates_read == 2
    assert detector.refined == [SIGN, BUMPER]
    for camera in ("皖A12345", "无牌车"):
        verdict = decide(camera_reading(camera, 0.9, PlateColor.UNKNOWN), read)
        assert verdict.confirmed_plate is None
        assert verdict.reason == "invalid_reading"


def test_boxes_that_read_as_nothing_are_not_a_vehicle_without_a_plate() -> None:
    # Empty text is what "no plate" looks like to the vote; on a box the detector found it only means unread.
    recogniser, _, _ = _recogniser([SIGN, BUMPER])

    read = recogniser.read_image(patches((320, 200), {SIGN: 7, BUMPER: 8}))

    assert read.detection is not None
    assert {r.text for r in read.readings.values()} == {""}
    verdict = decide(camera_reading("无牌车", 0.9, PlateColor.UNKNOWN), read)
    assert verdict.confirmed_plate is None
    assert verdict.reason == "invalid_reading"
    assert [c["plate"] for c in verdict.candidates] == [NO_PLATE]


def test_no_candidate_at_all_is_no_plate_and_confirms_a_camera_that_saw_none() -> None:
    recogniser, _, rapidocr = _recogniser([])

    read = recogniser.read_image(patches((320, 200), {}))

    assert read.detection is None
    assert read.candidates_read == 0
    assert rapidocr.crops == 0
    assert decide(camera_reading("无牌车", 0.9, PlateColor.UNKNOWN), read).confirmed_plate == NO_PLATE
    assert decide(camera_reading("皖A12345", 0.9, PlateColor.UNKNOWN), read).confirmed_plate is None


def test_at_most_max_candidates_are_read() -> None:
    detector = FakeDetector([SIGN, BUMPER, PLATE])
    engines = [GreyEngine("rapidocr", TEXTS), GreyEngine("plate-crnn", TEXTS)]
    recogniser = Recogniser(detector, engines=engines, rectify=False, max_candidates=2)

    read = recogniser.read_image(patches((320, 200), {SIGN: 50, PLATE: 100, BUMPER: 150}))

    assert detector.refined == [SIGN, BUMPER]
    assert read.detection is not None
    assert read.detection.box == SIGN
