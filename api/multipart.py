"""A strict reader of small ``multipart/form-data`` bodies (a mini-program's ``uni.uploadFile``), read whole.

python-multipart, which starlette's ``request.form()`` needs, is not a dependency: an upload endpoint reads its
capped body and splits it here. Only what a form upload sends is understood: parts with a
``Content-Disposition: form-data; name=...`` header, a file part naming a ``filename``.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import Message


class MultipartError(ValueError):
    """The body is not a multipart form this reader understands."""


@dataclass(frozen=True)
class Part:
    name: str
    filename: str | None
    data: bytes


def _params(header: str) -> Message:
    message = Message()
    message["content-type"] = header
    return message


def boundary_of(content_type: str) -> bytes:
    message = _params(content_type)
    boundary = message.get_param("boundary")
    if message.get_content_type() != "multipart/form-data" or not isinstance(boundary, str):
        raise MultipartError("not multipart/form-data")
    if not 0 < len(boundary) <= 70:
        raise MultipartError("boundary")
    return boundary.encode("latin-1")


def _part(segment: bytes) -> Part:
    head, sep, data = segment.partition(b"\r\n\r\n")
    if not sep:
        raise MultipartError("part without headers")
    disposition = None
    for line in head.split(b"\r\n"):
        name, colon, value = line.partition(b":")
        if colon and name.strip().lower() == b"content-disposition":
            disposition = value.strip().decode("utf-8", "replace")
    if disposition is None:
        raise MultipartError("part without Content-Disposition")
    params = _params(f"form-data/x; {disposition.partition(';')[2]}")
    field = params.get_param("name")
    filename = params.get_param("filename")
    if not isinstance(field, str):
        raise MultipartError("part without a name")
    return Part(field, filename if isinstance(filename, str) else None, data)


def parse(body: bytes, content_type: str) -> list[Part]:
    """The parts of ``body``, in order; MultipartError for anything malformed."""
    delimiter = b"--" + boundary_of(content_type)
    start = body.find(delimiter)
    if start == -1:
        raise MultipartError("no boundary in the body")
    parts: list[Part] = []
    # Each part follows a delimiter line and ends with CRLF before the next one; the last delimiter ends in "--".
    for segment in body[start + len(delimiter) :].split(b"\r\n" + delimiter):
        if segment.startswith(b"--"):
            return parts
        line_end = segment.find(b"\r\n")
        if line_end == -1 or segment[:line_end].strip(b" \t"):
            raise MultipartError("delimiter line")
        parts.append(_part(segment[line_end + 2 :]))
    raise MultipartError("no closing delimiter")
