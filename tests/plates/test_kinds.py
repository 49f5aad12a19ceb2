import pytest

from parking.plates import (
    NO_PLATE,
    ColorMismatch,
    InvalidPlate,
    PlateColor,
    PlateKind,
    check_color,
    display_plate,
    plate_colors,
    plate_kind,
)

EXAMPLES = [
    ("京A12345", PlateKind.ORDINARY),
    ("鲁F2629Q", PlateKind.ORDINARY),
    ("粤OA2160", PlateKind.ORDINARY),  # an O-segment plate (public security and judicial vehicles)
    ("粤BD12345", PlateKind.NEW_ENERGY_SMALL),
    ("粤BFA1234", PlateKind.NEW_ENERGY_SMALL),
    ("粤B12345D", PlateKind.NEW_ENERGY_LARGE),
    ("苏E2345警", PlateKind.POLICE),
    ("川A1234学", PlateKind.COACH),
    ("鲁B1234挂", PlateKind.TRAILER),
    ("使014578", PlateKind.EMBASSY),
    ("沪A1234领", PlateKind.CONSULATE),
    ("粤Z1234港", PlateKind.HONG_KONG),
    ("粤Z1234澳", PlateKind.MACAO),
    ("_无_", PlateKind.NO_PLATE),
]


@pytest.mark.parametrize(("plate", "kind"), EXAMPLES)
def test_plate_kind_classifies_every_kind(plate: str, kind: PlateKind) -> None:
    assert plate_kind(plate) is kind


def test_plate_kind_refuses_a_non_plate() -> None:
    with pytest.raises(InvalidPlate):
        plate_kind("京A1234")


@pytest.mark.parametrize(
    ("plate", "color"),
    [
        ("京A12345", PlateColor.BLUE),
        ("京A12345", PlateColor.YELLOW),
        ("京A12345", PlateColor.BLACK),
        ("粤BD12345", PlateColor.GREEN),
        ("粤B12345D", PlateColor.YELLOW_GREEN),
        ("苏E2345警", PlateColor.WHITE),
        ("川A1234学", PlateColor.YELLOW),
        ("鲁B1234挂", PlateColor.YELLOW),
        ("使014578", PlateColor.BLACK),
        ("沪A1234领", PlateColor.BLACK),
        ("粤Z1234港", PlateColor.BLACK),
        ("粤Z1234澳", PlateColor.BLACK),
        ("粤BD12345", PlateColor.UNKNOWN),
        (NO_PLATE, PlateColor.BLUE),
    ],
)
def test_check_color_accepts_the_colours_of_each_kind(plate: str, color: PlateColor) -> None:
    assert check_color(plate, color) is None


def test_check_color_reports_an_eight_character_plate_read_as_blue() -> None:
    problem = check_color("粤bd12345", PlateColor.BLUE)

    assert problem == ColorMismatch(
        plate="粤BD12345",
        kind=PlateKind.NEW_ENERGY_SMALL,
        color=PlateColor.BLUE,
        allowed=frozenset({PlateColor.GREEN}),
    )
    assert str(problem) == "粤BD12345 (new_energy_small) is green, not blue"


@pytest.mark.parametrize(
    ("plate", "color"),
    [
        ("京A12345", PlateColor.GREEN),
        ("京A12345", PlateColor.WHITE),
        ("粤B12345D", PlateColor.GREEN),
        ("苏E2345警", PlateColor.BLUE),
        ("川A1234学", PlateColor.BLUE),
        ("粤Z1234港", PlateColor.BLUE),
    ],
)
def test_check_color_refuses_colours_a_kind_cannot_have(plate: str, color: PlateColor) -> None:
    problem = check_color(plate, color)

    assert problem is not None
    assert problem.color is color
    assert problem.kind is plate_kind(plate)


def test_plate_colors_of_an_ordinary_plate() -> None:
    assert plate_colors("京A12345") == {PlateColor.BLUE, PlateColor.YELLOW, PlateColor.BLACK}


@pytest.mark.parametrize(
    ("plate", "shown"),
    [
        ("京A12345", "京A·12345"),
        ("粤BD12345", "粤B·D12345"),
        ("苏E2345警", "苏·E2345警"),
        ("使014578", "使014·578"),
        ("", NO_PLATE),
    ],
)
def test_display_plate_puts_the_separator_dot_where_the_plate_has_it(plate: str, shown: str) -> None:
    assert display_plate(plate) == shown
