"""Modbus relay barrier against the pymodbus barrier simulator on 127.0.0.1."""

import asyncio

import pytest

from hardware.base import GatePosition, GateState, ManualClock
from hardware.errors import (
    DeviceProtocolError,
    DeviceRefused,
    DeviceTimeout,
    DeviceUnavailable,
    GateFailedToOpen,
)
from hardware.gates.modbus_relay import ModbusRelayBarrier, ModbusRelayConfig
from hardware.simulators.modbus_barrier import ModbusBarrierSimulator


def _clock(sim: ModbusBarrierSimulator) -> ManualClock:
    assert isinstance(sim.clock, ManualClock)
    return sim.clock


async def test_a_closed_barrier_reports_closed_and_an_empty_loop(barrier: ModbusRelayBarrier) -> None:
    # given a barrier at rest / when its state is read
    state = await barrier.state()
    # then
    assert state == GateState(GatePosition.CLOSED, loop_occupied=False)


async def test_open_is_acknowledged_while_the_arm_rises_then_reports_open(
    barrier_sim: ModbusBarrierSimulator, barrier: ModbusRelayBarrier
) -> None:
    # given a closed barrier
    # when it is told to open
    acknowledged = await barrier.open()
    # then the command is acknowledged with the arm rising, and it is open after the 0.9 s travel
    assert acknowledged == GateState(GatePosition.OPENING, loop_occupied=False)
    assert barrier_sim.physics.open_commands == 1
    _clock(barrier_sim).advance(0.89)
    assert (await barrier.state()).position is GatePosition.OPENING
    _clock(barrier_sim).advance(0.01)
    assert await barrier.state() == GateState(GatePosition.OPEN, loop_occupied=False)


async def test_the_loop_detector_is_read_and_the_arm_closes_once_the_car_has_passed(
    barrier_sim: ModbusBarrierSimulator, barrier: ModbusRelayBarrier
) -> None:
    # given an open barrier
    await barrier.open()
    _clock(barrier_sim).advance(0.9)
    # when a car drives onto the loop, then off it
    barrier_sim.set_loop(True)
    on_loop = await barrier.state()
    barrier_sim.set_loop(False)
    leaving = await barrier.state()
    _clock(barrier_sim).advance(0.9)
    after = await barrier.state()
    # then
    assert on_loop == GateState(GatePosition.OPEN, loop_occupied=True)
    assert leaving == GateState(GatePosition.CLOSING, loop_occupied=False)
    assert after == GateState(GatePosition.CLOSED, loop_occupied=False)


async def test_close_is_refused_while_a_car_is_on_the_loop(
    barrier_sim: ModbusBarrierSimulator, barrier: ModbusRelayBarrier
) -> None:
    # given an open barrier with a car under it
    await barrier.open()
    _clock(barrier_sim).advance(0.9)
    barrier_sim.set_loop(True)
    # when told to close / then it refuses, and the arm stays up
    with pytest.raises(DeviceRefused, match="vehicle on the loop"):
        await barrier.close()
    assert await barrier.state() == GateState(GatePosition.OPEN, loop_occupied=True)


async def test_close_on_an_empty_lane_lowers_the_arm(
    barrier_sim: ModbusBarrierSimulator, barrier: ModbusRelayBarrier
) -> None:
    # given an open barrier and an empty loop
    await barrier.open()
    _clock(barrier_sim).advance(0.9)
    # when
    state = await barrier.close()
    _clock(barrier_sim).advance(0.9)
    # then
    assert state == GateState(GatePosition.CLOSING, loop_occupied=False)
    assert (await barrier.state()).position is GatePosition.CLOSED


async def test_a_connection_dropped_mid_command_is_reopened_and_the_command_retried(
    barrier_sim: ModbusBarrierSimulator, barrier: ModbusRelayBarrier
) -> None:
    # given a device that drops the connection on the next command
    await barrier.state()
    barrier_sim.faults.drop_commands = 1
    # when
    state = await barrier.open()
    # then the retry went through on a fresh connection
    assert state == GateState(GatePosition.OPENING, loop_occupied=False)
    assert barrier_sim.faults.drop_commands == 0
    assert barrier_sim.physics.open_commands == 1


async def test_a_connection_dropped_again_after_reconnecting_is_a_clear_unavailable_error(
    barrier_sim: ModbusBarrierSimulator, barrier: ModbusRelayBarrier
) -> None:
    # given a device that drops every connection on a command
    barrier_sim.faults.drop_commands = 2
    # when / then
    with pytest.raises(DeviceUnavailable, match="dropped again after reconnecting") as caught:
        await barrier.open()
    assert type(caught.value) is DeviceUnavailable
    assert barrier_sim.physics.open_commands == 0
    # and once the fault clears, the same adapter works again
    assert (await barrier.open()).position is GatePosition.OPENING


async def test_a_barrier_that_never_reports_open_raises_gate_failed_to_open(
    barrier_sim: ModbusBarrierSimulator, barrier: ModbusRelayBarrier
) -> None:
    # given a barrier whose open limit switch never closes
    barrier_sim.faults.never_open = True
    await barrier.open()
    _clock(barrier_sim).advance(5.0)
    # when the caller waits for it / then
    with pytest.raises(GateFailedToOpen, match=r"not open after 0\.05 s") as caught:
        await barrier.wait_until_open(timeout_s=0.05)
    assert caught.value.last_state == GateState(GatePosition.OPENING, loop_occupied=False)


async def test_wait_until_open_returns_the_open_state(
    barrier_sim: ModbusBarrierSimulator, barrier: ModbusRelayBarrier
) -> None:
    # given a barrier that has finished opening
    await barrier.open()
    _clock(barrier_sim).advance(0.9)
    # when / then
    assert await barrier.wait_until_open(timeout_s=1.0) == GateState(GatePosition.OPEN, loop_occupied=False)


async def test_a_device_that_stops_answering_times_out(
    barrier_sim: ModbusBarrierSimulator, barrier: ModbusRelayBarrier
) -> None:
    # given a device that went silent
    await barrier.state()
    barrier_sim.faults.silent = True
    # when / then
    with pytest.raises(DeviceTimeout, match=r"no answer within 0\.3 s"):
        await barrier.state()


async def test_nothing_listening_is_unavailable() -> None:
    # given a port nobody listens on
    async with ModbusBarrierSimulator() as sim:
        port = sim.port
    barrier = ModbusRelayBarrier(ModbusRelayConfig(host="127.0.0.1", port=port, timeout_s=0.3))
    # when / then
    with pytest.raises(DeviceUnavailable, match="connection refused"):
        await barrier.state()


async def test_inputs_the_device_does_not_have_are_a_protocol_error(
    barrier_sim: ModbusBarrierSimulator,
) -> None:
    # given a config pointing at a discrete input beyond the board's 32
    config = ModbusRelayConfig(host="127.0.0.1", port=barrier_sim.port, loop_input=100, timeout_s=0.3)
    barrier = ModbusRelayBarrier(config)
    # when / then
    with pytest.raises(DeviceProtocolError, match="read discrete inputs answered with Modbus exception 2"):
        await barrier.state()
    await barrier.aclose()


async def test_identity_comes_from_device_identification(barrier: ModbusRelayBarrier) -> None:
    # given the simulator's identification objects / when
    identity = await barrier.identity()
    # then
    assert (identity.kind, identity.vendor, identity.model, identity.firmware) == (
        "modbus_relay",
        "ParkCloud",
        "SIM-BARRIER",
        "1.0",
    )


async def test_a_connection_the_device_closed_while_idle_is_reopened_transparently(
    barrier_sim: ModbusBarrierSimulator, barrier: ModbusRelayBarrier
) -> None:
    # given a connected adapter whose idle connection the device closed
    await barrier.state()
    barrier_sim.drop_connections()
    # when it is used again
    state = await barrier.open()
    # then
    assert state == GateState(GatePosition.OPENING, loop_occupied=False)
    assert barrier_sim.physics.open_commands == 1


async def test_reboot_cuts_the_controllers_power_for_a_while_then_restores_it(
    barrier_sim: ModbusBarrierSimulator, barrier_config: ModbusRelayConfig
) -> None:
    # given a controller powered through relay 3, cut for 0.2 s on reboot
    barrier = ModbusRelayBarrier(barrier_config.model_copy(update={"power_coil": 3, "power_off_s": 0.2}))
    # when it is rebooted
    rebooting = asyncio.create_task(barrier.reboot())
    await asyncio.sleep(0.1)
    powered_meanwhile = barrier_sim.physics.powered
    # then the power was off meanwhile, came back once, and the controller answers
    state = await rebooting
    assert (powered_meanwhile, barrier_sim.physics.powered, barrier_sim.physics.power_cycles) == (False, True, 1)
    assert state == GateState(GatePosition.CLOSED, loop_occupied=False)
    await barrier.aclose()


async def test_reboot_without_a_power_relay_is_refused(barrier: ModbusRelayBarrier) -> None:
    with pytest.raises(DeviceRefused, match="no power relay configured"):
        await barrier.reboot()
