"""A camera reply as the HTTP response both the cloud's push endpoint and the edge agent answer with."""

from __future__ import annotations

from starlette.responses import Response

from hardware.cameras.types import CameraCodec, CameraReply


def camera_response(codec: CameraCodec, reply: CameraReply, status: int = 200) -> Response:
    """The HTTP response carrying ``reply`` in the camera's own format; a status other than 200 (a refusal) wins
    over the codec's."""
    encoded = codec.encode_reply(reply)
    return Response(
        encoded.body, status_code=status if status != 200 else encoded.status_code, media_type=encoded.content_type
    )
