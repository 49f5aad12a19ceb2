"""The generic JSON push (v1) decodes to the same neutral reading; wrong input gets typed errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from hardware.cameras import CameraPushError, PlateColorName, PushErrorCode, Trigger
from hardware.cameras.generic import decode_message
from hardware.cameras.types import CameraHeartbeat, CameraProtocol, CameraReading


def test_generic_reading_fixture_decodes(fixture_bytes: Callable[[str], bytes]) -> None:
    # when
    reading = decode_message(fixture_bytes("generic_v1_reading.json"))

    # then
    assert reading == CameraReading(
        protocol=CameraProtocol.GENERIC,
        serial="gate-7",
        plate_text="沪AD12345",
        color=PlateColorName.GREEN,
        confidence=0.91,
        taken_at=datetime(2026, 5, 1, 1, 30, 0, 250000, tzinfo=UTC),
        event_id="e-0001",
        is_offline=False,
        trigger=Trigger.VIRTUAL_LOOP,
        raw_ip="10.0.0.7",
        device_name="Generic LPR",
        full_image=fixture_bytes("scene.jpg"),
        plate_image=None,
    )


def test_generic_heartbeat_decodes() -> None:
    # when
    beat = decode_message(b'{"version": 1, "type": "heartbeat", "serial": "gate-7", "ip": "10.0.0.7"}')

    # then
    assert beat == CameraHeartbeat(protocol=CameraProtocol.GENERIC, serial="gate-7", raw_ip="10.0.0.7")


def test_null_plate_means_no_plate() -> None:
    # given
    doc = _base() | {"plate": None}

    # when
    reading = decode_message(json.dumps(doc).encode())

    # then
    assert isinstance(reading, CameraReading)
    assert reading.plate_text is None


def _base() -> dict[str, Any]:
    return {
        "version": 1,
        "type": "reading",
        "serial": "gate-7",
        "plate": "京A12345",
        "confidence": 0.5,
        "taken_at": "2026-05-01T09:30:00+08:00",
    }


@pytest.mark.parametrize(
    ("change", "code", "message_part"),
    [
        ({"version": 2}, PushErrorCode.UNSUPPORTED_VERSION, "version 2"),
        ({"type": "alarm"}, PushErrorCode.UNSUPPORTED_MESSAGE, "type 'alarm'"),
        ({"serial": None}, PushErrorCode.WRONG_TYPE, "serial"),
        ({"confidence": 1.5}, PushErrorCode.BAD_VALUE, "confidence"),
        ({"confidence": "high"}, PushErrorCode.WRONG_TYPE, "confidence"),
        ({"taken_at": "2026-05-01T09:30:00"}, PushErrorCode.BAD_VALUE, "taken_at"),
        ({"color": "purple"}, PushErrorCode.BAD_VALUE, "color"),
        ({"speed_kmh": 30}, PushErrorCode.BAD_VALUE, "speed_kmh"),
        ({"full_image_b64": "@@@"}, PushErrorCode.BAD_BASE64, "full_image_b64"),
        ({"offline": "yes"}, PushErrorCode.WRONG_TYPE, "offline"),
    ],
)
def test_bad_generic_push_is_refused(change: dict[str, Any], code: PushErrorCode, message_part: str) -> None:
    # given
    body = json.dumps(_base() | change).encode()

    # when
    with pytest.raises(CameraPushError) as caught:
        decode_message(body)

    # then
    assert caught.value.code == code
    assert message_part in caught.value.message


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"nope", PushErrorCode.MALFORMED_JSON),
        (b"[]", PushErrorCode.WRONG_TYPE),
        (b'{"type": "reading"}', PushErrorCode.MISSING_FIELD),
    ],
)
def test_malformed_generic_body_is_refused(body: bytes, code: PushErrorCode) -> None:
    # when
    with pytest.raises(CameraPushError) as caught:
        decode_message(body)

    # then
    assert caught.value.code == code


def test_missing_required_field_is_named() -> None:
    # given
    doc = _base()
    del doc["taken_at"]

    # when
    with pytest.raises(CameraPushError) as caught:
        decode_message(json.dumps(doc).encode())

    # then
    assert caught.value.code == PushErrorCode.MISSING_FIELD
    assert caught.value.message == "taken_at: Field required"
