"""Plate camera push codecs (Vzenith, Hikvision ISAPI, generic JSON) behind one set of neutral types."""

from __future__ import annotations

from hardware.cameras import generic, hikvision, vzenith
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

__all__ = [
    "DEFAULT_MAX_BODY_BYTES",
    "DEFAULT_MAX_IMAGE_BYTES",
    "CameraHeartbeat",
    "CameraProtocol",
    "CameraPushError",
    "CameraReading",
    "CameraReply",
    "EncodedReply",
    "PlateColorName",
    "PushErrorCode",
    "Trigger",
    "encode_reply",
]


def encode_reply(protocol: CameraProtocol | str, reply: CameraReply) -> EncodedReply:
    """The HTTP reply body telling a camera of ``protocol`` what the lane decided."""
    kind = CameraProtocol(protocol)
    if kind is CameraProtocol.VZENITH:
        return vzenith.encode_reply(reply)
    if kind is CameraProtocol.HIKVISION:
        return hikvision.encode_reply(reply)
    return generic.encode_reply(reply)
