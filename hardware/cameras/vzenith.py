"""Vzenith (臻识) HTTP push protocol, spoken by most Chinese plate cameras: decode pushes, encode replies."""

from __future__ import annotations

import base64
import json
import logging
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from hardware.base import WhitelistEntry
from hardware.cameras._codec import check_body_size, decode_image, media_type, parse_multipart
from hardware.cameras.types import (
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_MAX_IMAGE_BYTES,
    CameraHeartbeat,
    CameraProtocol,
    CameraPushError,
    CameraReading,
    CameraReply,
    EncodedReply,
    PlateColorName,
    PushErrorCode,
    Trigger,
)
from hardware.displays.led_frames import encode_display

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
        if not value.strip().lstrip("-").isdigit():
            raise _fail(PushErrorCode.WRONG_TYPE, f"{path}.{key} must be an integer, got {value!r}")
        return int(value)
    return value  # type: ignore[no-any-return]


def _load_json(body: bytes, max_body_bytes: int) -> dict[str, Any]:
    check_body_size(body, max_body_bytes)
    try:
        doc = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _fail(PushErrorCode.MALFORMED_JSON, f"body is not JSON: {exc}") from exc
    if not isinstance(doc, dict):
        raise _fail(PushErrorCode.WRONG_TYPE, f"body must be a JSON object, got {type(doc).__name__}")
    return doc


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
    except ValueError as exc:
        raise _fail(PushErrorCode.BAD_VALUE, f"{path}.Timeval dec* fields are not a date: {exc}") from exc
    return local.astimezone(UTC)


def decode_push(
    body: bytes,
    *,
    max_image_bytes: int = DEFAULT_MAX_IMAGE_BYTES,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    camera_tz: tzinfo = DEFAULT_CAMERA_TZ,
) -> CameraReading:
    """Decode an ``AlarmInfoPlate`` push body into a CameraReading, or raise CameraPushError."""
    doc = _load_json(body, max_body_bytes)
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

    color_code = _int(result, "colorType", path) or 0
    if color_code not in COLOR_CODES:
        raise _fail(PushErrorCode.BAD_VALUE, f"{path}.colorType {color_code} is not a known plate colour")
    confidence = _int(result, "confidence", path) or 0
    if not 0 <= confidence <= 100:
        raise _fail(PushErrorCode.BAD_VALUE, f"{path}.confidence {confidence} is not in 0..100")
    is_offline = _int(result, "isoffline", path) or 0
    if is_offline not in (0, 1):
        raise _fail(PushErrorCode.BAD_VALUE, f"{path}.isoffline {is_offline} is not 0 or 1")
    trigger_code = _int(result, "triggerType", path)

    full_b64 = _get(result, "imageFile", str, path, required=False) or ""
    plate_b64 = _get(result, "imageFragmentFile", str, path, required=False) or ""
    device_name = _get(alarm, "deviceName", str, "AlarmInfoPlate", required=False)
    raw_ip = _get(alarm, "ipaddr", str, "AlarmInfoPlate", required=False)
    return CameraReading(
        protocol=CameraProtocol.VZENITH,
        serial=serial.strip(),
        plate_text=plate_text,
        color=COLOR_CODES[color_code],
        confidence=confidence / 100,
        taken_at=_taken_at(result, camera_tz),
        camera_plate_id=_int(result, "plateid", path),
        is_offline=bool(is_offline),
        trigger=TRIGGER_CODES.get(trigger_code or 0, Trigger.UNKNOWN),
        raw_ip=raw_ip,
        device_name=device_name,
        full_image=decode_image(full_b64, f"{path}.imageFile", max_image_bytes),
        plate_image=decode_image(plate_b64, f"{path}.imageFragmentFile", max_image_bytes),
    )


def _form_fields(body: bytes, content_type: str) -> dict[str, str]:
    kind = media_type(content_type)
    if kind == "application/x-www-form-urlencoded":
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _fail(PushErrorCode.MALFORMED_MULTIPART, f"form body is not UTF-8: {exc}") from exc
        return {k: v[0] for k, v in urllib.parse.parse_qs(text, keep_blank_values=True).items()}
    fields: dict[str, str] = {}
    for part in parse_multipart(body, content_type):
        if part.name:
            fields[part.name] = part.data.decode("utf-8", errors="replace").strip()
    return fields


def decode_heartbeat(
    body: bytes, content_type: str, *, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
) -> CameraHeartbeat:
    """Decode the device-registration heartbeat (form-data: device_name, ipaddr, port, serialno...)."""
    check_body_size(body, max_body_bytes)
    fields = _form_fields(body, content_type)
    serial = fields.get("serialno", "").strip()
    if not serial:
        raise _fail(PushErrorCode.MISSING_FIELD, "heartbeat field serialno is missing")
    port_text = fields.get("port")
    if port_text is not None and not port_text.isdigit():
        raise _fail(PushErrorCode.WRONG_TYPE, f"heartbeat field port must be an integer, got {port_text!r}")
    # user_name/pass_wd are the camera's own web login: never kept.
    return CameraHeartbeat(
        protocol=CameraProtocol.VZENITH,
        serial=serial,
        raw_ip=fields.get("ipaddr") or None,
        device_name=fields.get("device_name") or None,
        port=int(port_text) if port_text else None,
    )


def decode_message(
    body: bytes,
    content_type: str,
    *,
    max_image_bytes: int = DEFAULT_MAX_IMAGE_BYTES,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    camera_tz: tzinfo = DEFAULT_CAMERA_TZ,
) -> CameraReading | CameraHeartbeat:
    """A plate push (JSON) or a heartbeat (form) from the same URL, told apart by content type."""
    kind = media_type(content_type)
    if kind.startswith("multipart/") or kind == "application/x-www-form-urlencoded":
        return decode_heartbeat(body, content_type, max_body_bytes=max_body_bytes)
    return decode_push(body, max_image_bytes=max_image_bytes, max_body_bytes=max_body_bytes, camera_tz=camera_tz)


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
    frames = encode_display(reply.lines, reply.voice, address=reply.display_address)
    if frames:
        response["serialData"] = [
            {
                "serialChannel": reply.serial_channel,
                "data": base64.b64encode(frame).decode("ascii"),
                "dataLen": len(frame),
            }
            for frame in frames
        ]
    if reply.whitelist:
        response["white_list_operate"] = {
            "operate_type": WHITELIST_ADD,
            "white_list_data": [_whitelist_row(entry) for entry in reply.whitelist],
        }
    return EncodedReply(_dumps({"Response_AlarmInfoPlate": response}), CONTENT_TYPE)


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
    return DecodedReply(
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
