"""ISAPI documents in either firmware namespace or none: device info, ResponseStatus and the ANPR alert."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hardware.cameras import CameraPushError, PushErrorCode, isapi_xml
from hardware.cameras.hikvision import decode_message
from hardware.cameras.types import CameraHeartbeat, CameraProtocol, CameraReading


@pytest.mark.parametrize(
    ("name", "firmware"),
    [
        ("hikvision_deviceinfo_hikvision_ns.xml", "V5.5.800 build 210628"),
        ("hikvision_deviceinfo_isapi_ns.xml", "V5.7.3 build 230512"),
        ("hikvision_deviceinfo_no_ns.xml", "V5.5.800 build 210628"),
    ],
)
def test_device_info_reads_the_same_in_every_namespace(
    fixture_bytes: Callable[[str], bytes], name: str, firmware: str
) -> None:
    info = isapi_xml.device_info(fixture_bytes(name))
    assert info == isapi_xml.DeviceInfo(
        device_name="ANPR Entrance",
        device_id="88",
        model="DS-TCG227-A",
        serial_number="DS-TCG227-A20231120CCWRJ12345678",
        mac="24:0f:9b:5a:31:c2",
        firmware=firmware,
    )


@pytest.mark.parametrize(
    ("name", "expected", "described"),
    [
        ("hikvision_responsestatus_ok.xml", (1, True), "1 OK (ok)"),
        ("hikvision_responsestatus_notsupport.xml", (4, False), "4 Invalid Operation (notSupport)"),
        ("hikvision_responsestatus_busy.xml", (2, False), "2 Device Busy (deviceBusy)"),
    ],
)
def test_response_status_is_read_as_the_camera_answered(
    fixture_bytes: Callable[[str], bytes], name: str, expected: tuple[int, bool], described: str
) -> None:
    status = isapi_xml.response_status(fixture_bytes(name))
    assert (status.status_code, status.ok) == expected
    assert status.describe() == described
    assert status.request_url == "/ISAPI/Parking/channels/1/barrierGate"


@pytest.mark.parametrize(
    ("name", "plate"),
    [
        ("hikvision_anpr.xml", "浙A12345"),
        ("hikvision_anpr_hikvision_ns.xml", "浙A67890"),
        ("hikvision_anpr_no_ns.xml", "浙B24680"),
    ],
)
def test_the_anpr_alert_decodes_in_every_namespace_to_the_same_camera(
    fixture_bytes: Callable[[str], bytes], name: str, plate: str
) -> None:
    reading = decode_message(fixture_bytes(name), "application/xml")
    assert isinstance(reading, CameraReading)
    # the MAC in the form registration stores, whatever separators and case the firmware used
    assert (reading.serial, reading.plate_text, reading.confidence) == ("24:0f:9b:5a:31:c2", plate, 0.98)


def test_a_document_in_a_foreign_namespace_is_not_isapi(fixture_bytes: Callable[[str], bytes]) -> None:
    body = fixture_bytes("hikvision_anpr.xml").replace(b"www.isapi.org/ver20", b"example.com/other")
    with pytest.raises(CameraPushError) as refused:
        decode_message(body, "application/xml")
    assert refused.value.code is PushErrorCode.UNSUPPORTED_MESSAGE
    with pytest.raises(isapi_xml.IsapiXmlError, match="namespace"):
        isapi_xml.response_status(b'<ResponseStatus xmlns="urn:x"><statusCode>1</statusCode></ResponseStatus>')


def test_entities_are_refused_in_every_document() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]>'
        b"<ResponseStatus><statusCode>&a;</statusCode></ResponseStatus>"
    )
    for read in (isapi_xml.response_status, isapi_xml.device_info):
        with pytest.raises(isapi_xml.IsapiXmlError) as refused:
            read(bomb)
        assert refused.value.reason == "entities"


@pytest.mark.parametrize(
    ("raw", "mac"),
    [
        ("24:0F:9B:5A:31:C2", "24:0f:9b:5a:31:c2"),
        ("24-0f-9b-5a-31-c2", "24:0f:9b:5a:31:c2"),
        ("240f9b5a31c2", "24:0f:9b:5a:31:c2"),
        ("24:0F:9B", None),
        ("zz:0f:9b:5a:31:c2", None),
        ("", None),
    ],
)
def test_macs_are_normalised_or_refused(raw: str, mac: str | None) -> None:
    assert isapi_xml.normalize_mac(raw) == mac


@given(st.binary(max_size=512))
def test_hostile_bytes_never_escape_as_anything_but_an_isapi_error(data: bytes) -> None:
    for read, kind in (
        (isapi_xml.response_status, isapi_xml.ResponseStatus),
        (isapi_xml.device_info, isapi_xml.DeviceInfo),
    ):
        try:
            result: object = read(data)
        except isapi_xml.IsapiXmlError as err:
            result = err
        assert isinstance(result, kind | isapi_xml.IsapiXmlError)


def test_the_listening_mode_heartbeat_is_a_keep_alive(fixture_bytes: Callable[[str], bytes]) -> None:
    beat = decode_message(fixture_bytes("hikvision_heartbeat.xml"), "application/xml")
    assert beat == CameraHeartbeat(
        protocol=CameraProtocol.HIKVISION,
        serial="24:0f:9b:5a:31:c2",
        raw_ip="192.168.1.64",
        device_name=None,
        port=80,
        # Its dateTime (+08:00) is the camera's clock, sampled for the clock offset.
        camera_time=datetime(2024, 3, 18, 0, 20, 2, tzinfo=UTC),
    )
