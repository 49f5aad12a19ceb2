"""Helpers shared by the camera codecs: size checks, strict base64 images and stdlib multipart parsing."""

from __future__ import annotations

import base64
import email.parser
import email.policy
import json
import logging
from dataclasses import dataclass, replace
from email.message import EmailMessage
from typing import Any

from hardware.cameras.types import CameraPushError, CameraReply, PushErrorCode
from hardware.displays.led_frames import TEXT_ENCODING, DisplayLine, LedFrameError, encode_display

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Part:
    name: str | None
    filename: str | None
    content_type: str
    data: bytes


def check_body_size(body: bytes, max_bytes: int) -> None:
    if len(body) > max_bytes:
        raise CameraPushError(PushErrorCode.BODY_TOO_LARGE, f"body is {len(body)} bytes > limit {max_bytes}")


def check_image_size(data: bytes, field: str, max_bytes: int) -> None:
    if len(data) > max_bytes:
        raise CameraPushError(PushErrorCode.IMAGE_TOO_LARGE, f"{field} is {len(data)} bytes > limit {max_bytes}")


def decode_image(value: str, field: str, max_bytes: int) -> bytes | None:
    """Strict base64 image; "" means the camera was set not to send it."""
    # Some firmware wraps base64 at 76 columns; line breaks are not corruption.
    text = "".join(value.split())
    if not text:
        return None
    # Check the size before decoding so an oversized push costs no memory beyond the body itself.
    if len(text) // 4 * 3 > max_bytes + 2:
        raise CameraPushError(
            PushErrorCode.IMAGE_TOO_LARGE, f"{field} is about {len(text) // 4 * 3} bytes > limit {max_bytes}"
        )
    try:
        data = base64.b64decode(text, validate=True)
    except ValueError as exc:  # binascii.Error, and the ValueError of a non-ASCII string
        raise CameraPushError(PushErrorCode.BAD_BASE64, f"{field} is not valid base64: {exc}") from exc
    check_image_size(data, field, max_bytes)
    return data


def load_json_object(body: bytes, max_bytes: int) -> dict[str, Any]:
    """A JSON object, or CameraPushError: never another exception, whatever the body (absurd nesting overflows
    the parser's recursion, a 5,000-digit number exceeds Python's integer-conversion limit)."""
    check_body_size(body, max_bytes)
    try:
        doc = json.loads(body)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise CameraPushError(PushErrorCode.MALFORMED_JSON, f"body is not JSON: {str(exc)[:120]}") from None
    if not isinstance(doc, dict):
        raise CameraPushError(PushErrorCode.WRONG_TYPE, f"body must be a JSON object, got {type(doc).__name__}")
    return doc


def image_or_problem(value: object, field: str, max_bytes: int) -> tuple[bytes | None, str | None]:
    """A picture field read leniently: (bytes, None), or (None, "field: code") when it is wrong, so that a bad
    picture costs the picture and not the reading."""
    if value is None:
        return None, None
    if not isinstance(value, str):
        return None, f"{field}: {PushErrorCode.WRONG_TYPE}"
    try:
        return decode_image(value, field, max_bytes), None
    except CameraPushError as err:
        return None, f"{field}: {err.code}"


def display_frames(reply: CameraReply) -> list[bytes]:
    """The LED and voice frames of a reply; text the card cannot show (outside GBK, as a misread plate can be)
    becomes "?" rather than failing the whole reply."""
    lines = tuple(
        replace(line, text=_gbk(line.text)) if isinstance(line, DisplayLine) else _gbk(line) for line in reply.lines
    )
    voice = _gbk(reply.voice) if reply.voice is not None else None
    try:
        return encode_display(lines, voice, address=reply.display_address)
    except LedFrameError:
        logger.warning("display frames left out of a camera reply", exc_info=True)
        return []


def _gbk(text: str) -> str:
    return text.encode(TEXT_ENCODING, errors="replace").decode(TEXT_ENCODING)


def media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def parse_multipart(body: bytes, content_type: str) -> list[Part]:
    """Split a multipart/form-data (or multipart/mixed) body into parts with the stdlib email parser."""
    if not media_type(content_type).startswith("multipart/"):
        raise CameraPushError(PushErrorCode.UNSUPPORTED_CONTENT_TYPE, f"expected multipart, got {content_type!r}")
    header = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(header + body)
    if not isinstance(message, EmailMessage) or not message.is_multipart():
        raise CameraPushError(PushErrorCode.MALFORMED_MULTIPART, "body is not a multipart message")
    if message.defects:
        raise CameraPushError(PushErrorCode.MALFORMED_MULTIPART, f"multipart defects: {message.defects}")
    parts: list[Part] = []
    for sub in message.iter_parts():
        payload = sub.get_payload(decode=True)
        if not isinstance(payload, bytes):
            raise CameraPushError(PushErrorCode.MALFORMED_MULTIPART, "nested multipart parts are not supported")
        parts.append(
            Part(
                name=sub.get_param("name", header="content-disposition"),  # type: ignore[arg-type]
                filename=sub.get_filename(),
                content_type=sub.get_content_type(),
                data=payload,
            )
        )
    if not parts:
        raise CameraPushError(PushErrorCode.MALFORMED_MULTIPART, "multipart body has no parts")
    return parts
