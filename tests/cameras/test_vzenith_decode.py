"""Vzenith AlarmInfoPlate pushes and heartbeats decode to neutral readings; bad pushes get typed errors."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hardware.cameras import CameraPushError, PlateColorName, PushErrorCode, Trigger
from hardware.cameras._codec import parse_multipart
from hardware.cameras.types import CameraHeartbeat, CameraProtocol, CameraReading
from hardware.cameras.vzenith import _simple_form, decode_heartbeat, decode_message, decode_push


def test_r5_plate_push_decodes_every_field(fixture_bytes: Callable[[str], bytes]) -> None:
    # given a push captured from an R5 camera (vendor doc example) with both pictures
    body = fixture_bytes("vzenith_r5_plate.json")

    # when
    reading = decode_push(body)

    # then
    assert reading == CameraReading(
        protocol=CameraProtocol.VZENITH,
        serial="fe71e106-57263272",
        plate_text="粤Z9065澳",
        color=PlateColorName.BLACK,
        confidence=0.96,
        taken_at=datetime(2023, 6, 9, 8, 39, 54, 687772, tzinfo=UTC),
        camera_plate_id=21085,
        is_offline=False,
        trigger=Trigger.SOFTWARE,
        raw_ip="192.168.55.131",
        device_name="R5-V1.0",
        full_image=fixture_bytes("scene.jpg"),
        plate_image=fixture_bytes("plate.jpg"),
    )


def test_offline_record_without_plate_is_flagged(fixture_bytes: Callable[[str], bytes]) -> None:
    # given an offline replay of a vehicle the camera saw without a plate
    body = fixture_bytes("vzenith_ivs_offline_noplate.json")

    # when
    reading = decode_push(body)

    # then
    assert reading.is_offline is True
    assert reading.plate_text is None
    assert reading.has_plate is False
    assert reading.camera_plate_id == 123
    assert reading.color == PlateColorName.UNKNOWN
    assert reading.confidence == 0.0
    assert reading.taken_at == datetime(2018, 6, 8, 2, 26, 28, 672241, tzinfo=UTC)
    assert reading.full_image is None
    assert reading.plate_image is None


def test_heartbeat_form_decodes_and_drops_the_camera_password(fixture_bytes: Callable[[str], bytes]) -> None:
    # given the documented device-registration heartbeat
    body = fixture_bytes("vzenith_ivs_heartbeat.multipart")
    content_type = "multipart/form-data; boundary=------------------------caa771fe4a61f3d9"

    # when
    beat = decode_message(body, content_type)

    # then
    assert beat == CameraHeartbeat(
        protocol=CameraProtocol.VZENITH,
        serial="d85b1269-8f942256",
        raw_ip="192.168.109.40",
        device_name="IVS",
        port=80,
    )


def test_urlencoded_heartbeat_decodes() -> None:
    # given
    body = b"device_name=IVS&ipaddr=10.1.1.9&port=8080&serialno=abc-123&channel_num=1"

    # when
    beat = decode_heartbeat(body, "application/x-www-form-urlencoded")

    # then
    assert (beat.serial, beat.raw_ip, beat.port) == ("abc-123", "10.1.1.9", 8080)


def test_timestamp_falls_back_to_local_fields_in_camera_zone() -> None:
    # given a clone that sends only the wall-clock fields (Beijing time)
    doc = _minimal()
    doc["AlarmInfoPlate"]["result"]["PlateResult"]["timeStamp"]["Timeval"] = {
        "decyear": 2024, "decmon": 2, "decday": 10, "dechour": 0, "decmin": 5, "decsec": 1, "usec": 0,
    }  # fmt: skip

    # when
    reading = decode_push(_dump(doc))

    # then
    assert reading.taken_at == datetime(2024, 2, 9, 16, 5, 1, tzinfo=UTC)


def _minimal() -> dict[str, Any]:
    return {
        "AlarmInfoPlate": {
            "serialno": "cam-1",
            "result": {
                "PlateResult": {
                    "license": "京A12345",
                    "colorType": 1,
                    "confidence": 90,
                    "plateid": 7,
                    "isoffline": 0,
                    "triggerType": 1,
                    "timeStamp": {"Timeval": {"sec": 1700000000, "usec": 0}},
                    "imageFile": "",
                    "imageFragmentFile": "",
                }
            },
        }
    }


def _dump(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc, ensure_ascii=False).encode()


def _with(path: str, value: Any) -> bytes:
    doc = _minimal()
    target = doc["AlarmInfoPlate"]
    *parents, last = path.split(".")
    for key in parents:
        target = target[key]
    if value is _DELETE:
        del target[last]
    else:
        target[last] = value
    return _dump(doc)


_DELETE = object()
_PR = "result.PlateResult"
_PATH = "AlarmInfoPlate.result.PlateResult"


@pytest.mark.parametrize(
    ("body", "code", "message_part"),
    [
        (b"{not json", PushErrorCode.MALFORMED_JSON, "body is not JSON"),
        (b"\xff\xfe", PushErrorCode.MALFORMED_JSON, "body is not JSON"),
        (b"[1, 2]", PushErrorCode.WRONG_TYPE, "body must be a JSON object, got list"),
        (b'{"AlarmGioIn": {}}', PushErrorCode.UNSUPPORTED_MESSAGE, "expected AlarmInfoPlate, got AlarmGioIn"),
        (b"[" * 100_000 + b"]" * 100_000, PushErrorCode.MALFORMED_JSON, "body is not JSON"),
        (b'{"a": ' + b"9" * 5000 + b"}", PushErrorCode.MALFORMED_JSON, "body is not JSON"),
        (_with("serialno", _DELETE), PushErrorCode.MISSING_FIELD, "AlarmInfoPlate.serialno is missing"),
        (_with("serialno", 12), PushErrorCode.WRONG_TYPE, "AlarmInfoPlate.serialno must be string, got int"),
        (_with("serialno", "  "), PushErrorCode.BAD_VALUE, "AlarmInfoPlate.serialno is empty"),
        (_with("result", []), PushErrorCode.WRONG_TYPE, "AlarmInfoPlate.result must be object, got list"),
        (_with(f"{_PR}.license", _DELETE), PushErrorCode.MISSING_FIELD, "PlateResult.license is missing"),
        (_with(f"{_PR}.license", None), PushErrorCode.MISSING_FIELD, "PlateResult.license is missing"),
    ],
)  # fmt: skip
def test_malformed_push_is_refused_with_its_code(body: bytes, code: PushErrorCode, message_part: str) -> None:
    # when
    with pytest.raises(CameraPushError) as caught:
        decode_push(body)

    # then
    assert caught.value.code == code
    assert message_part in caught.value.message


@pytest.mark.parametrize(
    ("body", "dropped"),
    [
        (_with(f"{_PR}.colorType", 9), ()),
        (_with(f"{_PR}.colorType", "blue"), ("colorType: wrong_type",)),
        (_with(f"{_PR}.confidence", 101), ("confidence: bad_value",)),
        (_with(f"{_PR}.confidence", True), ("confidence: wrong_type",)),
        (_with(f"{_PR}.plateid", 1.5), ("plateid: wrong_type",)),
        (_with(f"{_PR}.plateid", "²"), ("plateid: wrong_type",)),
        (_with(f"{_PR}.timeStamp", _DELETE), ("timeStamp: missing_field",)),
        (_with(f"{_PR}.timeStamp", {"Timeval": {"sec": 1700000000, "usec": 2_000_000}}), ("timeStamp: bad_value",)),
        (
            _with(f"{_PR}.timeStamp", {"Timeval": {"decyear": 2024, "decmon": 13, "decday": 1, "dechour": 0,
                                                   "decmin": 0, "decsec": 0}}),
            ("timeStamp: bad_value",),
        ),
        (_with(f"{_PR}.imageFile", "not base64!"), ("imageFile: bad_base64",)),
        (_with(f"{_PR}.imageFragmentFile", "QUJ"), ("imageFragmentFile: bad_base64",)),
        (_with(f"{_PR}.imageFile", 5), ("imageFile: wrong_type",)),
    ],
)  # fmt: skip
def test_a_bad_field_costs_the_field_not_the_reading(body: bytes, dropped: tuple[str, ...]) -> None:
    # when
    reading = decode_push(body, received_at=datetime(2026, 1, 1, tzinfo=UTC))

    # then the reading stands, with the fields it lost named
    assert reading.serial == _minimal()["AlarmInfoPlate"]["serialno"]
    assert reading.plate_text == _minimal()["AlarmInfoPlate"]["result"]["PlateResult"]["license"]
    assert reading.dropped == dropped
    if "colorType" in str(body) and not dropped:
        assert reading.color == PlateColorName.UNKNOWN


def test_a_non_zero_offline_flag_is_offline() -> None:
    # An offline record mistaken for a live car would open the barrier for a car long gone.
    assert decode_push(_with(f"{_PR}.isoffline", 2)).is_offline


def test_an_oversized_image_is_dropped_before_decoding() -> None:
    # given a 4 KiB picture and a 1 KiB limit
    body = _with(f"{_PR}.imageFile", base64.b64encode(bytes(4096)).decode())

    # when
    reading = decode_push(body, max_image_bytes=1024)

    # then the picture is gone, the reading stays
    assert reading.full_image is None
    assert reading.dropped == ("imageFile: image_too_large",)


def test_image_at_the_limit_is_accepted() -> None:
    # given
    body = _with(f"{_PR}.imageFile", base64.b64encode(bytes(1024)).decode())

    # when
    reading = decode_push(body, max_image_bytes=1024)

    # then
    assert reading.full_image == bytes(1024)


def test_oversized_body_is_refused() -> None:
    # when
    with pytest.raises(CameraPushError) as caught:
        decode_push(_dump(_minimal()), max_body_bytes=100)

    # then
    assert caught.value.code == PushErrorCode.BODY_TOO_LARGE


def test_line_wrapped_base64_is_accepted() -> None:
    # given firmware that wraps base64 at 76 columns
    encoded = base64.encodebytes(bytes(range(200))).decode()

    # when
    reading = decode_push(_with(f"{_PR}.imageFile", encoded))

    # then
    assert reading.full_image == bytes(range(200))


def test_heartbeat_without_serial_is_refused() -> None:
    # when
    with pytest.raises(CameraPushError) as caught:
        decode_heartbeat(b"device_name=IVS", "application/x-www-form-urlencoded")

    # then
    assert caught.value.code == PushErrorCode.MISSING_FIELD


def test_heartbeat_with_wrong_content_type_is_refused() -> None:
    # when
    with pytest.raises(CameraPushError) as caught:
        decode_heartbeat(b"serialno=1", "text/plain")

    # then
    assert caught.value.code == PushErrorCode.UNSUPPORTED_CONTENT_TYPE


def test_string_numbers_from_clones_are_accepted() -> None:
    # when
    reading = decode_push(_with(f"{_PR}.plateid", "42"))

    # then
    assert reading.camera_plate_id == 42


_FIELD_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20).map(str.strip)


@given(fields=st.dictionaries(st.from_regex(r"[a-z_]{1,12}", fullmatch=True), _FIELD_TEXT, min_size=1, max_size=8))
def test_the_quick_form_reader_reads_what_the_email_parser_reads(fields: dict[str, str]) -> None:
    # given a heartbeat form as the camera writes it
    body = "".join(f'--bnd\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n' for k, v in fields.items())
    raw = (body + "--bnd--\r\n").encode("utf-8")
    content_type = "multipart/form-data; boundary=bnd"

    # when both readers read it, then they agree
    assert _simple_form(raw, content_type) == {
        part.name: part.data.decode("utf-8").strip() for part in parse_multipart(raw, content_type) if part.name
    }
