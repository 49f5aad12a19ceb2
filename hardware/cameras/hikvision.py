"""Hikvision ISAPI ANPR push (EventNotificationAlert + pictures in multipart): decode, and the ack reply."""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo

from hardware.cameras import isapi_xml
from hardware.cameras._codec import Part, check_body_size, check_image_size, media_type, parse_multipart
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

logger = logging.getLogger(__name__)

DEFAULT_CAMERA_TZ = ZoneInfo("Asia/Shanghai")
MAX_XML_BYTES = isapi_xml.MAX_XML_BYTES
XML_PART_NAMES = ("anpr.xml", "anpr")
PLATE_PICTURE = "licensePlatePicture.jpg"
SCENE_PICTURE = "detectionPicture.jpg"
NO_PLATE_TEXTS = frozenset({"", "无车牌", "unknown", "无牌车", "车牌"})
_XML_TYPES = frozenset({"application/xml", "text/xml"})

COLOR_NAMES: Mapping[str, PlateColorName] = {
    "blue": PlateColorName.BLUE,
    "yellow": PlateColorName.YELLOW,
    "white": PlateColorName.WHITE,
    "black": PlateColorName.BLACK,
    "green": PlateColorName.GREEN,
    "newenergygreen": PlateColorName.GREEN,
    "yellowgreen": PlateColorName.YELLOW_GREEN,
    "newenergyyellowgreen": PlateColorName.YELLOW_GREEN,
}


_XML_ERRORS: Mapping[str, PushErrorCode] = {
    "too_large": PushErrorCode.BODY_TOO_LARGE,
    "entities": PushErrorCode.XML_ENTITIES_REFUSED,
    "malformed": PushErrorCode.MALFORMED_XML,
    "namespace": PushErrorCode.UNSUPPORTED_MESSAGE,
    "root": PushErrorCode.UNSUPPORTED_MESSAGE,
}


def _parse_xml(data: bytes) -> ET.Element:
    # Either ISAPI namespace, or none (see hardware.cameras.isapi_xml); names are compared locally below.
    try:
        return isapi_xml.parse(data, "EventNotificationAlert", max_bytes=MAX_XML_BYTES)
    except isapi_xml.IsapiXmlError as exc:
        raise CameraPushError(_XML_ERRORS[exc.reason], f"anpr.xml: {exc}") from exc


def _text(root: ET.Element, path: str, *, required: bool = False) -> str | None:
    element = root.find(path)
    if element is None or element.text is None or not element.text.strip():
        if required:
            raise CameraPushError(PushErrorCode.MISSING_FIELD, f"EventNotificationAlert/{path} is missing")
        return None
    return element.text.strip()


def _int(root: ET.Element, path: str) -> int | None:
    text = _text(root, path)
    if text is None:
        return None
    if not text.lstrip("-").isdigit():
        raise CameraPushError(PushErrorCode.WRONG_TYPE, f"EventNotificationAlert/{path} must be an integer: {text!r}")
    return int(text)


def _taken_at(root: ET.Element, camera_tz: tzinfo) -> datetime:
    text = _text(root, "dateTime", required=True) or ""
    try:
        stamp = datetime.fromisoformat(text)
    except ValueError as exc:
        raise CameraPushError(PushErrorCode.BAD_VALUE, f"dateTime {text!r} is not ISO 8601") from exc
    if stamp.tzinfo is None:
        # Older firmware sends local wall-clock time without an offset.
        stamp = stamp.replace(tzinfo=camera_tz)
    return stamp.astimezone(UTC)


def _heartbeat_time(root: ET.Element, camera_tz: tzinfo) -> datetime | None:
    """A keep-alive's ``dateTime`` (the camera's clock), if it has a readable one: a keep-alive is never refused
    for it."""
    if not _text(root, "dateTime"):
        return None
    try:
        return _taken_at(root, camera_tz)
    except CameraPushError:
        return None


def _xml_part(parts: list[Part]) -> Part:
    for part in parts:
        if (part.name or "").lower() in XML_PART_NAMES or (part.filename or "").lower() in XML_PART_NAMES:
            return part
    for part in parts:
        if part.content_type in _XML_TYPES:
            return part
    raise CameraPushError(PushErrorCode.MALFORMED_MULTIPART, "multipart body has no anpr.xml part")


def _picture(parts: list[Part], name: str, max_image_bytes: int) -> bytes | None:
    for part in parts:
        if name in (part.name, part.filename):
            check_image_size(part.data, name, max_image_bytes)
            return part.data or None
    return None


def _serial(root: ET.Element) -> str:
    # ISAPI alerts carry no serial number; the MAC (or a configured deviceID) is the stable identity.
    for path in ("deviceID", "macAddress", "ipAddress"):
        value = _text(root, path)
        if value and path == "macAddress":
            # The same form registration stores (hardware.cameras.isapi_xml.normalize_mac), whatever the firmware.
            return isapi_xml.normalize_mac(value) or value.lower()
        if value:
            return value
    raise CameraPushError(
        PushErrorCode.MISSING_FIELD, "EventNotificationAlert has no deviceID, macAddress or ipAddress"
    )


def decode_message(
    body: bytes,
    content_type: str,
    *,
    max_image_bytes: int = DEFAULT_MAX_IMAGE_BYTES,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    camera_tz: tzinfo = DEFAULT_CAMERA_TZ,
) -> CameraReading | CameraHeartbeat:
    """Decode an ANPR alert (multipart or bare XML); a ``videoloss``/inactive alert is the ISAPI heartbeat."""
    check_body_size(body, max_body_bytes)
    kind = media_type(content_type)
    if kind.startswith("multipart/"):
        parts = parse_multipart(body, content_type)
        root = _parse_xml(_xml_part(parts).data)
    elif kind in _XML_TYPES:
        parts = []
        root = _parse_xml(body)
    else:
        raise CameraPushError(PushErrorCode.UNSUPPORTED_CONTENT_TYPE, f"unsupported content type {content_type!r}")

    event_type = _text(root, "eventType", required=True)
    # The keep-alives ISAPI firmware sends to a listening host: ``heartBeat`` (newer), ``videoloss`` inactive (older).
    if (event_type or "").lower() == "heartbeat" or (
        event_type == "videoloss" and _text(root, "eventState") == "inactive"
    ):
        return CameraHeartbeat(
            protocol=CameraProtocol.HIKVISION,
            serial=_serial(root),
            raw_ip=_text(root, "ipAddress"),
            device_name=_text(root, "channelName"),
            port=_int(root, "portNo"),
            camera_time=_heartbeat_time(root, camera_tz),
        )
    if event_type != "ANPR":
        raise CameraPushError(PushErrorCode.UNSUPPORTED_MESSAGE, f"eventType {event_type!r} is not ANPR")

    plate = _text(root, "ANPR/licensePlate") or ""
    color_text = (_text(root, "ANPR/plateColor") or "").replace("_", "").lower()
    confidence = _int(root, "ANPR/confidenceLevel") or 0
    if not 0 <= confidence <= 100:
        raise CameraPushError(PushErrorCode.BAD_VALUE, f"ANPR/confidenceLevel {confidence} is not in 0..100")
    retransmitted = (_text(root, "isDataRetransmission") or "false").lower()
    if retransmitted not in ("true", "false"):
        raise CameraPushError(PushErrorCode.WRONG_TYPE, f"isDataRetransmission {retransmitted!r} is not a boolean")
    return CameraReading(
        protocol=CameraProtocol.HIKVISION,
        serial=_serial(root),
        plate_text=None if plate in NO_PLATE_TEXTS else plate,
        color=COLOR_NAMES.get(color_text, PlateColorName.UNKNOWN),
        confidence=confidence / 100,
        taken_at=_taken_at(root, camera_tz),
        event_id=_text(root, "UUID"),
        is_offline=retransmitted == "true",
        trigger=Trigger.AUTO,
        raw_ip=_text(root, "ipAddress"),
        device_name=_text(root, "channelName"),
        full_image=_picture(parts, SCENE_PICTURE, max_image_bytes),
        plate_image=_picture(parts, PLATE_PICTURE, max_image_bytes),
    )


def encode_reply(reply: CameraReply) -> EncodedReply:
    """ISAPI ack. Hikvision ignores the body of a push reply: ``barrier_request`` opens the barrier."""
    del reply  # the decision travels in a separate ISAPI request, not in this reply
    body = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<ResponseStatus version="2.0" xmlns="http://www.isapi.org/ver20/XMLSchema">'
        b"<statusCode>1</statusCode><statusString>OK</statusString><subStatusCode>ok</subStatusCode>"
        b"</ResponseStatus>"
    )
    return EncodedReply(body, "application/xml; charset=utf-8")


def barrier_request(open_gate: bool, channel: int = 1) -> tuple[str, str, bytes]:
    """(method, path, body) of the ISAPI call that opens or closes the barrier wired to the camera."""
    mode = "open" if open_gate else "close"
    body = f'<?xml version="1.0" encoding="UTF-8"?><BarrierGate><ctrlMode>{mode}</ctrlMode></BarrierGate>'
    return "PUT", f"/ISAPI/Parking/channels/{channel}/barrierGate", body.encode()


class HikvisionCodec:
    """The Hikvision ISAPI push as a ``CameraCodec``: its replies are acks, the barrier opens by ISAPI request."""

    protocol = CameraProtocol.HIKVISION
    polls = False

    def decode_message(
        self, body: bytes, content_type: str, *, received_at: datetime | None = None
    ) -> CameraReading | CameraHeartbeat:
        del received_at  # the alert carries the camera's own time
        return decode_message(body, content_type)

    def encode_reply(self, reply: CameraReply) -> EncodedReply:
        return encode_reply(reply)

    def peek_offline_plate_id(self, body: bytes) -> tuple[bool, int | None]:
        del body  # one ack answers every alert, retransmitted or live
        return False, None

    def reply_opens(self, body: bytes) -> bool | None:
        del body  # an ack says nothing of the decision
        return None


CODEC = HikvisionCodec()
