"""Camera-relay barrier: a per-lane pending command the camera reply builder takes exactly once."""

import asyncio

import pytest

from hardware.base import GateCommand, GatePosition, GateState, ManualClock
from hardware.errors import GateFailedToOpen
from hardware.gates.camera_io import CameraIoBarrier, CameraIoConfig, CommandMailbox


def _barrier(mailbox: CommandMailbox, lane: str = "in-1") -> CameraIoBarrier:
    return CameraIoBarrier(CameraIoConfig(lane_id=lane, validity_s=30), mailbox)


async def test_an_open_command_is_taken_exactly_once() -> None:
    # given an open command for lane in-1
    mailbox = CommandMailbox(ManualClock())
    state = await _barrier(mailbox).open()
    # when the camera reply builder asks twice
    first, second = mailbox.take("in-1"), mailbox.take("in-1")
    # then
    assert state == GateState(GatePosition.UNKNOWN, loop_occupied=None)
    assert (first, second) == (GateCommand.OPEN, None)


async def test_a_command_expires_after_its_validity() -> None:
    # given an open command 30 s old
    clock = ManualClock()
    mailbox = CommandMailbox(clock)
    await _barrier(mailbox).open()
    clock.advance(30.0)
    # when / then
    assert mailbox.pending("in-1") is None
    assert mailbox.take("in-1") is None


async def test_lanes_do_not_share_commands_and_a_newer_command_wins() -> None:
    # given an open then a close on lane in-1, nothing on out-1
    mailbox = CommandMailbox(ManualClock())
    barrier = _barrier(mailbox)
    await barrier.open()
    await barrier.close()
    # when / then
    assert mailbox.take("out-1") is None
    assert mailbox.take("in-1") is GateCommand.CLOSE


async def test_wait_until_open_returns_once_the_camera_took_the_command() -> None:
    # given an open command waiting for the camera
    mailbox = CommandMailbox(ManualClock())
    barrier = _barrier(mailbox)
    await barrier.open()
    waiting = asyncio.create_task(barrier.wait_until_open(timeout_s=5.0))
    await asyncio.sleep(0)
    # when the camera's reply takes it
    mailbox.take("in-1")
    # then
    assert await waiting == GateState(GatePosition.UNKNOWN, loop_occupied=None)


async def test_an_open_command_the_camera_never_took_fails_to_open() -> None:
    # given an open command nobody takes
    barrier = _barrier(CommandMailbox(ManualClock()))
    await barrier.open()
    # when / then
    with pytest.raises(GateFailedToOpen, match=r"did not take the open command within 0\.01 s"):
        await barrier.wait_until_open(timeout_s=0.01)


async def test_waiting_without_an_open_command_fails_at_once() -> None:
    # given a barrier never told to open / when / then
    with pytest.raises(GateFailedToOpen, match="no open command was sent"):
        await _barrier(CommandMailbox(ManualClock())).wait_until_open(timeout_s=1.0)
