"""Simulator physics and the adapter's position inference, as pure rules."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hardware.base import GateCommand, GatePosition, ManualClock
from hardware.gates.modbus_relay import infer_position
from hardware.simulators.modbus_barrier import BarrierPhysics

_EVENTS = st.lists(
    st.one_of(
        st.tuples(st.just("advance"), st.floats(min_value=0.0, max_value=2.0)),
        st.tuples(st.sampled_from(["open", "close", "car_on", "car_off"]), st.just(0.0)),
    ),
    max_size=40,
)


@given(_EVENTS)
def test_the_arm_never_comes_down_on_a_car(events: list[tuple[str, float]]) -> None:
    # given a barrier driven by any sequence of commands, cars and elapsed time
    clock = ManualClock()
    physics = BarrierPhysics(clock)
    car_under_arm = False
    for kind, seconds in events:
        # when the event happens
        if kind == "advance":
            clock.advance(seconds)
        elif kind == "open":
            physics.command_open()
        elif kind == "close":
            physics.command_close()
        else:
            physics.set_loop(kind == "car_on")
        position = physics.position()
        # then a car on the loop is never under a closing arm, and an arm up over a car stays off it
        if not physics.loop_occupied:
            car_under_arm = False
        elif position in (GatePosition.OPEN, GatePosition.OPENING):
            car_under_arm = True
        assert not (physics.loop_occupied and position is GatePosition.CLOSING)
        assert not (car_under_arm and position is GatePosition.CLOSED)


def test_a_car_arriving_under_a_closing_arm_makes_it_rise_again() -> None:
    # given an arm closing after a car left
    clock = ManualClock()
    physics = BarrierPhysics(clock)
    physics.command_open()
    clock.advance(0.9)
    physics.set_loop(True)
    physics.set_loop(False)
    clock.advance(0.5)
    # when the next car drives on
    physics.set_loop(True)
    # then
    assert physics.position() is GatePosition.OPENING


@pytest.mark.parametrize(
    ("open_limit", "closed_limit", "last_command", "last_limit", "expected"),
    [
        (True, False, None, None, GatePosition.OPEN),
        (False, True, None, None, GatePosition.CLOSED),
        (True, True, GateCommand.OPEN, None, GatePosition.UNKNOWN),
        (False, False, GateCommand.OPEN, GatePosition.CLOSED, GatePosition.OPENING),
        (False, False, GateCommand.OPEN, None, GatePosition.OPENING),
        (False, False, GateCommand.CLOSE, GatePosition.OPEN, GatePosition.CLOSING),
        (False, False, None, GatePosition.OPEN, GatePosition.CLOSING),
        (False, False, None, GatePosition.CLOSED, GatePosition.OPENING),
        (False, False, None, None, GatePosition.UNKNOWN),
    ],
)
def test_position_between_the_limit_switches_follows_what_happened_last(
    open_limit: bool,
    closed_limit: bool,
    last_command: GateCommand | None,
    last_limit: GatePosition | None,
    expected: GatePosition,
) -> None:
    # given limit switches and history / when / then
    assert infer_position(open_limit, closed_limit, last_command, last_limit) is expected
