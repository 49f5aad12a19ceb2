"""`python -m bench recognition` on a folder with a labels.tsv: the JSON line's figures, and rows it cannot use."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

pytest.importorskip("onnxruntime")

from bench import recognition
from bench._recognition_tally import Tally
from tests.recognition.fakes import FakeDetector, GreyEngine, NoDetector, patches
from tests.recognition.scenes import photo
from workers.recognition.labelled import LabelsUnusable, Problem, clockwise_from_top_left, load, read_labels
from workers.recognition.pipeline import Recogniser

BOX = (20.0, 20.0, 180.0, 80.0)
# Grey level of each picture -> what both fake engines read there (plate-crnn misses the yellow plate).
RAPIDOCR = {10: "皖A12345", 20: "粤B12345", 30: "粤BD12346", 40: "京A22222"}
CRNN = {10: "皖A12345", 20: "粤B1234", 30: "粤BD12346", 40: "京A22222"}
LABELS = """file\tplate\tkind\tbbox
a.png\t皖A12345\tblue\t20,20,180,80
b.png\t粤B12345\tyellow\t0,0,10,10
c.png\t粤BD12345\tgreen\t
d.png\t京A11111\tblue\t20,20,180,80
d.png\t京A22222\tblue\t150,85,190,95
short.png\t皖A1234\tblue\t
gone.png\t皖A54321\tblue\t
broken.png\t皖A54321\tblue\t
"""


def _folder(tmp_path: Path) -> Path:
    for name, level in {"a": 10, "b": 20, "c": 30, "d": 40, "short": 10}.items():
        Image.fromarray(patches((200, 100), {(0, 0, 200, 100): level})).save(tmp_path / f"{name}.png")
    (tmp_path / "broken.png").write_bytes(b"not a picture")
    (tmp_path / "labels.tsv").write_text(LABELS, encoding="utf-8")
    return tmp_path


def _engines() -> list[GreyEngine]:
    return [GreyEngine("rapidocr", RAPIDOCR), GreyEngine("plate-crnn", CRNN)]


def test_labels_with_a_bad_plate_or_a_missing_file_are_reported_not_read(tmp_path: Path) -> None:
    samples, problems = load(_folder(tmp_path))

    assert [s.path.name for s in samples] == ["a.png", "b.png", "broken.png", "c.png", "d.png"]
    assert problems == [
        Problem("labels.tsv:7", "short.png: invalid plate '皖A1234': too short"),
        Problem("labels.tsv:8", "gone.png: missing file"),
    ]
    two = samples[-1]
    # Two plates in one photo: the camera reads the bigger box's; either is a right reading.
    assert (two.plate, two.plates, two.boxes) == (
        "京A11111", frozenset({"京A11111", "京A22222"}), (BOX, (150.0, 85.0, 190.0, 95.0)),
    )  # fmt: skip
    assert samples[3].boxes == ()


def test_a_labels_file_without_a_plate_column_is_refused(tmp_path: Path) -> None:
    (tmp_path / "labels.tsv").write_text("file\ttext\na.png\t皖A12345\n", encoding="utf-8")
    with pytest.raises(LabelsUnusable, match="file and plate"):
        read_labels(tmp_path / "labels.tsv")


def test_scenes_give_recall_accuracy_to_person_and_groups(tmp_path: Path) -> None:
    samples, problems = load(_folder(tmp_path))
    recogniser = Recogniser(FakeDetector([BOX]), engines=_engines(), rectify=False)

    result = recognition.run(samples, 0.0, recogniser=recogniser, problems=problems)

    assert problems[-1] == Problem("broken.png", "not a picture OpenCV can decode")
    figures = {k: v for k, v in result.items() if k not in {"p50_ms", "p99_ms"}}
    assert figures == {
        "bench": "recognition",
        "input": "scenes",
        "n": 4,
        "detection_recall": 0.6667,  # a and d found; b's label is elsewhere; c has no box
        "engines": {"rapidocr": 0.75, "plate-crnn": 0.5},
        "camera_error": 0.0,
        # b: plate-crnn's reading is not a plate; d: the engines read the other car's plate, which the
        # camera's reading is too far from to be overruled; c: the engines agree on a plate one character
        # off the camera's right reading, and overrule it: accepted and wrong (one of the two accepted).
        "to_person": 0.5,
        "wrong_accepted": 0.5,
        "later_candidate": 0,
        "by_kind": {
            "new_energy_small": {"n": 1, "engines": {"rapidocr": 0.0, "plate-crnn": 0.0}, "to_person": 0.0,
                                 "wrong_accepted": 1.0},
            "ordinary": {"n": 3, "engines": {"rapidocr": 1.0, "plate-crnn": 0.6667}, "to_person": 0.6667,
                         "wrong_accepted": 0.0},
        },
        "by_province_group": {
            "other": {"n": 3, "engines": {"rapidocr": 0.6667, "plate-crnn": 0.3333}, "to_person": 0.6667,
                      "wrong_accepted": 1.0},
            "皖": {"n": 1, "engines": {"rapidocr": 1.0, "plate-crnn": 1.0}, "to_person": 0.0, "wrong_accepted": 0.0},
        },
        "by_label_kind": {
            "blue": {"n": 2, "engines": {"rapidocr": 1.0, "plate-crnn": 1.0}, "to_person": 0.5, "wrong_accepted": 0.0},
            "green": {"n": 1, "engines": {"rapidocr": 0.0, "plate-crnn": 0.0}, "to_person": 0.0,
                      "wrong_accepted": 1.0},
            "yellow": {"n": 1, "engines": {"rapidocr": 1.0, "plate-crnn": 0.0}, "to_person": 1.0,
                       "wrong_accepted": 0.0},
        },
        "skipped": 3,
    }  # fmt: skip
    assert isinstance(result["p99_ms"], float)


def test_crops_are_read_without_the_detector(tmp_path: Path) -> None:
    samples, problems = load(_folder(tmp_path))
    recogniser = Recogniser(NoDetector(), engines=_engines(), rectify=False)

    result = recognition.run(samples, 0.0, recogniser=recogniser, crops=True, problems=problems)

    assert (result["input"], result["n"], result["detection_recall"]) == ("crops", 4, None)
    assert result["engines"] == {"rapidocr": 0.75, "plate-crnn": 0.5}
    assert (result["to_person"], result["wrong_accepted"]) == (0.5, 0.5)  # as the scenes: c overruled, wrong


def test_an_accepted_wrong_plate_counts_as_wrong_accepted() -> None:
    tally = Tally(["rapidocr"])
    tally.add({"rapidocr": False}, "皖A99999", frozenset({"皖A12345"}))
    tally.add({"rapidocr": True}, "皖A12345", frozenset({"皖A12345"}))
    tally.add({"rapidocr": True}, None, frozenset({"皖A12345"}))

    assert tally.summary() == {"n": 3, "engines": {"rapidocr": 0.6667}, "to_person": 0.3333, "wrong_accepted": 0.5}


def test_the_command_prints_one_json_line_and_lists_what_it_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The committed models on two synthetic lane photos, through the command line.
    rows = ["file\tplate\tbbox"]
    for seed in (0, 1):
        shot = photo(seed)
        (tmp_path / f"scene{seed}.jpg").write_bytes(shot.jpeg)
        rows.append(f"scene{seed}.jpg\t{shot.plate}\t{','.join(str(v) for v in shot.bbox)}")
    rows.append("gone.jpg\t皖A12345\t")
    (tmp_path / "labels.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")

    recognition.main([str(tmp_path), "--camera-error", "0"])

    out, err = capsys.readouterr()
    (line,) = out.splitlines()
    result = json.loads(line)
    assert (result["n"], result["skipped"], result["input"]) == (2, 1, "scenes")
    assert set(result) >= {"detection_recall", "engines", "to_person", "wrong_accepted", "p50_ms", "p99_ms",
                           "by_kind", "by_province_group"}  # fmt: skip
    assert set(result["engines"]) == {"rapidocr", "plate-crnn"}
    assert sum(g["n"] for g in result["by_province_group"].values()) == 2
    assert err == "skipped labels.tsv:4: gone.jpg: missing file\n"


def test_the_split_divides_a_labelled_folder_by_plate_text(tmp_path: Path) -> None:
    # Forty photos of twenty plates, each plate photographed twice under two unrelated names, one photo of
    # two plates: a split by file name would put most plates on both sides.
    plates = [f"粤B{n:05d}" for n in range(20)]
    rows = [f"{i}-{j}.png\t{plate}\t\t" for i, plate in enumerate(plates) for j in (0, 1)]
    rows.append(f"pair.png\t{plates[0]}\t\t\npair.png\t{plates[1]}\t\t")
    for row in rows:
        for line in row.splitlines():
            Image.new("L", (8, 8)).save(tmp_path / line.split("\t")[0])
    (tmp_path / "labels.tsv").write_text("file\tplate\tkind\tbbox\n" + "\n".join(rows) + "\n", encoding="utf-8")
    samples, problems = load(tmp_path)
    val, train = recognition.select(samples, "val"), recognition.select(samples, "train")

    assert problems == []
    assert sorted(s.path.name for s in val + train) == sorted(s.path.name for s in samples)
    assert val
    assert train
    assert not {p for s in val for p in s.plates} & {p for s in train for p in s.plates}
    assert [s.path.name for s in val] == [s.path.name for s in recognition.select(samples, "val")]


def test_corners_in_the_labels_are_kept_for_training(tmp_path: Path) -> None:
    Image.new("L", (64, 64)).save(tmp_path / "a.png")
    (tmp_path / "labels.tsv").write_text(
        "filename\tplate\tkind\tbbox_or_corners\n"
        "a.png\t粤B12345\tblue_single\tbbox=1,2,40,20|corners=1,3;40,2;40,19;1,20\n"
        "a.png\t粤B12346\tblue_single\tbbox=1,30,40,50|corners=1,30;40\n",
        encoding="utf-8",
    )
    samples, problems = load(tmp_path)

    assert [s.quads for s in samples] == [(("粤B12345", ((1.0, 3.0), (40.0, 2.0), (40.0, 19.0), (1.0, 20.0))),)]
    assert [p.where for p in problems] == ["labels.tsv:3"]
    assert "corners need four x,y points" in problems[0].problem


@given(
    st.permutations(range(4)),
    st.floats(min_value=-40, max_value=40),
    st.floats(min_value=2.0, max_value=4.0),
    st.floats(min_value=20, max_value=400),
)
def test_corners_come_back_clockwise_from_the_top_left_in_any_order(
    order: list[int], degrees: float, aspect: float, width: float
) -> None:
    # A plate turned by less than 45°, its corners listed in any order (plates-easypr's rotated rectangles
    # start at the bottom-left).
    turn = math.radians(degrees)
    h = width / aspect
    flat = [(-width / 2, -h / 2), (width / 2, -h / 2), (width / 2, h / 2), (-width / 2, h / 2)]
    plate = [
        (500 + x * math.cos(turn) - y * math.sin(turn), 500 + x * math.sin(turn) + y * math.cos(turn)) for x, y in flat
    ]

    assert clockwise_from_top_left([plate[i] for i in order]) == tuple(plate)
