"""Plate camera push codecs (Vzenith, Hikvision ISAPI, generic JSON) behind one Protocol, found by protocol name.

A new vendor is one module here with a ``CODEC`` (a ``CameraCodec``), its name in ``CameraProtocol`` and its
``CODEC`` in ``CODECS``: the cloud's push endpoint and the edge agent find it by the protocol in the push URL.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from hardware.cameras import generic, hikvision, vzenith
from hardware.cameras.types import (
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_MAX_IMAGE_BYTES,
    CameraCodec,
    CameraHeartbeat,
    CameraMessage,
    CameraProtocol,
    CameraPushError,
    CameraReading,
    CameraReply,
    EncodedReply,
    PlateColorName,
    PushErrorCode,
    Trigger,
    dedup_key,
)

__all__ = [
    "CODECS",
    "DEFAULT_MAX_BODY_BYTES",
    "DEFAULT_MAX_IMAGE_BYTES",
    "CameraCodec",
    "CameraHeartbeat",
    "CameraMessage",
    "CameraProtocol",
    "CameraPushError",
    "CameraReading",
    "CameraReply",
    "EncodedReply",
    "PlateColorName",
    "PushErrorCode",
    "Trigger",
    "codec_for",
    "dedup_key",
    "encode_reply",
]

_SPOKEN: tuple[CameraCodec, ...] = (vzenith.CODEC, hikvision.CODEC, generic.CODEC)
CODECS: Mapping[CameraProtocol, CameraCodec] = MappingProxyType({codec.protocol: codec for codec in _SPOKEN})


def codec_for(protocol: CameraProtocol | str) -> CameraCodec:
    """The codec of ``protocol``; ValueError for a protocol no codec speaks."""
    return CODECS[CameraProtocol(protocol)]


def encode_reply(protocol: CameraProtocol | str, reply: CameraReply) -> EncodedReply:
    """The HTTP reply body telling a camera of ``protocol`` what the lane decided."""
    return codec_for(protocol).encode_reply(reply)
