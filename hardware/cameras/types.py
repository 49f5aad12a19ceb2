"""Vendor-neutral camera types: what a plate camera told us, what we answer, and how a push can be wrong."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol, TypeAlias

from hardware.base import WhitelistEntry

if TYPE_CHECKING:
    from hardware.displays.led_frames import DisplayLine

DEFAULT_MAX_IMAGE_BYTES = 2 * 1024 * 1024
DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024


class CameraProtocol(StrEnum):
    VZENITH = "vzenith"
    HIKVISION = "hikvision"
    GENERIC = "generic"


class PlateColorName(StrEnum):
    """Plate colours in our names (same values as parking.plates.PlateColor, plus UNKNOWN)."""

    BLUE = "blue"
    YELLOW = "yellow"
    GREEN = "green"
    WHITE = "white"
    BLACK = "black"
    YELLOW_GREEN = "yellow_green"
    UNKNOWN = "unknown"


class Trigger(StrEnum):
    AUTO = "auto"
    IO = "io"
    SOFTWARE = "software"
    VIRTUAL_LOOP = "virtual_loop"
    VEHICLE_STAYING = "vehicle_staying"
    VEHICLE_STAY_ENDED = "vehicle_stay_ended"
    VEHICLE_REVERSED = "vehicle_reversed"
    UNKNOWN = "unknown"


class PushErrorCode(StrEnum):
    BODY_TOO_LARGE = "body_too_large"
    MALFORMED_JSON = "malformed_json"
    MALFORMED_XML = "malformed_xml"
    XML_ENTITIES_REFUSED = "xml_entities_refused"
    MALFORMED_MULTIPART = "malformed_multipart"
    UNSUPPORTED_CONTENT_TYPE = "unsupported_content_type"
    UNSUPPORTED_MESSAGE = "unsupported_message"
    UNSUPPORTED_VERSION = "unsupported_version"
    MISSING_FIELD = "missing_field"
    WRONG_TYPE = "wrong_type"
    BAD_VALUE = "bad_value"
    BAD_BASE64 = "bad_base64"
    IMAGE_TOO_LARGE = "image_too_large"


class CameraPushError(ValueError):
    """A camera push we refuse: ``code`` is stable for metrics and replies, ``message`` says what is wrong."""

    def __init__(self, code: PushErrorCode, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True, kw_only=True)
class CameraReading:
    """One plate reading, whatever the vendor. ``plate_text`` is None when the camera saw no plate (无牌车).

    ``plate_text`` is the camera's raw text: normalise it with parking.plates before using it as a key.
    """

    protocol: CameraProtocol
    serial: str
    plate_text: str | None
    color: PlateColorName
    confidence: float
    taken_at: datetime
    camera_plate_id: int | None = None
    event_id: str | None = None
    is_offline: bool = False
    trigger: Trigger = Trigger.UNKNOWN
    raw_ip: str | None = None
    device_name: str | None = None
    full_image: bytes | None = field(default=None, repr=False)
    plate_image: bytes | None = field(default=None, repr=False)
    # Fields the camera sent wrong and the decoder left out ("imageFile: image_too_large"): the reading stands,
    # the endpoint raises an alarm so someone fixes the camera's settings.
    dropped: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.taken_at.utcoffset() is None:
            raise ValueError("taken_at must be timezone-aware")
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"confidence must be in 0..1, got {self.confidence}")

    @property
    def has_plate(self) -> bool:
        return self.plate_text is not None


def dedup_key(reading: CameraReading) -> str:
    """Replays of one record (offline uploads, retries) share a key: the camera's own id with the record's plate
    text and camera time. The id alone is not enough: a camera's plateid counter starts again after a reset or a
    replacement, and a new car with an old id is a new reading (a stale key would replay an old car's open).
    Every resend of one record carries the same text and time, so it still finds the first. The cloud and the
    edge agent both key readings with it, so a record the edge decided and replays is the one the cloud saw."""
    if reading.camera_plate_id is not None:
        ident = str(reading.camera_plate_id)
    elif reading.event_id:
        ident = f"e{reading.event_id}"
    else:
        ident = ""
    said = f"{ident}|{reading.plate_text or ''}|{reading.taken_at.isoformat()}"
    digest = hashlib.sha256(said.encode("utf-8", "surrogatepass")).hexdigest()[:20]
    # The digest covers everything, so cutting the readable id to fit the column loses nothing.
    return f"{reading.protocol}:{reading.serial[:64]}:{digest}:{ident}"[:128]


@dataclass(frozen=True, slots=True, kw_only=True)
class CameraHeartbeat:
    """A keep-alive (or comet poll) from a camera; the reply may still carry display frames."""

    protocol: CameraProtocol
    serial: str
    raw_ip: str | None = None
    device_name: str | None = None
    port: int | None = None
    # The camera's clock when it sent this, where the protocol carries it: a sample of the camera's clock offset.
    camera_time: datetime | None = None


class EventKind(StrEnum):
    """Messages a camera sends besides plate readings and heartbeats."""

    IO_INPUT = "io_input"  # a loop detector or another IO input changed (Vzenith AlarmGioIn)
    SERIAL_DATA = "serial_data"  # bytes read on the camera's RS485/232 port (Vzenith SerialData)
    SNAPSHOT = "snapshot"  # a picture taken on request (Vzenith TriggerImage)
    UNKNOWN = "unknown"  # a well-formed message of a type this codec does not know (newer firmware)


@dataclass(frozen=True, slots=True, kw_only=True)
class CameraEvent:
    """A camera message that is not a reading: recorded against the device, answered with an empty reply.

    ``serial`` is "" when the message names no device (a Vzenith TriggerImage carries only the IP address).
    ``io_input``/``io_value``: which input (0-based) and its level, for ``IO_INPUT``; ``data`` the serial bytes
    or the picture; ``names`` the message's top-level keys, for ``UNKNOWN``.
    """

    protocol: CameraProtocol
    kind: EventKind
    serial: str
    raw_ip: str | None = None
    io_input: int | None = None
    io_value: int | None = None
    channel: int | None = None
    data: bytes | None = field(default=None, repr=False)
    names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class CameraReply:
    """What the lane decided: open or hold, what the display shows and what it says.

    ``plate_id`` and ``offline`` echo the reading being answered (see ``for_reading``): Vzenith cameras need
    the plate id back, and an offline record gets only an acknowledgement because that car has long gone.
    """

    open: bool = False
    lines: tuple[str | DisplayLine, ...] = ()
    voice: str | None = None
    plate_id: int | None = None
    offline: bool = False
    serial_channel: int = 0
    display_address: int = 0
    # Plates the camera adds to (or updates in) its own whitelist, so it can open for them while offline.
    whitelist: tuple[WhitelistEntry, ...] = ()
    # The camera's IO output wired to the barrier: an open also pulses it (Vzenith ``ivs_ioctrl``), for firmware
    # whose ``info: "ok"`` drives another output or none. None: ``info`` alone.
    io_output: int | None = None
    io_pulse_ms: int = 500
    # The camera has a speaker of its own: the voice also goes out as ``playserver_json_request``.
    speaker: bool = False

    @classmethod
    def for_reading(
        cls,
        reading: CameraReading,
        *,
        open: bool,
        lines: tuple[str | DisplayLine, ...] = (),
        voice: str | None = None,
        io_output: int | None = None,
        speaker: bool = False,
    ) -> CameraReply:
        return cls(
            open=open,
            lines=lines,
            voice=voice,
            plate_id=reading.camera_plate_id,
            offline=reading.is_offline,
            io_output=io_output,
            speaker=speaker,
        )


@dataclass(frozen=True, slots=True)
class EncodedReply:
    """An HTTP reply body ready to send back to the camera."""

    body: bytes
    content_type: str
    status_code: int = 200


#: Whatever a camera can push to its URL.
CameraMessage: TypeAlias = CameraReading | CameraHeartbeat | CameraEvent


class CameraCodec(Protocol):
    """One push protocol's wire format, as the cloud's push endpoint and the edge agent use it. A vendor is one
    module in ``hardware/cameras`` with a ``CODEC`` of this shape, listed in ``hardware.cameras.CODECS``."""

    @property
    def protocol(self) -> CameraProtocol:
        """The protocol's name in the push URL (``/devices/{protocol}/push``) and on its messages."""
        ...

    @property
    def polls(self) -> bool:
        """The camera polls for its commands and acts on the replies (Vzenith comet polling), held or answered
        as its stored ``VzenithConfig`` says, which also shapes its replies (IO pulse, speaker). Other cameras'
        keep-alives are answered at once with whatever is due."""
        ...

    def decode_message(self, body: bytes, content_type: str, *, received_at: datetime | None = None) -> CameraMessage:
        """A push of this protocol, or CameraPushError; ``received_at`` is when it arrived, where it matters."""
        ...

    def encode_reply(self, reply: CameraReply) -> EncodedReply:
        """The HTTP reply body telling the camera what the lane decided."""
        ...

    def peek_offline_plate_id(self, body: bytes) -> tuple[bool, int | None]:
        """(is an offline record, its plate id) of a push that did not decode, so that its acknowledgement still
        goes out; (False, None) when the protocol has no such acknowledgement."""
        ...

    def reply_opens(self, body: bytes) -> bool | None:
        """Whether a reply we sent opens the barrier, as the camera reads it; None when the protocol's replies
        are not read back here (the edge agent learns the cloud's decision from them)."""
        ...
