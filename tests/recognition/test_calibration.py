"""Engine confidences mapped to the share of right readings (isotonic fit), and the engines applying the map."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from workers.recognition import calibration
from workers.recognition.calibration import Calibration, fit, reliability, save
from workers.recognition.engines.crnn import PlateCrnnEngine
from workers.recognition.engines.rapidocr import RapidOcrEngine
from workers.recognition.synth import PlateStyle, render_plate


def test_a_fit_is_the_share_right_at_each_score() -> None:
    # Readings at 0.99 were wrong half the time, those at 0.6 always right: the raw order is not the truth,
    # and isotonic regression pools the two into one level rather than inventing an order.
    scores = [0.3, 0.3, 0.6, 0.6, 0.99, 0.99, 0.999, 0.999]
    right = [False, False, True, True, True, False, True, True]

    curve = fit(scores, right)

    assert curve(0.3) == 0.0
    assert curve(0.6) == pytest.approx(0.75)
    assert curve(0.999) == 1.0
    assert curve(0.0) == 0.0
    assert curve(1.0) == 1.0


@given(st.lists(st.tuples(st.floats(0, 1), st.booleans()), min_size=1, max_size=60), st.floats(0, 1), st.floats(0, 1))
def test_a_fit_never_decreases_and_stays_a_share(pairs: list[tuple[float, bool]], a: float, b: float) -> None:
    curve = fit([s for s, _ in pairs], [r for _, r in pairs])

    low, high = sorted((a, b))
    assert 0.0 <= curve(low) <= curve(high) <= 1.0
    # Where the fit is flat over all readings, it is their share right.
    assert min(curve.right) <= sum(r for _, r in pairs) / len(pairs) <= max(curve.right)


def test_a_fit_needs_outcomes_for_every_score() -> None:
    with pytest.raises(ValueError, match="as many"):
        fit([], [])
    with pytest.raises(ValueError, match="as many"):
        fit([0.5], [True, False])


def test_the_reliability_curve_counts_each_bin() -> None:
    rows = reliability([0.2, 0.85, 0.86, 0.97, 1.0], [False, True, False, True, True])

    assert [(r["from"], r["n"], r["right"]) for r in rows] == [
        (0.0, 1, 0.0),
        (0.8, 2, 0.5),
        (0.95, 1, 1.0),
        (0.99, 1, 1.0),
    ]


def test_a_saved_map_reads_back_and_a_missing_file_means_raw_scores(tmp_path: Path) -> None:
    path = tmp_path / "calibration.json"
    save(path, {"plate-crnn": Calibration((0.5, 0.99), (0.2, 0.9))}, {"fitted_on": ["x"]})

    maps = calibration.load(path)

    assert maps["plate-crnn"](0.745) == pytest.approx(0.55)
    assert maps["plate-crnn"](1.0) == pytest.approx(0.9)
    assert calibration.load(tmp_path / "none.json") == {}


@pytest.mark.parametrize("engine", [PlateCrnnEngine, RapidOcrEngine])
def test_engines_give_the_committed_maps_share_right(engine: type[PlateCrnnEngine | RapidOcrEngine]) -> None:
    crop = np.asarray(render_plate("粤B12345", PlateStyle.BLUE, np.random.default_rng(1), scale=0.4))
    raw = engine(calibrate=False).read(crop)
    calibrated = engine().read(crop)

    assert calibrated.text == raw.text
    assert calibrated.confidence == pytest.approx(calibration.calibrated(engine.name, raw.confidence))
    assert engine.name in calibration.load()  # the committed models come with their maps
