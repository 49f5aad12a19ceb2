"""Replies to cameras are byte-exact: open/hold, LED frames as serialData, offline acknowledgements."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from hardware.base import WhitelistEntry
from hardware.cameras import (
    CameraProtocol,
    CameraPushError,
    CameraReading,
    CameraReply,
    EncodedReply,
    PlateColorName,
    encode_reply,
)
from hardware.cameras.hikvision import barrier_request
from hardware.cameras.vzenith import DecodedReply, WhitelistOperation, decode_reply
from hardware.displays.led_frames import RED, DisplayLine, decode_display

# The document's "第一行显示欢迎光临" frame (red, window 0), taken from the vendor example, not our encoder.
_WELCOME_FRAME = bytes.fromhex(
    "00 64 FF FF 62 1B 00 00 01 00 05 00 01 03 00 FF 00 00 00 00 00 00 00 08 00 BB B6 D3 AD B9 E2 C1 D9 58 96"
)


def _reading(*, offline: bool) -> CameraReading:
    return CameraReading(
        protocol=CameraProtocol.VZENITH,
        serial="cam-1",
        plate_text="京A12345",
        color=PlateColorName.BLUE,
        confidence=0.9,
        taken_at=datetime(2026, 1, 1, tzinfo=UTC),
        camera_plate_id=21085,
        is_offline=offline,
    )


def test_vzenith_open_reply_is_byte_exact() -> None:
    # given an online reading the lane lets in, with a welcome line
    reply = CameraReply.for_reading(_reading(offline=False), open=True, lines=(DisplayLine("欢迎光临", color=RED),))

    # when
    encoded = encode_reply(CameraProtocol.VZENITH, reply)

    # then
    data = base64.b64encode(_WELCOME_FRAME).decode()
    assert encoded == EncodedReply(
        body=(
            '{"Response_AlarmInfoPlate":{"info":"ok","plateid":21085,"serialData":'
            f'[{{"serialChannel":0,"data":"{data}","dataLen":35}}]}}}}'
        ).encode(),
        content_type="application/json; charset=utf-8",
        status_code=200,
    )


def test_vzenith_hold_reply_has_no_info() -> None:
    # given a reading the lane holds, without display
    reply = CameraReply.for_reading(_reading(offline=False), open=False)

    # when
    encoded = encode_reply("vzenith", reply)

    # then
    assert encoded.body == b'{"Response_AlarmInfoPlate":{"plateid":21085}}'


def test_vzenith_offline_record_gets_only_continue_push_offline() -> None:
    # given an offline record, even one the rules would "open" with text
    reply = CameraReply.for_reading(_reading(offline=True), open=True, lines=("欢迎",), voice="欢迎")

    # when
    encoded = encode_reply(CameraProtocol.VZENITH, reply)

    # then
    assert encoded.body == b'{"Response_AlarmInfoPlate":{"ContinuePushOffline":{"plateid":21085,"continue":1}}}'


def test_vzenith_offline_reply_without_plate_id_is_refused() -> None:
    # when / then
    with pytest.raises(ValueError, match="needs the record's plate_id"):
        encode_reply(CameraProtocol.VZENITH, CameraReply(offline=True))


def test_vzenith_heartbeat_reply_carries_frames_on_the_chosen_channel() -> None:
    # given a comet-poll answer showing idle text on RS485 channel 1, display address 2
    reply = CameraReply(lines=("车位充足",), voice="欢迎光临", serial_channel=1, display_address=2)

    # when
    decoded = decode_reply(encode_reply(CameraProtocol.VZENITH, reply).body)

    # then
    assert decoded.open is False
    assert decoded.plate_id is None
    assert [channel for channel, _ in decoded.serial_frames] == [1, 1]
    state = decode_display(frame for _, frame in decoded.serial_frames)
    assert state.lines == {0: DisplayLine("车位充足")}
    assert state.voice == ("欢迎光临",)


def test_decode_reply_reads_the_vendor_example() -> None:
    # given the reply a PHP integration sends (vendor FAQ plus serialData from a field install)
    body = (
        b'{"Response_AlarmInfoPlate":{"info":"ok","content":"...","is_pay":"true","serialData":'
        b'[{"serialChannel":0,"data":"AGT//zAUAbu206254sHZLMfryOuzoc2js7WpNg==","dataLen":28}]}}'
    )

    # when
    decoded = decode_reply(body)

    # then
    assert decoded == DecodedReply(
        open=True,
        plate_id=None,
        continue_offline=False,
        serial_frames=((0, base64.b64decode("AGT//zAUAbu206254sHZLMfryOuzoc2js7WpNg==")),),
    )
    assert decode_display([decoded.serial_frames[0][1]]).voice == ("欢迎光临,请入场停车",)


def test_generic_reply_is_byte_exact() -> None:
    # given
    reply = CameraReply(open=True, lines=(DisplayLine("欢迎光临", color=RED),), voice=None)

    # when
    encoded = encode_reply(CameraProtocol.GENERIC, reply)

    # then
    data = base64.b64encode(_WELCOME_FRAME).decode()
    assert (
        encoded.body
        == (f'{{"version":1,"open":true,"lines":["欢迎光临"],"voice":null,"display_frames":["{data}"]}}').encode()
    )


def test_generic_offline_reply_never_opens() -> None:
    # when
    encoded = encode_reply(CameraProtocol.GENERIC, CameraReply(open=True, lines=("x",), offline=True, plate_id=1))

    # then
    assert encoded.body == b'{"version":1,"open":false,"lines":[],"voice":null,"display_frames":[]}'


def test_hikvision_reply_is_the_isapi_ack() -> None:
    # when
    encoded = encode_reply(CameraProtocol.HIKVISION, CameraReply(open=True))

    # then
    assert encoded == EncodedReply(
        body=(
            b'<?xml version="1.0" encoding="UTF-8"?>'
            b'<ResponseStatus version="2.0" xmlns="http://www.isapi.org/ver20/XMLSchema">'
            b"<statusCode>1</statusCode><statusString>OK</statusString><subStatusCode>ok</subStatusCode>"
            b"</ResponseStatus>"
        ),
        content_type="application/xml; charset=utf-8",
    )


def test_hikvision_barrier_request_opens_channel_one() -> None:
    # when / then
    assert barrier_request(True) == (
        "PUT",
        "/ISAPI/Parking/channels/1/barrierGate",
        b'<?xml version="1.0" encoding="UTF-8"?><BarrierGate><ctrlMode>open</ctrlMode></BarrierGate>',
    )


def test_unknown_protocol_is_refused() -> None:
    # when / then
    with pytest.raises(ValueError, match="'dahua' is not a valid CameraProtocol"):
        encode_reply("dahua", CameraReply())


def test_vzenith_poll_reply_carries_a_whitelist_operation_byte_exact() -> None:
    # given a poll answer that adds a monthly pass (Shanghai wall clock) and a permanent VIP plate
    shanghai = ZoneInfo("Asia/Shanghai")
    starts = datetime(2026, 11, 1, 0, 0, tzinfo=shanghai)
    ends = datetime(2026, 11, 30, 23, 59, 59, tzinfo=shanghai)
    reply = CameraReply(
        whitelist=(WhitelistEntry("京A12345", valid_until=ends, valid_from=starts), WhitelistEntry("京V00001"))
    )

    # when
    encoded = encode_reply(CameraProtocol.VZENITH, reply)

    # then the camera gets white_list_operate, add (0), both ends of every entry given
    assert (
        encoded.body
        == (
            '{"Response_AlarmInfoPlate":{"white_list_operate":{"operate_type":0,"white_list_data":['
            '{"plate":"京A12345","enable":1,"need_alarm":0,"enable_time":"2026-11-01 00:00:00",'
            '"overdue_time":"2026-11-30 23:59:59"},'
            '{"plate":"京V00001","enable":1,"need_alarm":0,"enable_time":"2000-01-01 00:00:00",'
            '"overdue_time":"2099-12-31 23:59:59"}]}}}'
        ).encode()
    )
    # and reads it back as it was meant: no opening, the two plates with their times
    decoded = decode_reply(encoded.body)
    assert not decoded.open
    assert decoded.whitelist == WhitelistOperation(0, (("京A12345", starts, ends), ("京V00001", None, None)))


def test_vzenith_whitelist_with_an_unknown_operation_is_refused() -> None:
    body = b'{"Response_AlarmInfoPlate":{"white_list_operate":{"operate_type":7,"white_list_data":[]}}}'
    with pytest.raises(CameraPushError, match="operate_type must be 0 or 1"):
        decode_reply(body)
