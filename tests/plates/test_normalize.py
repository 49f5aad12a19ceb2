import pytest
from hypothesis import given
from hypothesis import strategies as st

from parking.plates import (
    DIGITS,
    LETTERS,
    NO_PLATE,
    PROVINCES,
    InvalidPlate,
    is_new_energy,
    is_valid_plate,
    normalize_plate,
)


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
        ("京A-I2345", "京A12345"),
        ("粤B-1234O-D", "粤B12340D"),
        ("苏E・2345警", "苏E2345警"),
    ],
)
def test_normalize_plate_accepts_issued_kinds(raw: str, expected: str) -> None:
    assert normalize_plate(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("ABC", "too short"),
        ("京A1234", "too short"),
        ("京A123456789", "too long"),
        ("X京123456", "not a plate"),
        ("京I12345", "not a plate"),
        ("京112345", "not a plate"),
        ("京A1234试", "not a plate"),
        ("京A1234使", "not a plate"),
        ("沪A1234港", "not a plate"),
        ("粤BZ12345", "not a plate"),
        ("粤B1234D5", "not a plate"),
        ("使A12345", "not a plate"),
        ("京A12345学", "not a plate"),
    ],
)
def test_normalize_plate_refuses_non_plates_with_reason(raw: str, reason: str) -> None:
    with pytest.raises(InvalidPlate) as caught:
        normalize_plate(raw)
    assert caught.value.reason == reason
    assert caught.value.raw == raw


@pytest.mark.parametrize("raw", ["", "   ", "_无_", "无牌车", "无车牌", "未识别", "车牌", "none", "-"])
def test_camera_no_plate_sentinels_become_the_no_plate_marker(raw: str) -> None:
    assert normalize_plate(raw) == NO_PLATE
    assert not is_valid_plate(raw)


def test_no_plate_marker_normalises_to_itself() -> None:
    assert normalize_plate(NO_PLATE) == NO_PLATE


def test_is_valid_plate_says_whether_a_real_plate_was_read() -> None:
    assert is_valid_plate("京A12345")
    assert not is_valid_plate("京A1234")


def test_new_energy_is_eight_characters() -> None:
    assert is_new_energy("粤BD12345")
    assert is_new_energy("粤B12345F")
    assert not is_new_energy("粤B12345")
    assert not is_new_energy("not a plate")


_SERIAL = st.text(alphabet=LETTERS + DIGITS + "IO", min_size=5, max_size=5)
_READING = st.one_of(
    st.builds(lambda p, a, s: p + a + s, st.sampled_from(PROVINCES), st.sampled_from(LETTERS + "IO"), _SERIAL),
    st.text(max_size=10),
    st.text(alphabet=PROVINCES + LETTERS + DIGITS + " ·-ＡＢ１２", max_size=9),
)


@given(_READING)
def test_normalize_is_idempotent(raw: str) -> None:
    try:
        once = normalize_plate(raw)
    except InvalidPlate:
        return
    assert normalize_plate(once) == once


@given(st.sampled_from(PROVINCES), st.sampled_from(LETTERS + "O"), _SERIAL)
def test_every_ordinary_serial_with_i_or_o_reads_as_digits(province: str, letter: str, serial: str) -> None:
    expected = province + letter + serial.replace("I", "1").replace("O", "0")
    assert normalize_plate(f"{province}{letter}·{serial.lower()}") == expected


def test_o_is_an_authority_code_and_i_is_none() -> None:
    # O-segment plates (粤O·A2160) are issued; no authority is coded I, and an O in the serial is the digit 0
    assert normalize_plate("粤O·A216O") == "粤OA2160"
    with pytest.raises(InvalidPlate):
        normalize_plate("粤IA2160")
