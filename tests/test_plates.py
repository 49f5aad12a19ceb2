import pytest

from parking.plates import InvalidPlate, is_new_energy, normalize_plate


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("京A12345", "京A12345"),
        (" 沪 b·12o45 ", "沪B12045"),
        ("粤BD12345", "粤BD12345"),
        ("鲁F2629Q", "鲁F2629Q"),
        ("川A1234学", "川A1234学"),
        ("浙Ａ１２３４５", "浙A12345"),
        ("使123456", "使123456"),
    ],
)
def test_normalize_plate_accepts_issued_kinds(raw: str, expected: str) -> None:
    assert normalize_plate(raw) == expected


@pytest.mark.parametrize("raw", ["", "ABC", "京A1234", "京A123456789", "X京12345", "京I12345"])
def test_normalize_plate_refuses_non_plates(raw: str) -> None:
    with pytest.raises(InvalidPlate):
        normalize_plate(raw)


def test_new_energy_is_eight_characters() -> None:
    assert is_new_energy("粤BD12345")
    assert not is_new_energy("粤B12345")
