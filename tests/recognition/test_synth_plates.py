from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given
from hypothesis import strategies as st

from parking.plates import InvalidPlate, check_color, normalize_plate, plate_kind
from workers.recognition.synth import (
    PLATE_SIZES_MM,
    SPECS,
    PlateFontMissing,
    PlateLayout,
    PlateStyle,
    PlateStyleMismatch,
    font_faces,
    font_path,
    geometry,
    pixel_size,
    random_plate,
    render_plate,
)
from workers.recognition.synth.styles import RED, WHITE


@given(st.sampled_from(PlateStyle), st.integers(min_value=0, max_value=2**32))
def test_random_plates_are_grammatical_for_every_style(style: PlateStyle, seed: int) -> None:
    plate = random_plate(np.random.default_rng(seed), style)

    assert normalize_plate(plate) == plate
    assert plate_kind(plate) is SPECS[style].kind
    assert check_color(plate, SPECS[style].color) is None


def test_every_plate_kind_except_no_plate_has_a_style() -> None:
    kinds = {spec.kind.value for spec in SPECS.values()}

    assert kinds == {
        "ordinary", "new_energy_small", "new_energy_large", "police", "coach", "trailer",
        "embassy", "consulate", "hong_kong", "macao",
    }  # fmt: skip


def test_random_plate_is_deterministic_for_a_seed() -> None:
    first = [random_plate(np.random.default_rng(7), s) for s in PlateStyle]
    again = [random_plate(np.random.default_rng(7), s) for s in PlateStyle]

    assert first == again


def test_single_row_geometry_follows_ga36() -> None:
    geo = geometry(PlateLayout.SINGLE)

    assert geo.size == (440, 140)
    assert [(b.x0, b.y0, b.x1 - b.x0, b.y1 - b.y0) for b in geo.chars[:3]] == [
        (15.5, 25, 45, 90),
        (72.5, 25, 45, 90),
        (151.5, 25, 45, 90),
    ]
    assert geo.chars[-1].x1 == 424.5
    assert geo.dot is not None
    assert ((geo.dot.x0 + geo.dot.x1) / 2, geo.dot.x1 - geo.dot.x0) == (134.5, 10)


def test_new_energy_geometry_follows_ga36() -> None:
    geo = geometry(PlateLayout.NEW_ENERGY)

    assert geo.size == (480, 140)
    assert len(geo.chars) == 8
    assert [b.x1 - b.x0 for b in geo.chars] == [45, 43, 43, 43, 43, 43, 43, 43]
    assert (geo.chars[0].x0, geo.chars[2].x0 - geo.chars[1].x1, geo.chars[-1].x1) == (15.5, 49, 464.5)
    assert geo.dot is None


def test_double_row_geometry_follows_ga36() -> None:
    geo = geometry(PlateLayout.DOUBLE)

    assert geo.size == (440, 220)
    assert [(b.x1 - b.x0, b.y1 - b.y0) for b in geo.chars] == [(80, 60)] * 2 + [(65, 110)] * 5
    assert (geo.chars[2].x0, geo.chars[-1].x1) == (27.5, 412.5)


@pytest.mark.parametrize(
    ("style", "size"),
    [
        (PlateStyle.BLUE, (440, 140)),
        (PlateStyle.GREEN_SMALL, (480, 140)),
        (PlateStyle.YELLOW_GREEN_LARGE, (480, 140)),
        (PlateStyle.YELLOW_DOUBLE, (440, 220)),
        (PlateStyle.TRAILER, (440, 220)),
        (PlateStyle.EMBASSY, (440, 140)),
    ],
)
def test_pixel_size_is_one_pixel_per_millimetre(style: PlateStyle, size: tuple[int, int]) -> None:
    assert pixel_size(style) == size
    assert pixel_size(style, 0.5) == (size[0] // 2, size[1] // 2)


@pytest.mark.parametrize("style", list(PlateStyle))
def test_rendered_plates_have_the_standard_size(font: Path, style: PlateStyle) -> None:
    rng = np.random.default_rng(11)
    plate = random_plate(rng, style)

    image = render_plate(plate, style, rng)

    assert image.size == PLATE_SIZES_MM[SPECS[style].layout]
    assert image.mode == "RGB"


def test_blue_plate_has_blue_ground_white_dot_and_white_text(font: Path) -> None:
    image = render_plate("京A12345", PlateStyle.BLUE)
    box = geometry(PlateLayout.SINGLE).chars[2]
    ink = image.crop((int(box.x0), int(box.y0), int(box.x1), int(box.y1))).getcolors(maxcolors=100_000)

    assert image.getpixel((20, 12)) == (12, 72, 170)
    assert image.getpixel((134, 70)) == WHITE
    assert ink is not None
    assert max(ink)[1] in {WHITE, (12, 72, 170)}
    assert {WHITE, (12, 72, 170)} <= {color for _, color in ink}


def test_police_plate_prints_jing_in_red(font: Path) -> None:
    image = render_plate("苏E2345警", PlateStyle.POLICE)
    box = geometry(PlateLayout.SINGLE, split=1).chars[-1]
    found = image.crop((int(box.x0), int(box.y0), int(box.x1), int(box.y1))).getcolors(100_000)
    assert found is not None
    colors = {c for _, c in found}

    assert RED in colors
    assert (15, 15, 15) not in colors


def test_same_seed_gives_the_same_image(font: Path) -> None:
    first = render_plate("粤BD12345", PlateStyle.GREEN_SMALL, np.random.default_rng(5))
    again = render_plate("粤BD12345", PlateStyle.GREEN_SMALL, np.random.default_rng(5))

    assert first.tobytes() == again.tobytes()


def test_a_plate_cannot_be_drawn_in_another_kinds_style(font: Path) -> None:
    with pytest.raises(PlateStyleMismatch, match="粤BD12345 is a new_energy_small plate"):
        render_plate("粤BD12345", PlateStyle.BLUE)


def test_a_non_plate_is_refused() -> None:
    with pytest.raises(InvalidPlate):
        render_plate("京A1234", PlateStyle.BLUE)


def test_missing_font_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("workers.recognition.synth.fonts.FONT_PATHS", (tmp_path / "none.ttc",))

    with pytest.raises(PlateFontMissing, match="apt-get install fonts-wqy-zenhei"):
        font_path()


def test_font_override_must_exist(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PARKCLOUD_PLATE_FONT", str(tmp_path / "nope.ttf"))

    with pytest.raises(PlateFontMissing, match="is not a font file"):
        font_path()


def _ink(plate: str, seed: int, vary_font: bool) -> npt.NDArray[np.bool_]:
    # White characters on blue: the ink is what is bright, whatever the background's jitter.
    image = render_plate(plate, PlateStyle.BLUE, np.random.default_rng(seed), vary_font=vary_font)
    return np.asarray(image.convert("L")) > 128


def _apart(a: npt.NDArray[np.bool_], b: npt.NDArray[np.bool_]) -> float:
    return float((a != b).mean())


def test_training_plates_vary_the_face_and_weight_but_stay_reproducible(font: Path) -> None:
    faces = font_faces()
    plain = [_ink("津A12345", seed, vary_font=False) for seed in range(8)]
    varied = [_ink("津A12345", seed, vary_font=True) for seed in range(8)]

    assert faces[0][0] == font_path()
    assert len({path for path, _ in faces}) == len(faces)
    # Without variation only anti-aliased edges move with the background's shade; with it, whole strokes do.
    assert max(_apart(plain[0], other) for other in plain) < 0.005
    if len(faces) > 1:
        assert max(_apart(varied[0], other) for other in varied) > 0.02
    assert _apart(_ink("津A12345", 3, vary_font=True), _ink("津A12345", 3, vary_font=True)) == 0
