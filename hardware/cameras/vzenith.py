"""Vzenith (臻识) HTTP push protocol, spoken by most Chinese plate cameras: decode pushes, encode replies."""

from __future__ import annotations

import base64
import json
import logging
import math
import re
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from enum import StrEnum
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from hardware.base import WhitelistEntry
from hardware.cameras._codec import (
    check_body_size,
    decode_image,
    display_frames,
    image_or_problem,
    load_json_object,
    media_type,
    parse_multipart,
)
from hardware.cameras.types import (
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_MAX_IMAGE_BYTES,
    CameraEvent,
    CameraHeartbeat,
    CameraProtocol,
    CameraPushError,
    CameraReading,
    CameraReply,
    EncodedReply,
    EventKind,
    PlateColorName,
    PushErrorCode,
    Trigger,
)

logger = logging.getLogger(__name__)

CONTENT_TYPE = "application/json; charset=utf-8"
# The camera's own marker for "vehicle without plate"; we map it to plate_text=None.
NO_PLATE_LICENSE = "_无_"
DEFAULT_CAMERA_TZ = ZoneInfo("Asia/Shanghai")

COLOR_CODES: Mapping[int, PlateColorName] = {
    0: PlateColorName.UNKNOWN,
    1: PlateColorName.BLUE,
    2: PlateColorName.YELLOW,
    3: PlateColorName.WHITE,
    4: PlateColorName.BLACK,
    5: PlateColorName.GREEN,
    6: PlateColorName.YELLOW_GREEN,
}
TRIGGER_CODES: Mapping[int, Trigger] = {
    1: Trigger.AUTO,
    2: Trigger.IO,
    4: Trigger.SOFTWARE,
    8: Trigger.VIRTUAL_LOOP,
    64: Trigger.VEHICLE_STAYING,
    65: Trigger.VEHICLE_STAY_ENDED,
    66: Trigger.VEHICLE_REVERSED,
}


def _fail(code: PushErrorCode, message: str) -> CameraPushError:
    return CameraPushError(code, message)


def _get(obj: Mapping[str, Any], key: str, kind: type | tuple[type, ...], path: str, *, required: bool) -> Any:
    if key not in obj or obj[key] is None:
        if required:
            raise _fail(PushErrorCode.MISSING_FIELD, f"{path}.{key} is missing")
        return None
    value = obj[key]
    # bool is an int in Python; a camera sending true for a number is still wrong.
    if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
        raise _fail(PushErrorCode.WRONG_TYPE, f"{path}.{key} must be {_kind_name(kind)}, got bool")
    if not isinstance(value, kind):
        raise _fail(PushErrorCode.WRONG_TYPE, f"{path}.{key} must be {_kind_name(kind)}, got {type(value).__name__}")
    return value


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {int: "integer", str: "string", dict: "object", list: "array", bool: "boolean", float: "number"}
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def _int(obj: Mapping[str, Any], key: str, path: str, *, required: bool = False) -> int | None:
    # Some clones send numbers as strings ("ionum": "0"); accept digits, refuse anything else.
    value = _get(obj, key, (int, str), path, required=required)
    if isinstance(value, str):
        number = _int_text(value)
        if number is None:
            raise _fail(PushErrorCode.WRONG_TYPE, f"{path}.{key} must be an integer, got {value[:40]!r}")
        return number
    return value  # type: ignore[no-any-return]


def _int_text(text: str) -> int | None:
    """A number written as ASCII digits (clones send "ionum": "0"); None for anything else ("²" is a digit to
    str.isdigit but no number to int)."""
    text = text.strip()
    digits = text[1:] if text.startswith("-") else text
    if not digits or len(digits) > 19 or not (digits.isascii() and digits.isdigit()):
        return None
    return int(text)


def _load_json(body: bytes, max_body_bytes: int) -> dict[str, Any]:
    return load_json_object(body, max_body_bytes)


def _lenient_int(obj: Mapping[str, Any], key: str, dropped: list[str]) -> int | None:
    """An optional number read leniently: digits in a string and integral floats are numbers; anything else is
    noted in ``dropped`` and read as absent."""
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, bool):
        dropped.append(f"{key}: {PushErrorCode.WRONG_TYPE}")
        return None
    number: int | None = None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and math.isfinite(value) and value.is_integer():
        number = int(value)
    elif isinstance(value, str):
        number = _int_text(value)
    if number is not None and -(2**63) <= number < 2**63:  # what a database integer column can hold
        return number
    dropped.append(f"{key}: {PushErrorCode.WRONG_TYPE}")
    return None


def _lenient_str(obj: Mapping[str, Any], key: str) -> str | None:
    value = obj.get(key)
    return value if isinstance(value, str) else None


def _taken_at(result: Mapping[str, Any], camera_tz: tzinfo) -> datetime:
    path = "AlarmInfoPlate.result.PlateResult.timeStamp"
    stamp = _get(result, "timeStamp", dict, "AlarmInfoPlate.result.PlateResult", required=True)
    timeval = _get(stamp, "Timeval", dict, path, required=True)
    sec = _int(timeval, "sec", f"{path}.Timeval")
    usec = _int(timeval, "usec", f"{path}.Timeval") or 0
    if not 0 <= usec < 1_000_000:
        raise _fail(PushErrorCode.BAD_VALUE, f"{path}.Timeval.usec {usec} is not in 0..999999")
    if sec is not None:
        # sec is a true UNIX time; the dec* fields are the camera's local wall clock and only a fallback.
        try:
            return datetime.fromtimestamp(sec, UTC).replace(microsecond=usec)
        except (OverflowError, OSError, ValueError) as exc:
            raise _fail(PushErrorCode.BAD_VALUE, f"{path}.Timeval.sec {sec} is not a time") from exc
    year, month, day, hour, minute, second = (
        _int(timeval, name, f"{path}.Timeval", required=True) or 0
        for name in ("decyear", "decmon", "decday", "dechour", "decmin", "decsec")
    )
    try:
        local = datetime(year, month, day, hour, minute, second, usec, tzinfo=camera_tz)
    except (ValueError, OverflowError) as exc:
        raise _fail(PushErrorCode.BAD_VALUE, f"{path}.Timeval dec* fields are not a date: {exc}") from exc
    return local.astimezone(UTC)


def decode_push(
    body: bytes | dict[str, Any],
    *,
    max_image_bytes: int = DEFAULT_MAX_IMAGE_BYTES,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    camera_tz: tzinfo = DEFAULT_CAMERA_TZ,
    received_at: datetime | None = None,
) -> CameraReading:
    """Decode an ``AlarmInfoPlate`` push into a CameraReading, or raise CameraPushError.

    Only what makes a reading is required (``serialno``, ``result.PlateResult`` and its ``license``); any other
    field that is wrong is left out and named in ``CameraReading.dropped``, so one bad field (a picture over the
    limit, a colour code newer than this table, a number sent as a word) never costs the car its reading. A
    timestamp that cannot be read becomes ``received_at`` (default: now).
    """
    doc = body if isinstance(body, dict) else _load_json(body, max_body_bytes)
    if "AlarmInfoPlate" not in doc:
        kinds = ", ".join(sorted(doc)) or "nothing"
        raise _fail(PushErrorCode.UNSUPPORTED_MESSAGE, f"expected AlarmInfoPlate, got {kinds}")
    alarm = _get(doc, "AlarmInfoPlate", dict, "body", required=True)
    serial = _get(alarm, "serialno", str, "AlarmInfoPlate", required=True)
    if not serial.strip():
        raise _fail(PushErrorCode.BAD_VALUE, "AlarmInfoPlate.serialno is empty")
    result_wrapper = _get(alarm, "result", dict, "AlarmInfoPlate", required=True)
    path = "AlarmInfoPlate.result.PlateResult"
    result = _get(result_wrapper, "PlateResult", dict, "AlarmInfoPlate.result", required=True)

    license_text = _get(result, "license", str, path, required=True).strip()
    plate_text = None if license_text in (NO_PLATE_LICENSE, "") else license_text

    dropped: list[str] = []
    # A colour code newer than the table (firmware adds them) is a reading of unknown colour, not an error.
    color = COLOR_CODES.get(_lenient_int(result, "colorType", dropped) or 0, PlateColorName.UNKNOWN)
    confidence = _lenient_int(result, "confidence", dropped) or 0
    if not 0 <= confidence <= 100:
        dropped.append(f"confidence: {PushErrorCode.BAD_VALUE}")
        confidence = min(max(confidence, 0), 100)
    # Any non-zero flag is offline: a record mistaken for a live car would open for a car long gone.
    is_offline = (_lenient_int(result, "isoffline", dropped) or 0) != 0
    trigger_code = _lenient_int(result, "triggerType", dropped)
    plate_id = _lenient_int(result, "plateid", dropped)
    try:
        taken_at = _taken_at(result, camera_tz)
    except CameraPushError as err:
        dropped.append(f"timeStamp: {err.code}")
        taken_at = received_at or datetime.now(UTC)
    full_image, problem = image_or_problem(result.get("imageFile"), "imageFile", max_image_bytes)
    dropped.extend([problem] if problem else [])
    plate_image, problem = image_or_problem(result.get("imageFragmentFile"), "imageFragmentFile", max_image_bytes)
    dropped.extend([problem] if problem else [])
    return CameraReading(
        protocol=CameraProtocol.VZENITH,
        serial=serial.strip()[:64],
        plate_text=plate_text,
        color=color,
        confidence=confidence / 100,
        taken_at=taken_at,
        camera_plate_id=plate_id,
        is_offline=is_offline,
        trigger=TRIGGER_CODES.get(trigger_code or 0, Trigger.UNKNOWN),
        raw_ip=_lenient_str(alarm, "ipaddr"),
        device_name=_lenient_str(alarm, "deviceName"),
        full_image=full_image,
        plate_image=plate_image,
        dropped=tuple(dropped),
    )


def _small(number: int | None) -> int | None:
    """An IO input, level or port number: anything beyond 0..65535 is no such thing."""
    return number if number is not None and 0 <= number <= 65535 else None


def _serial_in(doc: Mapping[str, Any]) -> str:
    """The device serial of any message: top level, or one object down (where every known message keeps it)."""
    candidates = [doc.get("serialno")] + [v.get("serialno") for v in doc.values() if isinstance(v, dict)]
    for value in candidates:
        if isinstance(value, str) and value.strip():
            return value.strip()[:64]
    return ""


def decode_event(doc: Mapping[str, Any], *, max_image_bytes: int = DEFAULT_MAX_IMAGE_BYTES) -> CameraEvent:
    """Any JSON message that is not a plate result, read leniently: ``AlarmGioIn`` (an IO input changed: the
    loop detector), ``SerialData`` (RS485 bytes), ``TriggerImage`` (a snapshot), or a type of newer firmware."""
    serial = _serial_in(doc)
    ignored: list[str] = []
    gio = doc.get("AlarmGioIn")
    if isinstance(gio, dict):
        result = gio.get("result")
        trigger = result.get("TriggerResult") if isinstance(result, dict) else None
        trigger = trigger if isinstance(trigger, dict) else {}
        return CameraEvent(
            protocol=CameraProtocol.VZENITH,
            kind=EventKind.IO_INPUT,
            serial=serial,
            raw_ip=_lenient_str(gio, "ipaddr"),
            io_input=_small(_lenient_int(trigger, "source", ignored)),
            io_value=_small(_lenient_int(trigger, "value", ignored)),
        )
    serial_data = doc.get("SerialData")
    if isinstance(serial_data, dict):
        data, _ = image_or_problem(serial_data.get("data"), "data", 64 * 1024)
        return CameraEvent(
            protocol=CameraProtocol.VZENITH,
            kind=EventKind.SERIAL_DATA,
            serial=serial,
            raw_ip=_lenient_str(serial_data, "ipaddr"),
            channel=_small(_lenient_int(serial_data, "serialChannel", ignored)),
            data=data,
        )
    snapshot = doc.get("TriggerImage")
    if isinstance(snapshot, dict):
        image, _ = image_or_problem(snapshot.get("imageFile"), "imageFile", max_image_bytes)
        return CameraEvent(
            protocol=CameraProtocol.VZENITH,
            kind=EventKind.SNAPSHOT,
            serial=serial,
            raw_ip=_lenient_str(doc, "ipaddr"),
            data=image,
        )
    return CameraEvent(
        protocol=CameraProtocol.VZENITH,
        kind=EventKind.UNKNOWN,
        serial=serial,
        raw_ip=_lenient_str(doc, "ipaddr"),
        names=tuple(sorted(str(k)[:32] for k in doc)[:8]),
    )


def peek_offline_plate_id(body: bytes) -> tuple[bool, int | None]:
    """(is an offline record, its plateid) of a push that did not decode, so its acknowledgement still goes out
    and the camera's backlog moves on; (False, None) when the body says nothing of the kind."""
    try:
        doc = json.loads(body)
    except (ValueError, RecursionError):
        return False, None
    alarm = doc.get("AlarmInfoPlate") if isinstance(doc, dict) else None
    result = alarm.get("result") if isinstance(alarm, dict) else None
    plate = result.get("PlateResult") if isinstance(result, dict) else None
    if not isinstance(plate, dict):
        return False, None
    ignored: list[str] = []
    return (_lenient_int(plate, "isoffline", ignored) or 0) != 0, _lenient_int(plate, "plateid", ignored)


def _form_fields(body: bytes, content_type: str) -> dict[str, str]:
    kind = media_type(content_type)
    if kind == "application/x-www-form-urlencoded":
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _fail(PushErrorCode.MALFORMED_MULTIPART, f"form body is not UTF-8: {exc}") from exc
        return {k: v[0] for k, v in urllib.parse.parse_qs(text, keep_blank_values=True).items()}
    fast = _simple_form(body, content_type)
    if fast is not None:
        return fast
    fields: dict[str, str] = {}
    for part in parse_multipart(body, content_type):
        if part.name:
            fields[part.name] = part.data.decode("utf-8", errors="replace").strip()
    return fields


_BOUNDARY = re.compile(r'boundary="?([^";]{1,200})"?', re.IGNORECASE)
_FIELD_NAME = re.compile(rb'^content-disposition:\s*form-data;\s*name="([^"]{1,64})"\s*$', re.IGNORECASE)


def _simple_form(body: bytes, content_type: str) -> dict[str, str] | None:
    """The heartbeat's few text fields, split without the email parser (a comet camera sends one per poll, and
    the parser costs milliseconds); None when the body is anything but plain fields, for the full parser."""
    match = _BOUNDARY.search(content_type)
    if match is None:
        return None
    delimiter = b"--" + match.group(1).encode("latin-1")
    chunks = body.split(delimiter)
    if len(chunks) < 3 or chunks[-1].strip() not in (b"--", b""):
        return None
    fields: dict[str, str] = {}
    for chunk in chunks[1:-1]:
        chunk = chunk.removeprefix(b"\r\n").removesuffix(b"\r\n")
        head, sep, value = chunk.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        name = _FIELD_NAME.match(lines[0]) if sep and len(lines) == 1 else None
        if name is None:
            return None
        fields[name.group(1).decode("utf-8", errors="replace")] = value.decode("utf-8", errors="replace").strip()
    return fields


def decode_heartbeat(
    body: bytes, content_type: str, *, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
) -> CameraHeartbeat:
    """Decode the device-registration heartbeat (form-data: device_name, ipaddr, port, serialno...)."""
    check_body_size(body, max_body_bytes)
    fields = _form_fields(body, content_type)
    serial = fields.get("serialno", "").strip()[:64]
    if not serial:
        raise _fail(PushErrorCode.MISSING_FIELD, "heartbeat field serialno is missing")
    port_text = fields.get("port")
    # A port that is no number costs the port, not the heartbeat (the camera is alive whatever it says).
    port = _int_text(port_text) if port_text else None
    # user_name/pass_wd are the camera's own web login: never kept.
    return CameraHeartbeat(
        protocol=CameraProtocol.VZENITH,
        serial=serial,
        raw_ip=fields.get("ipaddr") or None,
        device_name=fields.get("device_name") or None,
        port=port if port is not None and 0 < port < 65536 else None,
    )


def decode_message(
    body: bytes,
    content_type: str,
    *,
    max_image_bytes: int = DEFAULT_MAX_IMAGE_BYTES,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    camera_tz: tzinfo = DEFAULT_CAMERA_TZ,
    received_at: datetime | None = None,
) -> CameraReading | CameraHeartbeat | CameraEvent:
    """A heartbeat (form), a plate push or any other message (JSON) from the same URL, told apart by content
    type and then by the message's top-level key."""
    kind = media_type(content_type)
    if kind.startswith("multipart/") or kind == "application/x-www-form-urlencoded":
        return decode_heartbeat(body, content_type, max_body_bytes=max_body_bytes)
    doc = _load_json(body, max_body_bytes)
    if "AlarmInfoPlate" in doc:
        return decode_push(doc, max_image_bytes=max_image_bytes, camera_tz=camera_tz, received_at=received_at)
    return decode_event(doc, max_image_bytes=max_image_bytes)


def _dumps(doc: Mapping[str, Any]) -> bytes:
    # Compact, key order as written, UTF-8 (the protocol is UTF-8 throughout): byte-stable for tests.
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def encode_reply(reply: CameraReply) -> EncodedReply:
    """``Response_AlarmInfoPlate``: ``info: "ok"`` opens, display/voice frames go out as ``serialData``."""
    if reply.offline:
        if reply.plate_id is None:
            raise ValueError("an offline record reply needs the record's plate_id")
        # An offline record is history: acknowledge it and ask for the next one; never open or display.
        ack = {"ContinuePushOffline": {"plateid": reply.plate_id, "continue": 1}}
        return EncodedReply(_dumps({"Response_AlarmInfoPlate": ack}), CONTENT_TYPE)
    response: dict[str, Any] = {}
    if reply.open:
        response["info"] = "ok"
    if reply.plate_id is not None:
        response["plateid"] = reply.plate_id
    frames = display_frames(reply)
    if frames:
        response["serialData"] = [
            {
                "serialChannel": reply.serial_channel,
                "data": base64.b64encode(frame).decode("ascii"),
                "dataLen": len(frame),
            }
            for frame in frames
        ]
    if reply.open and reply.io_output is not None:
        # 2.6.6 IO控制: value 2 closes the output, waits ``delay`` ms and opens it again (one barrier pulse).
        response["ivs_ioctrl"] = {"delay": reply.io_pulse_ms, "io": reply.io_output, "value": IO_PULSE}
    if reply.speaker and reply.voice:
        # 2.6.5 系统预置语音播报: the camera's own speaker says the text (base64 of UTF-8).
        response["playserver_json_request"] = {
            "type": "ps_voice_play",
            "voice": base64.b64encode(reply.voice.encode("utf-8")).decode("ascii"),
            "voice_interval": 0,
            "voice_volume": 100,
            "voice_male": 1,
        }
    if reply.whitelist:
        response["white_list_operate"] = {
            "operate_type": WHITELIST_ADD,
            "white_list_data": [_whitelist_row(entry) for entry in reply.whitelist],
        }
    return EncodedReply(_dumps({"Response_AlarmInfoPlate": response}), CONTENT_TYPE)


# ``ivs_ioctrl.value``: 0 opens the output, 1 closes it, 2 closes it for ``delay`` ms then opens it.
IO_PULSE = 2


class HeartbeatMode(StrEnum):
    """What the camera's 设备注册 setting is: how it polls, and so how commands reach it."""

    AUTO = "auto"  # told apart by the camera's behaviour: a poll right after our answer is comet
    COMET = "comet"  # comet 轮询: acts on the reply to each poll, polls again at once -> held until work is due
    NORMAL = "normal"  # 普通心跳: every 5-30 s, ignores the reply -> commands ride on push replies or relays
    OFF = "off"  # 取消心跳


class VzenithSetup(BaseModel):
    """How a Vzenith camera is set up: its heartbeat mode and what its replies drive. The registrable config
    (``hardware.cameras.configs.VzenithCameraConfig``) and the push path's tolerant reader share these fields."""

    heartbeat: HeartbeatMode = HeartbeatMode.AUTO
    # How long a comet poll is held when no command is due; below the camera's HTTP timeout setting.
    comet_hold_s: float = Field(default=20.0, ge=1.0, le=60.0)
    # The IO output wired to the barrier (ivs_ioctrl); None when only ``info: "ok"`` should drive it.
    io_output: int | None = Field(default=0, ge=0, le=3)
    io_pulse_ms: int = Field(default=500, ge=100, le=600_000)
    # A camera with a speaker of its own (voice by playserver_json_request besides the LED card's voice).
    speaker: bool = False
    serial_channel: int = Field(default=0, ge=0, le=1)


class VzenithConfig(VzenithSetup):
    """A Vzenith camera's stored device ``config`` as the push path reads it: unknown keys are ignored so that
    a registration config written for other purposes still reads."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    type: Literal["vzenith"] = "vzenith"

    @classmethod
    def of(cls, stored: Mapping[str, Any] | None) -> VzenithConfig:
        """The stored config read tolerantly: a bad value falls back to the default, never fails a push."""
        values = {k: v for k, v in (stored or {}).items() if k in cls.model_fields and k != "type"}
        try:
            return cls.model_validate(values)
        except ValidationError:
            good = {}
            for key, value in values.items():
                try:
                    cls.model_validate({key: value})
                except ValidationError:
                    continue
                good[key] = value
            return cls.model_validate(good)

    def delivery(self, mode: HeartbeatMode | None = None) -> str:
        """How commands reach this camera, in the words the device page shows."""
        mode = mode or self.heartbeat
        if mode is HeartbeatMode.COMET:
            return "comet: commands go out in the reply to the held poll"
        if mode is HeartbeatMode.AUTO:
            return "auto: comet once the camera polls back at once, else as normal"
        return "normal: commands go out with the reply to the next push, or through the lane's relay barrier"


# ``white_list_operate.operate_type``: 0 adds (or updates) the listed plates, 1 deletes them.
WHITELIST_ADD = 0
WHITELIST_DELETE = 1
_CAMERA_TIME = "%Y-%m-%d %H:%M:%S"
# The camera wants both ends of every entry: "since always" and "for ever" are written as these.
_SINCE_ALWAYS = "2000-01-01 00:00:00"
_FOR_EVER = "2099-12-31 23:59:59"


def _whitelist_row(entry: WhitelistEntry) -> dict[str, Any]:
    return {
        "plate": entry.plate,
        "enable": 1,
        "need_alarm": 0,
        "enable_time": entry.valid_from.strftime(_CAMERA_TIME) if entry.valid_from else _SINCE_ALWAYS,
        "overdue_time": entry.valid_until.strftime(_CAMERA_TIME) if entry.valid_until else _FOR_EVER,
    }


@dataclass(frozen=True, slots=True)
class WhitelistOperation:
    """A ``white_list_operate`` as the camera reads it; times are its wall clock in ``DEFAULT_CAMERA_TZ``."""

    operate_type: int
    entries: tuple[tuple[str, datetime | None, datetime | None], ...]  # plate, enable_time, overdue_time


@dataclass(frozen=True, slots=True)
class DecodedReply:
    """A server reply as the camera reads it (used by the simulator and tests)."""

    open: bool
    plate_id: int | None
    continue_offline: bool
    serial_frames: tuple[tuple[int, bytes], ...]
    whitelist: WhitelistOperation | None = None
    io_pulse: tuple[int, int, int] | None = None  # ivs_ioctrl (io, value, delay)
    voice: str | None = None  # playserver_json_request text


def _camera_time(row: Mapping[str, Any], key: str, path: str) -> datetime | None:
    text = _get(row, key, str, path, required=False)
    if text is None or text in (_SINCE_ALWAYS, _FOR_EVER):
        return None
    try:
        # The camera's wall clock, read in the zone cameras are set to.
        return datetime.strptime(text, _CAMERA_TIME).replace(tzinfo=DEFAULT_CAMERA_TZ)
    except ValueError:
        raise _fail(PushErrorCode.BAD_VALUE, f"{path}.{key}: not YYYY-MM-DD HH:MM:SS") from None


def _decode_whitelist(response: Mapping[str, Any]) -> WhitelistOperation | None:
    path = "Response_AlarmInfoPlate.white_list_operate"
    op = _get(response, "white_list_operate", dict, "Response_AlarmInfoPlate", required=False)
    if op is None:
        return None
    kind = _int(op, "operate_type", path, required=True)
    if kind not in (WHITELIST_ADD, WHITELIST_DELETE):
        raise _fail(PushErrorCode.BAD_VALUE, f"{path}.operate_type must be 0 or 1")
    rows = []
    for i, row in enumerate(_get(op, "white_list_data", list, path, required=True)):
        where = f"{path}.white_list_data[{i}]"
        if not isinstance(row, dict):
            raise _fail(PushErrorCode.WRONG_TYPE, f"{where} must be an object")
        plate = _get(row, "plate", str, where, required=True)
        rows.append((plate, _camera_time(row, "enable_time", where), _camera_time(row, "overdue_time", where)))
    return WhitelistOperation(int(kind), tuple(rows))


def decode_reply(body: bytes) -> DecodedReply:
    """Read a ``Response_AlarmInfoPlate`` reply the way a camera does."""
    doc = _load_json(body, DEFAULT_MAX_BODY_BYTES)
    response = _get(doc, "Response_AlarmInfoPlate", dict, "body", required=True)
    info = _get(response, "info", str, "Response_AlarmInfoPlate", required=False)
    ack = _get(response, "ContinuePushOffline", dict, "Response_AlarmInfoPlate", required=False) or {}
    frames: list[tuple[int, bytes]] = []
    for i, item in enumerate(_get(response, "serialData", list, "Response_AlarmInfoPlate", required=False) or []):
        path = f"Response_AlarmInfoPlate.serialData[{i}]"
        if not isinstance(item, dict):
            raise _fail(PushErrorCode.WRONG_TYPE, f"{path} must be an object")
        data = decode_image(_get(item, "data", str, path, required=True), f"{path}.data", 64 * 1024) or b""
        length = _int(item, "dataLen", path)
        if length is not None and length != len(data):
            raise _fail(PushErrorCode.BAD_VALUE, f"{path}.dataLen {length} != {len(data)} decoded bytes")
        frames.append((_int(item, "serialChannel", path) or 0, data))
    io = _get(response, "ivs_ioctrl", dict, "Response_AlarmInfoPlate", required=False)
    play = _get(response, "playserver_json_request", dict, "Response_AlarmInfoPlate", required=False)
    voice = None
    if play is not None:
        voice = decode_image(_get(play, "voice", str, "playserver_json_request", required=True), "voice", 4096) or b""
    return DecodedReply(
        io_pulse=None
        if io is None
        else (
            _int(io, "io", "ivs_ioctrl") or 0,
            _int(io, "value", "ivs_ioctrl") or 0,
            _int(io, "delay", "ivs_ioctrl") or 0,
        ),
        voice=voice.decode("utf-8") if voice is not None else None,
        open=info == "ok",
        plate_id=_int(response, "plateid", "Response_AlarmInfoPlate")
        if "plateid" in response
        else _int(ack, "plateid", "ContinuePushOffline"),
        continue_offline=_int(ack, "continue", "ContinuePushOffline") == 1,
        serial_frames=tuple(frames),
        whitelist=_decode_whitelist(response),
    )


def encode_push(reading: CameraReading, *, camera_tz: tzinfo = DEFAULT_CAMERA_TZ) -> bytes:
    """The ``AlarmInfoPlate`` body a camera would send for ``reading`` (simulator and fixtures)."""
    local = reading.taken_at.astimezone(camera_tz)
    color_code = next(code for code, name in COLOR_CODES.items() if name == reading.color)
    trigger_code = next((code for code, name in TRIGGER_CODES.items() if name == reading.trigger), 1)
    full = base64.b64encode(reading.full_image or b"").decode("ascii")
    fragment = base64.b64encode(reading.plate_image or b"").decode("ascii")
    result: dict[str, Any] = {
        "colorType": color_code,
        "confidence": round(reading.confidence * 100),
        "imageFile": full,
        "imageFileLen": len(reading.full_image or b""),
        "imageFragmentFile": fragment,
        "imageFragmentFileLen": len(reading.plate_image or b""),
        "isoffline": int(reading.is_offline),
        "license": reading.plate_text if reading.plate_text is not None else NO_PLATE_LICENSE,
        "plateid": reading.camera_plate_id or 0,
        "timeStamp": {
            "Timeval": {
                "decday": local.day,
                "dechour": local.hour,
                "decmin": local.minute,
                "decmon": local.month,
                "decsec": local.second,
                "decyear": local.year,
                "sec": int(reading.taken_at.timestamp()),
                "usec": reading.taken_at.microsecond,
            }
        },
        "triggerType": trigger_code,
    }
    alarm = {
        "channel": 0,
        "deviceName": reading.device_name or "IVS",
        "ipaddr": reading.raw_ip or "127.0.0.1",
        "result": {"PlateResult": result},
        "serialno": reading.serial,
    }
    return _dumps({"AlarmInfoPlate": alarm})


def encode_heartbeat(heartbeat: CameraHeartbeat, boundary: str = "parkcloudsim") -> tuple[bytes, str]:
    """A device-registration heartbeat as multipart/form-data: (body, content type)."""
    fields = {
        "device_name": heartbeat.device_name or "IVS",
        "ipaddr": heartbeat.raw_ip or "127.0.0.1",
        "port": str(heartbeat.port or 80),
        "serialno": heartbeat.serial,
        "channel_num": "1",
    }
    chunks = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    ]
    body = ("".join(chunks) + f"--{boundary}--\r\n").encode("utf-8")
    return body, f"multipart/form-data; boundary={boundary}"


class VzenithCodec:
    """The Vzenith push protocol as a ``CameraCodec``."""

    protocol = CameraProtocol.VZENITH
    polls = True

    def decode_message(
        self, body: bytes, content_type: str, *, received_at: datetime | None = None
    ) -> CameraReading | CameraHeartbeat | CameraEvent:
        return decode_message(body, content_type, received_at=received_at)

    def encode_reply(self, reply: CameraReply) -> EncodedReply:
        return encode_reply(reply)

    def peek_offline_plate_id(self, body: bytes) -> tuple[bool, int | None]:
        return peek_offline_plate_id(body)

    def reply_opens(self, body: bytes) -> bool | None:
        return decode_reply(body).open


CODEC = VzenithCodec()
