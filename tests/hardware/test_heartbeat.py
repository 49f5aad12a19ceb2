"""Heartbeat tracker for push-only devices, with time passed explicitly."""

from datetime import UTC, datetime, timedelta

import pytest

from hardware.base import Health, HealthTransition
from hardware.errors import UnknownDevice
from hardware.health.heartbeat import HeartbeatConfig, HeartbeatTracker

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def _tracker(seen: list[HealthTransition]) -> HeartbeatTracker:
    tracker = HeartbeatTracker(clock=lambda: T0, on_transition=seen.append)
    tracker.register("cam-1", offline_after_s=60)
    return tracker


async def test_a_heartbeat_marks_the_device_online_with_its_values() -> None:
    # given a registered device
    seen: list[HealthTransition] = []
    tracker = _tracker(seen)
    # when it beats
    health = await tracker.beat("cam-1", uptime_s=3600.0, values={"fw": "1.2"}, now=T0)
    # then
    assert health == Health(online=True, uptime_s=3600.0, values={"fw": "1.2"})
    assert tracker.last_seen("cam-1") == T0
    assert [(t.previous, t.online) for t in seen] == [(None, True)]


async def test_silence_longer_than_the_limit_turns_the_device_offline_once() -> None:
    # given a device last seen at T0 with a 60 s limit
    seen: list[HealthTransition] = []
    tracker = _tracker(seen)
    await tracker.beat("cam-1", now=T0)
    # when swept at 60 s, 61 s and 120 s
    at_limit = await tracker.sweep(T0 + timedelta(seconds=60))
    past = await tracker.sweep(T0 + timedelta(seconds=61))
    later = await tracker.sweep(T0 + timedelta(seconds=120))
    # then only the first sweep past the limit reports it
    assert at_limit == []
    assert [(t.device, t.previous, t.online, t.health.error) for t in past] == [
        ("cam-1", True, False, "silent for 61 s")
    ]
    assert later == []
    assert [(t.previous, t.online) for t in seen] == [(None, True), (True, False)]


async def test_a_new_heartbeat_brings_an_offline_device_back() -> None:
    # given an offline device
    seen: list[HealthTransition] = []
    tracker = _tracker(seen)
    await tracker.beat("cam-1", now=T0)
    await tracker.sweep(T0 + timedelta(seconds=90))
    # when it beats again
    await tracker.beat("cam-1", now=T0 + timedelta(seconds=95))
    # then
    assert [(t.previous, t.online) for t in seen] == [(None, True), (True, False), (False, True)]
    assert tracker.health("cam-1", T0 + timedelta(seconds=96)).online is True


async def test_a_device_never_heard_from_gets_one_period_of_grace() -> None:
    # given a device registered at T0 that never beats
    seen: list[HealthTransition] = []
    tracker = _tracker(seen)
    # when swept within and after its first period
    within = await tracker.sweep(T0 + timedelta(seconds=30))
    after = await tracker.sweep(T0 + timedelta(seconds=61))
    # then
    assert within == []
    assert [(t.previous, t.online, t.health.error) for t in after] == [(None, False, "never seen")]


async def test_heartbeats_from_unknown_devices_are_rejected() -> None:
    # given a tracker that knows only cam-1 / when / then
    tracker = _tracker([])
    with pytest.raises(UnknownDevice, match="'cam-9'"):
        await tracker.beat("cam-9", now=T0)


async def test_naive_times_are_refused() -> None:
    # given a naive datetime / when / then
    tracker = _tracker([])
    with pytest.raises(ValueError, match="timezone-aware"):
        await tracker.beat("cam-1", now=datetime(2026, 3, 1, 8, 0))


async def test_the_probe_view_reads_the_tracker() -> None:
    # given a heartbeat device built from its config, seen at T0
    tracker = HeartbeatTracker(clock=lambda: T0 + timedelta(seconds=10))
    probe = tracker.probe_for(HeartbeatConfig(serial="disp-7", offline_after_s=5))
    await tracker.beat("disp-7", now=T0)
    # when probed 10 s later
    health = await probe.probe()
    # then
    assert health == Health(online=False, error="silent for 10 s")
    assert (await probe.identity()).serial == "disp-7"
