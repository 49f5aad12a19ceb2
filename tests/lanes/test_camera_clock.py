"""parking.devices.camera_clock.place: where a replayed record goes, by table and by property."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parking.devices.camera_clock import SKEW, CameraClock, How, Placement, place

NOW = datetime(2026, 12, 6, 3, 0, tzinfo=UTC)
REGISTERED = NOW - timedelta(days=30)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
H = timedelta(hours=1)


def clock(entering: bool, offset: timedelta | None = None, silent_from: datetime | None = None) -> CameraClock:
    return CameraClock(REGISTERED, entering, offset, silent_from)


@pytest.mark.parametrize(
    ("camera_at", "facts", "placed"),
    [
        # a right clock is believed; a record a moment "ahead" is never placed after its arrival
        (NOW - 2 * H, clock(False), Placement(NOW - 2 * H, How.CAMERA)),
        (NOW + timedelta(minutes=1), clock(True), Placement(NOW, How.CAMERA)),
        # a clock known to be off is corrected: back to 1970, or three hours ahead
        (EPOCH + H, clock(False, EPOCH - (NOW - 2 * H)), Placement(NOW - H, How.CORRECTED)),
        (NOW + 2 * H, clock(True, 3 * H), Placement(NOW - H, How.CORRECTED)),
        # a record made before the clock went wrong keeps its right time when the correction is implausible
        (NOW - 2 * H, clock(False, EPOCH - NOW), Placement(NOW - 2 * H, How.CAMERA)),
        # nothing believable: an exit when it arrived, an entry when the camera fell silent, else at registration
        (EPOCH + H, clock(False), Placement(NOW, How.BOUND)),
        (
            NOW + 3 * H,
            clock(True, silent_from=NOW - 40 * timedelta(minutes=1)),
            Placement(NOW - 40 * timedelta(minutes=1), How.BOUND),
        ),
        (EPOCH + H, clock(True), Placement(REGISTERED, How.BOUND)),
        # before registration is implausible too
        (REGISTERED - H, clock(False), Placement(NOW, How.BOUND)),
    ],
)
def test_placement(camera_at: datetime, facts: CameraClock, placed: Placement) -> None:
    assert place(camera_at, NOW, facts) == placed


_times = st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(2100, 1, 1), timezones=st.just(UTC))
_offsets = st.none() | st.timedeltas(min_value=-timedelta(days=60 * 365), max_value=timedelta(days=365))


@given(_times, st.booleans(), _offsets, st.none() | _times)
def test_a_placement_is_never_after_arrival_nor_before_registration_less_skew(
    camera_at: datetime, entering: bool, offset: timedelta | None, silent_from: datetime | None
) -> None:
    placed = place(camera_at, NOW, CameraClock(REGISTERED, entering, offset, silent_from))
    assert REGISTERED - SKEW <= placed.at <= NOW
    if placed.how is How.BOUND and not entering:
        assert placed.at == NOW  # an exit not believed is priced to its arrival: the most it can owe
