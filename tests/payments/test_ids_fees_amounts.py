"""out_trade_no format, fee rounding and fen/yuan conversion."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parking.payments.amounts import fen_to_yuan, yuan_to_fen
from parking.payments.errors import InvalidAmount
from parking.payments.fees import channel_fee, rate_for_lot
from parking.payments.ids import OUT_TRADE_NO, new_out_refund_no, new_out_trade_no

NOW = datetime(2026, 3, 1, 8, 30, 5, tzinfo=UTC)


def test_out_trade_no_has_utc_time_and_token() -> None:
    # given a Beijing-time clock reading
    beijing = NOW.astimezone(timezone(timedelta(hours=8)))
    # when a number is generated with a fixed token
    value = new_out_trade_no(beijing, token=lambda n: "A" * n)
    # then it carries the UTC time and is a valid channel number
    assert value == "P20260301083005AAAAAAAAAAAAAA"
    assert OUT_TRADE_NO.match(value)


def test_out_trade_numbers_are_unique_and_valid() -> None:
    numbers = {new_out_trade_no(NOW) for _ in range(2000)}
    assert len(numbers) == 2000
    assert all(OUT_TRADE_NO.match(n) and len(n) <= 32 for n in numbers)
    assert new_out_refund_no(NOW).startswith("R20260301083005")


def test_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        new_out_trade_no(datetime(2026, 3, 1))


@pytest.mark.parametrize(
    ("amount", "rate", "fee"),
    [(1000, 6000, 6), (83, 6000, 0), (84, 6000, 1), (250, 6000, 2), (10_000, 3800, 38), (0, 6000, 0)],
)
def test_fee_rounds_half_up_to_the_fen(amount: int, rate: int, fee: int) -> None:
    # 84 * 0.6% = 0.504 fen -> 1 ; 83 * 0.6% = 0.498 -> 0 ; 250 * 0.6% = 1.5 -> 2
    assert channel_fee(amount, rate) == fee


def test_lot_rate_defaults_to_0_6_percent() -> None:
    assert rate_for_lot({"lot-a": 3800}, "lot-a") == 3800
    assert rate_for_lot({"lot-a": 3800}, "lot-b") == 6000


@pytest.mark.parametrize("bad", [-1, 1.5, True])
def test_fee_of_bad_amount_is_refused(bad: int) -> None:
    with pytest.raises(InvalidAmount):
        channel_fee(bad)


@given(st.integers(min_value=0, max_value=10**12))
def test_fen_yuan_round_trip(fen: int) -> None:
    assert yuan_to_fen(fen_to_yuan(fen)) == fen


@pytest.mark.parametrize(("yuan", "fen"), [("0.01", 1), ("12.3", 1230), ("15", 1500), ("100.00", 10000)])
def test_yuan_strings(yuan: str, fen: int) -> None:
    assert yuan_to_fen(yuan) == fen


@pytest.mark.parametrize("bad", ["0.105", "1e3", "-1.00", "", "01.00", "abc"])
def test_bad_yuan_strings_are_refused(bad: str) -> None:
    with pytest.raises(InvalidAmount):
        yuan_to_fen(bad)
