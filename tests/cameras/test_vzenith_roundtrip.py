"""Any reading the simulator can express survives encode_push -> decode_push unchanged."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from hardware.cameras import CameraProtocol, CameraReading, PlateColorName, Trigger
from hardware.cameras.vzenith import decode_push, encode_push

_READINGS = st.builds(
    CameraReading,
    protocol=st.just(CameraProtocol.VZENITH),
    serial=st.from_regex(r"[0-9a-f]{8}-[0-9a-f]{8}", fullmatch=True),
    plate_text=st.none() | st.from_regex(r"[京沪粤浙][A-HJ-NP-Z][0-9A-HJ-NP-Z]{5,6}", fullmatch=True),
    color=st.sampled_from(PlateColorName),
    confidence=st.integers(0, 100).map(lambda c: c / 100),
    taken_at=st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2099, 1, 1), timezones=st.just(UTC)),
    camera_plate_id=st.integers(1, 2**31 - 1),
    is_offline=st.booleans(),
    trigger=st.sampled_from([t for t in Trigger if t is not Trigger.UNKNOWN]),
    raw_ip=st.just("192.168.1.100"),
    device_name=st.just("IVS"),
    full_image=st.none() | st.binary(min_size=1, max_size=64),
    plate_image=st.none() | st.binary(min_size=1, max_size=64),
)


@given(reading=_READINGS)
def test_encode_then_decode_is_identity(reading: CameraReading) -> None:
    # when
    decoded = decode_push(encode_push(reading))

    # then
    assert decoded == reading
