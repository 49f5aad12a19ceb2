"""ParkCloud generic JSON camera push, version 1 (see docs/devices.md), for devices without a vendor codec."""

from __future__ import annotations

import base64
import json
import logging
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from hardware.cameras._codec import decode_image, display_frames, load_json_object
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
from hardware.displays.led_frames import DisplayLine

logger = logging.getLogger(__name__)

VERSION = 1
CONTENT_TYPE = "application/json; charset=utf-8"


class _Model(BaseModel):
    # Unknown fields are refused so that a typo in a device's config shows up at once, not as missing data.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class ReadingV1(_Model):
    version: Literal[1]
    type: Literal["reading"]
    serial: Annotated[str, Field(min_length=1, max_length=64)]
    plate: Annotated[str, Field(min_length=1, max_length=16)] | None
    color: PlateColorName = PlateColorName.UNKNOWN
    confidence: Annotated[float, Field(ge=0.0, le=1.0)]
    taken_at: AwareDatetime
    event_id: Annotated[str, Field(max_length=64)] | None = None
    offline: bool = False
    trigger: Trigger = Trigger.UNKNOWN
    ip: str | None = None
    device_name: str | None = None
    full_image_b64: str = ""
    plate_image_b64: str = ""


class HeartbeatV1(_Model):
    version: Literal[1]
    type: Literal["heartbeat"]
    serial: Annotated[str, Field(min_length=1, max_length=64)]
    ip: str | None = None
    device_name: str | None = None
    # The device's clock when it sent this (optional): lets the platform see the device's clock offset.
    camera_time: AwareDatetime | None = None


class _Envelope(BaseModel):
    model_config = ConfigDict(extra="allow")
    version: int
    type: str


def _validation_error(exc: ValidationError) -> CameraPushError:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "body"
    kind = first["type"]
    if kind == "missing":
        code = PushErrorCode.MISSING_FIELD
    elif kind.endswith("_type") or kind in ("model_type", "dict_type", "is_instance_of"):
        code = PushErrorCode.WRONG_TYPE
    else:
        code = PushErrorCode.BAD_VALUE
    return CameraPushError(code, f"{where}: {first['msg']}")


def decode_message(
    body: bytes,
    *,
    max_image_bytes: int = DEFAULT_MAX_IMAGE_BYTES,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
) -> CameraReading | CameraHeartbeat:
    """Decode a generic v1 push (``type`` = ``reading`` or ``heartbeat``)."""
    doc = load_json_object(body, max_body_bytes)
    try:
        envelope = _Envelope.model_validate(doc)
    except ValidationError as exc:
        raise _validation_error(exc) from exc
    if envelope.version != VERSION:
        raise CameraPushError(PushErrorCode.UNSUPPORTED_VERSION, f"version {envelope.version} (supported: 1)")
    try:
        if envelope.type == "heartbeat":
            beat = HeartbeatV1.model_validate_json(body)
            return CameraHeartbeat(
                protocol=CameraProtocol.GENERIC,
                serial=beat.serial,
                raw_ip=beat.ip,
                device_name=beat.device_name,
                camera_time=beat.camera_time.astimezone(UTC) if beat.camera_time is not None else None,
            )
        if envelope.type != "reading":
            raise CameraPushError(PushErrorCode.UNSUPPORTED_MESSAGE, f"type {envelope.type!r} is not reading")
        # JSON mode lets strict pydantic read ISO datetimes and enum strings from JSON text.
        reading = ReadingV1.model_validate_json(body)
    except ValidationError as exc:
        raise _validation_error(exc) from exc
    return CameraReading(
        protocol=CameraProtocol.GENERIC,
        serial=reading.serial,
        plate_text=reading.plate,
        color=reading.color,
        confidence=reading.confidence,
        taken_at=reading.taken_at.astimezone(UTC),
        event_id=reading.event_id,
        is_offline=reading.offline,
        trigger=reading.trigger,
        raw_ip=reading.ip,
        device_name=reading.device_name,
        full_image=decode_image(reading.full_image_b64, "full_image_b64", max_image_bytes),
        plate_image=decode_image(reading.plate_image_b64, "plate_image_b64", max_image_bytes),
    )


def _line_text(line: str | DisplayLine) -> str:
    return line.text if isinstance(line, DisplayLine) else line


def encode_reply(reply: CameraReply) -> EncodedReply:
    """Reply v1: the decision in plain fields, plus the LED frames for devices that drive a display."""
    frames = [] if reply.offline else display_frames(reply)
    doc: dict[str, Any] = {
        "version": VERSION,
        "open": reply.open and not reply.offline,
        "lines": [] if reply.offline else [_line_text(line) for line in reply.lines],
        "voice": None if reply.offline else reply.voice,
        "display_frames": [base64.b64encode(frame).decode("ascii") for frame in frames],
    }
    body = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return EncodedReply(body, CONTENT_TYPE)


class GenericCodec:
    """The generic JSON push as a ``CameraCodec``."""

    protocol = CameraProtocol.GENERIC
    polls = False

    def decode_message(
        self, body: bytes, content_type: str, *, received_at: datetime | None = None
    ) -> CameraReading | CameraHeartbeat:
        del content_type, received_at  # always JSON, and it carries its own times
        return decode_message(body)

    def encode_reply(self, reply: CameraReply) -> EncodedReply:
        return encode_reply(reply)

    def peek_offline_plate_id(self, body: bytes) -> tuple[bool, int | None]:
        del body  # its reply to an offline record names no record: a plain refusal acknowledges it alike
        return False, None

    def reply_opens(self, body: bytes) -> bool | None:
        del body  # no reader for its replies here
        return None


CODEC = GenericCodec()
