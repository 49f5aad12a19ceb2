"""LED text + voice frames for lane displays: the DA VR PN CMD DL DATA CRC16 RS485 protocol."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from typing import TypeVar

from pymodbus.framer.rtu import FramerRTU

logger = logging.getLogger(__name__)

_E = TypeVar("_E", bound=IntEnum)

VERSION_100 = 0x64
VERSION_200 = 0xC8
LAST_PACKET = 0xFFFF
BROADCAST_ADDRESS = 0x00
TEXT_ENCODING = "gbk"
# Header is DA VR PN[2] CMD, then DL (1 byte in version 100, 2 bytes little-endian in version 200).
_HEADER_LEN = 5
_CRC_LEN = 2
_MAX_DATA_V100 = 255
_TEXT_HEADER_LEN = 19
MAX_TEXT_BYTES = _MAX_DATA_V100 - _TEXT_HEADER_LEN
MAX_VOICE_BYTES = 254
MAX_LINES = 4


class Command(IntEnum):
    PLAY_VOICE = 0x30
    STOP_VOICE = 0x31
    TEMP_TEXT = 0x62


class ScrollMode(IntEnum):
    """How text enters (and leaves) its window: the ETM/EXM table of the protocol."""

    STATIC = 0x00
    RIGHT_TO_LEFT = 0x01
    LEFT_TO_RIGHT = 0x02
    BOTTOM_TO_TOP = 0x03
    TOP_TO_BOTTOM = 0x04
    PULL_DOWN = 0x05
    PULL_UP = 0x06
    PULL_LEFT = 0x07
    PULL_RIGHT = 0x08
    CHAR_BY_CHAR = 0x0D
    CONTINUOUS_LEFT = 0x15


class Font(IntEnum):
    ASCII8 = 0x00
    ASCII10 = 0x01
    ASCII13 = 0x02
    SONG16 = 0x03
    SONG24 = 0x04
    SONG32 = 0x05
    SONG48 = 0x06
    SONG64 = 0x07


class VoiceMode(IntEnum):
    QUEUE = 0x00
    QUEUE_AND_PLAY = 0x01
    REPLACE_AND_PLAY = 0x02


class LedFrameErrorCode(StrEnum):
    TOO_SHORT = "too_short"
    BAD_LENGTH = "bad_length"
    BAD_CRC = "bad_crc"
    UNSUPPORTED_VERSION = "unsupported_version"
    TEXT_TOO_LONG = "text_too_long"
    NOT_ENCODABLE = "not_encodable"
    BAD_FIELD = "bad_field"


class LedFrameError(ValueError):
    """A frame that cannot be encoded or decoded; nothing was sent or changed."""

    def __init__(self, code: LedFrameErrorCode, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


def _byte(name: str, value: int, low: int = 0, high: int = 0xFF) -> int:
    if isinstance(value, bool) or not low <= value <= high:
        raise LedFrameError(LedFrameErrorCode.BAD_FIELD, f"{name} must be in {low}..{high}, got {value!r}")
    return value


@dataclass(frozen=True, slots=True)
class Rgb:
    r: int
    g: int
    b: int

    def __post_init__(self) -> None:
        for name in ("r", "g", "b"):
            _byte(f"colour {name}", getattr(self, name))

    def to_bytes(self) -> bytes:
        # The protocol stores colours as R G B A; A is reserved and always 0.
        return bytes((self.r, self.g, self.b, 0))


RED = Rgb(255, 0, 0)
GREEN = Rgb(0, 255, 0)
YELLOW = Rgb(255, 255, 0)
WHITE = Rgb(255, 255, 255)
BLACK = Rgb(0, 0, 0)


@dataclass(frozen=True, slots=True)
class DisplayLine:
    """One line of text on the lane display and how it is shown."""

    text: str
    color: Rgb = GREEN
    scroll: ScrollMode = ScrollMode.STATIC
    speed: int = 1
    dwell_s: int = 5
    exit_mode: ScrollMode = ScrollMode.STATIC
    exit_speed: int = 1
    font: Font = Font.SONG16
    repeat: int = 0  # 0 = loop until replaced
    background: Rgb = BLACK

    def __post_init__(self) -> None:
        _byte("speed", self.speed, 1, 32)
        _byte("exit_speed", self.exit_speed, 1, 32)
        _byte("dwell_s", self.dwell_s)
        _byte("repeat", self.repeat)


@dataclass(frozen=True, slots=True)
class TextFrame:
    address: int
    window: int
    line: DisplayLine


@dataclass(frozen=True, slots=True)
class VoiceFrame:
    address: int
    text: str
    mode: VoiceMode


@dataclass(frozen=True, slots=True)
class StopVoiceFrame:
    address: int


@dataclass(frozen=True, slots=True)
class RawFrame:
    """A valid frame whose command this module does not interpret."""

    address: int
    command: int
    data: bytes


Frame = TextFrame | VoiceFrame | StopVoiceFrame | RawFrame


@dataclass(frozen=True, slots=True)
class DisplayState:
    """What a display would show after a batch of frames: lines by window and the voice queue."""

    lines: dict[int, DisplayLine] = field(default_factory=dict)
    voice: tuple[str, ...] = ()


def crc16(data: bytes) -> bytes:
    """CRC16/MODBUS of ``data`` in wire order (low byte first), as the protocol specifies."""
    # pymodbus returns the CRC as a big-endian int of the wire bytes, so to_bytes("big") keeps wire order.
    return FramerRTU.compute_CRC(data).to_bytes(2, "big")


def encode_frame(command: int, data: bytes, *, address: int = BROADCAST_ADDRESS, version: int = VERSION_100) -> bytes:
    """Frame ``data`` for ``command``: header, length, data and CRC. Single packet (PN = 0xFFFF)."""
    _byte("address", address)
    _byte("command", command)
    if version == VERSION_100:
        if len(data) > _MAX_DATA_V100:
            raise LedFrameError(LedFrameErrorCode.TEXT_TOO_LONG, f"{len(data)} data bytes > {_MAX_DATA_V100}")
        length = bytes((len(data),))
    elif version == VERSION_200:
        if len(data) > 0xFFFF:
            raise LedFrameError(LedFrameErrorCode.TEXT_TOO_LONG, f"{len(data)} data bytes > 65535")
        length = len(data).to_bytes(2, "little")
    else:
        raise LedFrameError(LedFrameErrorCode.UNSUPPORTED_VERSION, f"version {version:#04x}")
    body = bytes((address, version)) + LAST_PACKET.to_bytes(2, "big") + bytes((command,)) + length + data
    return body + crc16(body)


def _gbk(text: str, what: str, limit: int) -> bytes:
    try:
        raw = text.encode(TEXT_ENCODING)
    except UnicodeEncodeError as exc:
        raise LedFrameError(
            LedFrameErrorCode.NOT_ENCODABLE, f"{what} {text!r} has characters outside GBK: {exc.reason}"
        ) from exc
    if len(raw) > limit:
        raise LedFrameError(LedFrameErrorCode.TEXT_TOO_LONG, f"{what} is {len(raw)} GBK bytes > {limit}")
    return raw


def encode_text(line: DisplayLine, *, window: int = 0, address: int = BROADCAST_ADDRESS) -> bytes:
    """Command 0x62 (temporary text): show ``line`` in ``window`` (0 = first line) until replaced."""
    _byte("window", window)
    raw = _gbk(line.text, "line text", MAX_TEXT_BYTES)
    data = (
        bytes(
            (
                window,
                line.scroll,
                line.speed,
                0,  # stay mode, reserved: always 0
                line.dwell_s,
                line.exit_mode,
                line.exit_speed,
                line.font,
                line.repeat,
            )
        )
        + line.color.to_bytes()
        + line.background.to_bytes()
        + len(raw).to_bytes(2, "little")
        + raw
    )
    return encode_frame(Command.TEMP_TEXT, data, address=address)


def encode_voice(text: str, *, mode: VoiceMode = VoiceMode.REPLACE_AND_PLAY, address: int = BROADCAST_ADDRESS) -> bytes:
    """Command 0x30 (play voice): the display speaks ``text`` from its phrase library (comma-separated)."""
    raw = _gbk(text, "voice text", MAX_VOICE_BYTES)
    return encode_frame(Command.PLAY_VOICE, bytes((mode,)) + raw, address=address)


def encode_stop_voice(*, address: int = BROADCAST_ADDRESS) -> bytes:
    return encode_frame(Command.STOP_VOICE, b"", address=address)


def encode_display(
    lines: Sequence[str | DisplayLine],
    voice: str | None = None,
    *,
    address: int = BROADCAST_ADDRESS,
    voice_mode: VoiceMode = VoiceMode.REPLACE_AND_PLAY,
) -> list[bytes]:
    """Frames that show ``lines`` (window 0 upwards) and then speak ``voice``: one frame per line."""
    if len(lines) > MAX_LINES:
        raise LedFrameError(LedFrameErrorCode.BAD_FIELD, f"{len(lines)} lines > {MAX_LINES}")
    frames = [
        encode_text(line if isinstance(line, DisplayLine) else DisplayLine(line), window=i, address=address)
        for i, line in enumerate(lines)
    ]
    if voice:
        frames.append(encode_voice(voice, mode=voice_mode, address=address))
    return frames


def _decode_gbk(raw: bytes, what: str) -> str:
    try:
        return raw.decode(TEXT_ENCODING)
    except UnicodeDecodeError as exc:
        raise LedFrameError(LedFrameErrorCode.NOT_ENCODABLE, f"{what} is not GBK: {exc.reason}") from exc


def _enum(kind: type[_E], value: int, name: str) -> _E:
    try:
        return kind(value)
    except ValueError as exc:
        raise LedFrameError(LedFrameErrorCode.BAD_FIELD, f"unknown {name} {value:#04x}") from exc


def _decode_text(address: int, data: bytes) -> TextFrame:
    if len(data) < _TEXT_HEADER_LEN:
        raise LedFrameError(LedFrameErrorCode.BAD_LENGTH, f"text data {len(data)} bytes < {_TEXT_HEADER_LEN}")
    text_len = int.from_bytes(data[17:19], "little")
    if text_len != len(data) - _TEXT_HEADER_LEN:
        raise LedFrameError(
            LedFrameErrorCode.BAD_LENGTH, f"TL says {text_len} bytes, {len(data) - _TEXT_HEADER_LEN} present"
        )
    line = DisplayLine(
        text=_decode_gbk(data[_TEXT_HEADER_LEN:], "line text"),
        color=Rgb(data[9], data[10], data[11]),
        scroll=_enum(ScrollMode, data[1], "scroll mode"),
        speed=data[2],
        dwell_s=data[4],
        exit_mode=_enum(ScrollMode, data[5], "exit mode"),
        exit_speed=data[6],
        font=_enum(Font, data[7], "font"),
        repeat=data[8],
        background=Rgb(data[13], data[14], data[15]),
    )
    return TextFrame(address=address, window=data[0], line=line)


def decode_frame(frame: bytes) -> Frame:
    """Parse and check one frame (CRC, declared length) into a typed frame."""
    if len(frame) < _HEADER_LEN + 1 + _CRC_LEN:
        raise LedFrameError(LedFrameErrorCode.TOO_SHORT, f"{len(frame)} bytes is shorter than any frame")
    address, version, command = frame[0], frame[1], frame[4]
    if version == VERSION_100:
        length, start = frame[5], _HEADER_LEN + 1
    elif version == VERSION_200:
        length, start = int.from_bytes(frame[5:7], "little"), _HEADER_LEN + 2
    else:
        raise LedFrameError(LedFrameErrorCode.UNSUPPORTED_VERSION, f"version {version:#04x}")
    if len(frame) != start + length + _CRC_LEN:
        raise LedFrameError(
            LedFrameErrorCode.BAD_LENGTH, f"DL says {length} data bytes, frame holds {len(frame) - start - 2}"
        )
    expected = crc16(frame[:-_CRC_LEN])
    if frame[-_CRC_LEN:] != expected:
        raise LedFrameError(
            LedFrameErrorCode.BAD_CRC, f"CRC {frame[-2:].hex()} does not match computed {expected.hex()}"
        )
    data = frame[start:-_CRC_LEN]
    if command == Command.TEMP_TEXT:
        return _decode_text(address, data)
    if command == Command.PLAY_VOICE:
        if not data:
            raise LedFrameError(LedFrameErrorCode.BAD_LENGTH, "voice frame without option byte")
        return VoiceFrame(
            address=address,
            text=_decode_gbk(data[1:], "voice text"),
            mode=_enum(VoiceMode, data[0], "voice mode"),
        )
    if command == Command.STOP_VOICE:
        return StopVoiceFrame(address=address)
    return RawFrame(address=address, command=command, data=data)


def decode_display(frames: Iterable[bytes]) -> DisplayState:
    """Replay ``frames`` the way a display would and return what it shows and says."""
    lines: dict[int, DisplayLine] = {}
    voice: list[str] = []
    for raw in frames:
        frame = decode_frame(raw)
        if isinstance(frame, TextFrame):
            lines[frame.window] = frame.line
        elif isinstance(frame, VoiceFrame):
            if frame.mode == VoiceMode.REPLACE_AND_PLAY:
                voice.clear()
            voice.append(frame.text)
        elif isinstance(frame, StopVoiceFrame):
            voice.clear()
        else:
            logger.debug("ignoring display command %#04x", frame.command)
    return DisplayState(lines=dict(sorted(lines.items())), voice=tuple(voice))
