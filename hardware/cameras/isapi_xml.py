"""ISAPI XML as Hikvision firmware writes it: one safe parser, namespaces folded, and the documents we read.

Firmware puts its documents in ``http://www.hikvision.com/ver20/XMLSchema`` (older and most Chinese-market
firmware), in ``http://www.isapi.org/ver20/XMLSchema`` (newer firmware), or in no namespace at all (some
alarm-host and OEM builds). All three are the same ISAPI schema (Hikvision ISAPI developer guide, "XML
namespace" and the ``ResponseStatus`` / ``DeviceInfo`` / ``EventNotificationAlert`` schemas), so every reader
here compares local names once the namespace has been checked; a document in any other namespace is not ISAPI.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import NoReturn
from xml.parsers import expat

HIKVISION_NS = "http://www.hikvision.com/ver20/XMLSchema"
ISAPI_NS = "http://www.isapi.org/ver20/XMLSchema"
#: The namespaces ISAPI firmware writes its documents in ("" = none).
NAMESPACES = frozenset({HIKVISION_NS, ISAPI_NS, ""})
MAX_XML_BYTES = 256 * 1024


class IsapiXmlError(ValueError):
    """Not an ISAPI document: ``reason`` is ``malformed``, ``entities``, ``too_large``, ``namespace`` or
    ``root``."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def _refuse_dtd(*_args: object) -> NoReturn:
    raise IsapiXmlError("entities", "XML with a DOCTYPE or entity declarations")


def parse(data: bytes, *roots: str, max_bytes: int = MAX_XML_BYTES) -> ET.Element:
    """The document's root with local tag names; ``roots`` (if given) are the root names accepted."""
    if len(data) > max_bytes:
        raise IsapiXmlError("too_large", f"XML is {len(data)} bytes > limit {max_bytes}")
    builder = ET.TreeBuilder()
    # pyexpat directly (as defusedxml does): no ISAPI document needs a DTD, so any DTD or entity is refused.
    # The "}" separator yields "uri}local" tags, which are cut to local names below.
    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    parser.ExternalEntityRefHandler = _refuse_dtd
    try:
        parser.Parse(data, True)
        root = builder.close()
    except expat.ExpatError as exc:
        raise IsapiXmlError("malformed", f"not XML: {exc}") from exc
    namespace = root.tag.rsplit("}", 1)[0] if "}" in root.tag else ""
    if namespace not in NAMESPACES:
        raise IsapiXmlError("namespace", f"XML namespace {namespace!r} is not ISAPI's")
    for element in root.iter():
        element.tag = element.tag.rsplit("}", 1)[-1]
    if roots and root.tag not in roots:
        raise IsapiXmlError("root", f"expected {' or '.join(roots)}, got {root.tag}")
    return root


def text(root: ET.Element, path: str) -> str | None:
    """The stripped text at ``path`` (local names), None when absent or blank."""
    element = root.find(path)
    if element is None or element.text is None or not element.text.strip():
        return None
    return element.text.strip()


@dataclass(frozen=True, slots=True)
class ResponseStatus:
    """The camera's answer to a request (ISAPI ``ResponseStatus``): ``statusCode`` 1 is OK; 2 device busy,
    3 device error, 4 invalid operation, 5 invalid XML format, 6 invalid XML content, 7 reboot required."""

    status_code: int
    status_string: str = ""
    sub_status_code: str = ""
    request_url: str = ""

    @property
    def ok(self) -> bool:
        return self.status_code == 1

    def describe(self) -> str:
        """As the camera said it: ``1 OK (ok)``, ``4 Invalid Operation (notSupport)``."""
        words = " ".join(part for part in (str(self.status_code), self.status_string) if part)
        return f"{words} ({self.sub_status_code})" if self.sub_status_code else words


def response_status(data: bytes) -> ResponseStatus:
    root = parse(data, "ResponseStatus")
    code = text(root, "statusCode")
    if code is None or not code.isdigit():
        raise IsapiXmlError("malformed", f"ResponseStatus/statusCode is {code!r}")
    return ResponseStatus(
        status_code=int(code),
        status_string=text(root, "statusString") or "",
        sub_status_code=text(root, "subStatusCode") or "",
        request_url=text(root, "requestURL") or "",
    )


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    """``GET /ISAPI/System/deviceInfo``: who the camera is. ``mac`` is lower case, colon separated."""

    device_name: str | None
    device_id: str | None
    model: str | None
    serial_number: str | None
    mac: str | None
    firmware: str | None


def normalize_mac(value: str | None) -> str | None:
    """``24-0F-9B-5A-31-C2`` / ``240f9b5a31c2`` -> ``24:0f:9b:5a:31:c2``; None when it is no MAC."""
    if not value:
        return None
    digits = "".join(ch for ch in value.lower() if ch in "0123456789abcdef")
    if len(digits) != 12 or len(value.replace(":", "").replace("-", "").strip()) != 12:
        return None
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


def device_info(data: bytes) -> DeviceInfo:
    root = parse(data, "DeviceInfo")
    firmware = text(root, "firmwareVersion")
    released = text(root, "firmwareReleasedDate")
    return DeviceInfo(
        device_name=text(root, "deviceName"),
        device_id=text(root, "deviceID"),
        model=text(root, "model"),
        serial_number=text(root, "serialNumber"),
        mac=normalize_mac(text(root, "macAddress")),
        firmware=f"{firmware} {released}" if firmware and released else firmware,
    )
