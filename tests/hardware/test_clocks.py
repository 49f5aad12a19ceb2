"""Injectable clocks used to drive simulators and trackers."""

import pytest

from hardware.base import ManualClock, ScaledClock


def test_a_manual_clock_moves_only_when_advanced() -> None:
    # given a clock at 10 s
    clock = ManualClock(10.0)
    # when advanced by 2.5 s
    before = clock()
    clock.advance(2.5)
    # then
    assert (before, clock()) == (10.0, 12.5)


def test_a_manual_clock_refuses_to_go_backwards() -> None:
    # given / when / then
    with pytest.raises(ValueError, match="cannot go backwards"):
        ManualClock().advance(-1.0)


def test_a_scaled_clock_needs_a_positive_speed() -> None:
    # given / when / then
    with pytest.raises(ValueError, match="speed must be positive"):
        ScaledClock(0)
