"""Camera messages as the firmware sends them, built from the captured payloads in tests/fixtures/cameras.

Vzenith (臻识) IVS/R5 ``AlarmInfoPlate`` plate results (vzenith_r5_plate.json, as pushed by an R5) with only the
fields a test varies replaced, and the device-registration heartbeat (vzenith_ivs_heartbeat.multipart, as the
IVS firmware posts it with curl's boundary). ``timeStamp.Timeval`` carries the camera's clock twice, as the
firmware does: ``sec``/``usec`` (UNIX time) and the ``dec*`` fields (the camera's local wall clock).
"""

from __future__ import annotations

import copy
import json
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

FIXTURES = Path(__file__).parent.parent / "fixtures" / "cameras"
CAMERA_TZ = ZoneInfo("Asia/Shanghai")
_HEARTBEAT_SERIAL = b"d85b1269-8f942256"
_HEARTBEAT_TYPE = "multipart/form-data; boundary=------------------------caa771fe4a61f3d9"
BLUE = 1  # colorType
JSON_TYPE = "application/json"


@cache
def _plate_result() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((FIXTURES / "vzenith_r5_plate.json").read_text(encoding="utf-8"))
    return loaded


def vzenith_plate(
    serial: str, license_text: str, plate_id: int, camera_at: datetime, *, offline: bool = False
) -> bytes:
    """A plate result: ``license_text`` read by camera ``serial`` with its ``plateid``, stamped ``camera_at`` by the
    camera's clock (right or wrong)."""
    doc = copy.deepcopy(_plate_result())
    alarm = doc["AlarmInfoPlate"]
    alarm["serialno"] = serial
    result = alarm["result"]["PlateResult"]
    result["license"] = license_text
    result["plates"][0]["license"] = license_text
    result["colorType"] = result["plates"][0]["color"] = BLUE
    result["plateid"] = plate_id
    result["isoffline"] = int(offline)
    local = camera_at.astimezone(CAMERA_TZ)
    result["timeStamp"]["Timeval"] = {
        "decday": local.day,
        "dechour": local.hour,
        "decmin": local.minute,
        "decmon": local.month,
        "decsec": local.second,
        "decyear": local.year,
        "sec": int(camera_at.timestamp()),
        "usec": camera_at.microsecond,
    }
    # The firmware writes UTF-8 JSON; a lone surrogate can only travel escaped, as json.dumps writes it.
    return json.dumps(doc, ensure_ascii=False).encode("utf-8", "backslashreplace")


def vzenith_heartbeat(serial: str) -> tuple[bytes, str]:
    """The registration heartbeat (also the camera's poll for commands): body and content type."""
    body = (FIXTURES / "vzenith_ivs_heartbeat.multipart").read_bytes().replace(_HEARTBEAT_SERIAL, serial.encode())
    return body, _HEARTBEAT_TYPE


HIKVISION_SERIAL = "24:0f:9b:5a:31:c2"  # the fixture camera's MAC: ISAPI alerts carry no serial number
HIKVISION_TYPE = "multipart/form-data; boundary=MIME_boundary"


def hikvision_anpr(license_text: str) -> bytes:
    """The ANPR alert of a DS-TCG camera (hikvision_anpr.multipart) reading ``license_text``; the XML part's
    declared length follows the new text."""
    body = (FIXTURES / "hikvision_anpr.multipart").read_bytes()
    old = "<licensePlate>浙A12345</licensePlate>".encode()
    new = f"<licensePlate>{license_text}</licensePlate>".encode()
    length = body.split(b"Content-Length: ", 1)[1].split(b"\r\n", 1)[0].split(b"\n", 1)[0]
    grown = int(length) + len(new) - len(old)
    return body.replace(old, new).replace(b"Content-Length: " + length, b"Content-Length: %d" % grown, 1)
