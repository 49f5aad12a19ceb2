"""Hikvision ISAPI ANPR alerts (multipart with pictures, or bare XML) decode to neutral readings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from hardware.cameras import CameraPushError, PlateColorName, PushErrorCode, Trigger
from hardware.cameras.hikvision import decode_message
from hardware.cameras.types import CameraHeartbeat, CameraProtocol, CameraReading

_MULTIPART = "multipart/form-data; boundary=MIME_boundary"


def test_anpr_multipart_decodes_with_both_pictures(fixture_bytes: Callable[[str], bytes]) -> None:
    # given an ANPR alert with plate and scene pictures
    body = fixture_bytes("hikvision_anpr.multipart")

    # when
    reading = decode_message(body, _MULTIPART)

    # then
    assert reading == CameraReading(
        protocol=CameraProtocol.HIKVISION,
        serial="24:0f:9b:5a:31:c2",
        plate_text="浙A12345",
        color=PlateColorName.BLUE,
        confidence=0.98,
        taken_at=datetime(2024, 3, 18, 0, 15, 2, tzinfo=UTC),
        event_id="8a3f6c2e-0e4b-4a51-9d3f-6b1d2e7f8a90",
        is_offline=False,
        trigger=Trigger.AUTO,
        raw_ip="192.168.1.64",
        device_name="Entrance A",
        full_image=fixture_bytes("scene.jpg"),
        plate_image=fixture_bytes("plate_blue.jpg"),
    )


def _xml(fixture_bytes: Callable[[str], bytes], old: str = "", new: str = "") -> bytes:
    return fixture_bytes("hikvision_anpr.xml").decode().replace(old, new).encode()


def test_bare_xml_retransmission_is_flagged_offline(fixture_bytes: Callable[[str], bytes]) -> None:
    # given a re-sent alert (network was down) without pictures
    body = _xml(fixture_bytes, "<isDataRetransmission>false", "<isDataRetransmission>true")

    # when
    reading = decode_message(body, "application/xml")

    # then
    assert isinstance(reading, CameraReading)
    assert reading.is_offline is True
    assert reading.full_image is None


@pytest.mark.parametrize(
    ("plate", "color", "expected_plate", "expected_color"),
    [
        ("无车牌", "unknown", None, PlateColorName.UNKNOWN),
        ("沪AD12345", "newEnergyGreen", "沪AD12345", PlateColorName.GREEN),
        ("粤B12345", "yellowGreen", "粤B12345", PlateColorName.YELLOW_GREEN),
        ("京A12345", "white", "京A12345", PlateColorName.WHITE),
    ],
)
def test_plate_and_colour_mapping(
    fixture_bytes: Callable[[str], bytes],
    plate: str,
    color: str,
    expected_plate: str | None,
    expected_color: PlateColorName,
) -> None:
    # given
    body = (
        _xml(fixture_bytes, "<licensePlate>浙A12345", f"<licensePlate>{plate}")
        .decode()
        .replace("<plateColor>blue", f"<plateColor>{color}")
        .encode()
    )

    # when
    reading = decode_message(body, "text/xml")

    # then
    assert isinstance(reading, CameraReading)
    assert (reading.plate_text, reading.color) == (expected_plate, expected_color)


def test_local_time_without_offset_uses_camera_zone(fixture_bytes: Callable[[str], bytes]) -> None:
    # given older firmware that omits the UTC offset
    body = _xml(fixture_bytes, "2024-03-18T08:15:02+08:00", "2024-03-18T08:15:02")

    # when
    reading = decode_message(body, "application/xml")

    # then
    assert isinstance(reading, CameraReading)
    assert reading.taken_at == datetime(2024, 3, 18, 0, 15, 2, tzinfo=UTC)


def test_videoloss_inactive_is_the_heartbeat() -> None:
    # given the ISAPI keep-alive alert
    body = (
        b'<EventNotificationAlert version="2.0" xmlns="http://www.hikvision.com/ver20/XMLSchema">'
        b"<ipAddress>192.168.1.64</ipAddress><portNo>80</portNo><macAddress>24:0F:9B:5A:31:C2</macAddress>"
        b"<dateTime>2024-03-18T08:15:02+08:00</dateTime><eventType>videoloss</eventType>"
        b"<eventState>inactive</eventState><channelName>Entrance A</channelName></EventNotificationAlert>"
    )

    # when
    beat = decode_message(body, "application/xml")

    # then
    assert beat == CameraHeartbeat(
        protocol=CameraProtocol.HIKVISION,
        serial="24:0f:9b:5a:31:c2",
        raw_ip="192.168.1.64",
        device_name="Entrance A",
        port=80,
        camera_time=datetime(2024, 3, 18, 0, 15, 2, tzinfo=UTC),  # the camera's clock: a sample of its offset
    )


_BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    b"<EventNotificationAlert><eventType>&lol2;</eventType></EventNotificationAlert>"
)
_EXTERNAL = (
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b"<EventNotificationAlert><eventType>&xxe;</eventType></EventNotificationAlert>"
)


@pytest.mark.parametrize(
    ("body", "content_type", "code", "message_part"),
    [
        (_BILLION_LAUGHS, "application/xml", PushErrorCode.XML_ENTITIES_REFUSED, "DOCTYPE"),
        (_EXTERNAL, "application/xml", PushErrorCode.XML_ENTITIES_REFUSED, "DOCTYPE"),
        (b"<EventNotificationAlert><eventType>", "application/xml", PushErrorCode.MALFORMED_XML, "not XML"),
        (b"<Other/>", "application/xml", PushErrorCode.UNSUPPORTED_MESSAGE, "got Other"),
        (
            b"<EventNotificationAlert/>",
            "application/xml",
            PushErrorCode.MISSING_FIELD,
            "eventType is missing",
        ),
        (
            b"<EventNotificationAlert><eventType>VMD</eventType></EventNotificationAlert>",
            "application/xml",
            PushErrorCode.UNSUPPORTED_MESSAGE,
            "eventType 'VMD' is not ANPR",
        ),
        (b"{}", "application/json", PushErrorCode.UNSUPPORTED_CONTENT_TYPE, "application/json"),
        (b"garbage", _MULTIPART, PushErrorCode.MALFORMED_MULTIPART, "multipart"),
        (
            b'--MIME_boundary\r\nContent-Disposition: form-data; name="x.jpg"\r\n\r\nabc\r\n--MIME_boundary--\r\n',
            _MULTIPART,
            PushErrorCode.MALFORMED_MULTIPART,
            "no anpr.xml part",
        ),
    ],
)
def test_malformed_alert_is_refused(body: bytes, content_type: str, code: PushErrorCode, message_part: str) -> None:
    # when
    with pytest.raises(CameraPushError) as caught:
        decode_message(body, content_type)

    # then
    assert caught.value.code == code
    assert message_part in caught.value.message


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        ("<confidenceLevel>98", "<confidenceLevel>high", PushErrorCode.WRONG_TYPE),
        ("<confidenceLevel>98", "<confidenceLevel>180", PushErrorCode.BAD_VALUE),
        ("2024-03-18T08:15:02+08:00", "yesterday", PushErrorCode.BAD_VALUE),
        ("<dateTime>2024-03-18T08:15:02+08:00</dateTime>", "", PushErrorCode.MISSING_FIELD),
        ("<isDataRetransmission>false", "<isDataRetransmission>maybe", PushErrorCode.WRONG_TYPE),
    ],
)
def test_bad_alert_fields_are_refused(
    fixture_bytes: Callable[[str], bytes], old: str, new: str, code: PushErrorCode
) -> None:
    # when
    with pytest.raises(CameraPushError) as caught:
        decode_message(_xml(fixture_bytes, old, new), "application/xml")

    # then
    assert caught.value.code == code


def test_oversized_picture_is_refused(fixture_bytes: Callable[[str], bytes]) -> None:
    # when
    with pytest.raises(CameraPushError) as caught:
        decode_message(fixture_bytes("hikvision_anpr.multipart"), _MULTIPART, max_image_bytes=900)

    # then
    assert caught.value.code == PushErrorCode.IMAGE_TOO_LARGE
    assert caught.value.message == "detectionPicture.jpg is 1015 bytes > limit 900"
