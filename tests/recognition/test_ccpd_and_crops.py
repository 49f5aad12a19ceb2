"""CCPD names as labels, the fixed validation split, and crops shaped like easyocr's input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("cv2")

from workers.recognition.ccpd import NotCcpd, is_validation, parse
from workers.recognition.charset import CHARACTERS, decode_greedy
from workers.recognition.crops import HEIGHT, WIDTH, crop_box, normalise, one_row, to_line

NAME = "0241379310345-84_94-315&508_509&625-512&585_330&616_325&535_507&504-0_0_30_11_29_30_31-84-389.jpg"


def test_a_ccpd_name_gives_plate_box_and_corners() -> None:
    label = parse(Path(NAME))
    assert label.plate == "皖A6M567"  # 0_0_30_11_29_30_31: 皖 A 6 M 5 6 7
    assert label.bbox == (315, 508, 509, 625)
    # corners come back as top-left, top-right, bottom-right, bottom-left
    assert label.corners == ((325.0, 535.0), (507.0, 504.0), (512.0, 585.0), (330.0, 616.0))


@pytest.mark.parametrize("name", ["photo.jpg", "a-b-c-d-e-f-g.jpg", NAME.replace("0_0_30", "0_99_30")])
def test_other_names_are_refused(name: str) -> None:
    with pytest.raises(NotCcpd):
        parse(Path(name))


def test_the_split_is_stable_and_about_a_fifth() -> None:
    labels = [parse(Path(NAME.replace("0241379310345", f"{i:013d}"))) for i in range(500)]
    share = sum(is_validation(lb) for lb in labels) / len(labels)
    assert 0.14 < share < 0.26
    assert [is_validation(lb) for lb in labels] == [is_validation(lb) for lb in labels]


def test_lines_are_padded_by_repeating_the_last_column() -> None:
    crop = np.zeros((40, 60, 3), dtype=np.uint8)  # aspect 1.5 -> double-row handling, then narrow
    crop[:, -1] = 200
    line = to_line(crop)
    assert line.shape == (HEIGHT, WIDTH)
    assert (line[:, -1] == line[:, -10]).all()  # padding repeats the last column, not zeros
    batch = normalise([line, line])
    assert batch.shape == (2, 1, HEIGHT, WIDTH)
    assert batch.min() >= -1.0
    assert batch.max() <= 1.0


def test_a_double_row_plate_is_laid_out_as_one_row() -> None:
    single = np.zeros((44, 140, 3), dtype=np.uint8)
    assert one_row(single) is single
    double = np.zeros((110, 220, 3), dtype=np.uint8)
    laid = one_row(double)
    assert laid.shape[1] / laid.shape[0] > 2.4


def test_boxes_are_clipped_and_empty_boxes_refused() -> None:
    image = np.zeros((100, 200, 3), dtype=np.uint8)
    assert crop_box(image, (-10, -10, 50, 40)).shape == (40, 50, 3)
    with pytest.raises(ValueError, match="empty"):
        crop_box(image, (300, 300, 310, 310))


def test_greedy_decoding_collapses_repeats_and_blanks() -> None:
    a, one = CHARACTERS.index("A") + 1, CHARACTERS.index("1") + 1
    text, conf = decode_greedy([a, a, 0, a, one, 0], [0.9, 0.8, 1.0, 0.5, 1.0, 1.0])
    assert text == "AA1"
    assert conf == pytest.approx(0.9 * 0.5 * 1.0)
    assert decode_greedy([0, 0], [1.0, 1.0]) == ("", 0.0)
