"""Camera push endpoints: the hot path, plain HTTP (not GraphQL), one short transaction per reading.

``POST /devices/{protocol}/push`` with protocol vzenith, hikvision or generic. The device proves who it is
with its secret in the ``key`` query parameter (a camera can only be given a URL) or the ``X-Device-Key``
header. Every request gets a reply in the camera's own format, even a refusal: a camera that receives garbage
retries forever.
"""

from __future__ import annotations

import logging
from datetime import datetime

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hardware.cameras import (
    DEFAULT_MAX_BODY_BYTES,
    CameraHeartbeat,
    CameraProtocol,
    CameraPushError,
    CameraReading,
    CameraReply,
    encode_reply,
    generic,
    hikvision,
    vzenith,
)
from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.scope import Scope
from parking.devices import whitelist
from parking.images import ImageStore
from parking.lanes import gates
from parking.lanes.device_auth import DeviceIdentity, DeviceRefused, Refusal, authenticate, record_refusal
from parking.lanes.device_cache import DeviceCache
from parking.lanes.flow import LaneInput, Outcome, handle_reading
from parking.lanes.sites import SiteCache
from parking.plates import NO_PLATE, InvalidPlate, PlateColor, fold_plate, normalize_plate
from parking.sessions.enums import ReadingSource

logger = logging.getLogger(__name__)


def decode_message(protocol: CameraProtocol, body: bytes, content_type: str) -> CameraReading | CameraHeartbeat:
    """A push of any supported protocol, or CameraPushError."""
    if protocol is CameraProtocol.VZENITH:
        return vzenith.decode_message(body, content_type)
    if protocol is CameraProtocol.HIKVISION:
        return hikvision.decode_message(body, content_type)
    return generic.decode_message(body)


def plate_of(reading: CameraReading) -> tuple[str, float]:
    """Our plate key for a camera's text; text that is no plate keeps its folded form with no confidence."""
    if reading.plate_text is None:
        return NO_PLATE, reading.confidence
    try:
        return normalize_plate(reading.plate_text), reading.confidence
    except InvalidPlate:
        return fold_plate(reading.plate_text)[:16] or NO_PLATE, 0.0


def dedup_key(reading: CameraReading) -> str:
    """Replays of one record (offline uploads, retries) share a key: the camera's own id when it has one."""
    if reading.camera_plate_id is not None:
        return f"{reading.protocol}:{reading.serial}:{reading.camera_plate_id}"
    if reading.event_id:
        return f"{reading.protocol}:{reading.serial}:e{reading.event_id}"[:128]
    return f"{reading.protocol}:{reading.serial}:{reading.taken_at.timestamp():.3f}:{reading.plate_text or ''}"[:128]


def _color(reading: CameraReading) -> PlateColor:
    try:
        return PlateColor(reading.color.value)
    except ValueError:
        return PlateColor.UNKNOWN


def camera_response(protocol: CameraProtocol, reply: CameraReply, status: int = 200) -> Response:
    """The HTTP response carrying ``reply`` in the camera's own format."""
    encoded = encode_reply(protocol, reply)
    return Response(
        encoded.body, status_code=status if status != 200 else encoded.status_code, media_type=encoded.content_type
    )


async def _read_body(request: Request, limit: int) -> bytes | None:
    """The body, or None when it is larger than ``limit`` (stop reading: never buffer an attacker's gigabytes)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


class LaneEndpoints:
    def __init__(
        self,
        db: Database,
        images: ImageStore,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        sites: SiteCache | None = None,
        devices: DeviceCache | None = None,
    ) -> None:
        self.db = db
        self.sites = sites
        self.devices = devices
        self.images = images
        self.max_body_bytes = max_body_bytes

    def routes(self) -> list[Route]:
        return [Route("/devices/{protocol}/push", self.push, methods=["POST"])]

    async def _refuse(
        self, protocol: CameraProtocol, serial: str, ip: str | None, reason: Refusal, detail: str
    ) -> None:
        async with self.db.transaction(Scope.internal()) as tx:
            await record_refusal(tx, protocol.value, serial, ip, reason, detail, utcnow())

    async def push(self, request: Request) -> Response:
        try:
            protocol = CameraProtocol(request.path_params["protocol"])
        except ValueError:
            return Response("unknown protocol", status_code=404)
        ip = request.client.host if request.client else None
        body = await _read_body(request, self.max_body_bytes)
        if body is None:
            await self._refuse(protocol, "", ip, Refusal.MALFORMED, "body too large")
            return camera_response(protocol, CameraReply(open=False), 413)
        try:
            message = decode_message(protocol, body, request.headers.get("content-type", ""))
        except CameraPushError as err:
            logger.info("refused %s push from %s: %s", protocol, ip, err)
            await self._refuse(protocol, "", ip, Refusal.MALFORMED, f"{err.code}: {err.message}")
            return camera_response(protocol, CameraReply(open=False), 400)
        secret = request.query_params.get("key") or request.headers.get("x-device-key")
        now = utcnow()
        identity = self.devices.identity(message.serial, secret, ip, now) if self.devices else None
        if identity is None:
            refused: DeviceRefused | None = None
            async with self.db.transaction(Scope.internal()) as tx:
                try:
                    identity = await authenticate(
                        tx, protocol.value, message.serial, secret, ip, now, cache=self.devices
                    )
                except DeviceRefused as err:
                    refused = err  # caught inside: the refusal and its alarm commit with this transaction
            if refused is not None:
                logger.info("refused %s push from %s (%s): %s", protocol, ip, message.serial, refused)
                return camera_response(protocol, CameraReply(open=False), 403)
            assert identity is not None  # authenticate returns an identity or raises
        if isinstance(message, CameraHeartbeat):
            return await self._heartbeat(protocol, identity, now)
        outcome = await self._reading(protocol, identity, message, now)
        decision = outcome.decision
        if message.is_offline:
            # An offline record is acknowledged by its plate id; one without an id gets a plain hold (never a
            # 500: the camera would resend it forever).
            if message.camera_plate_id is None:
                return camera_response(protocol, CameraReply(open=False))
            return camera_response(protocol, CameraReply.for_reading(message, open=False))
        return camera_response(
            protocol,
            CameraReply.for_reading(
                message, open=decision.opens, lines=decision.lines[:4], voice=decision.voice or None
            ),
        )

    async def _heartbeat(self, protocol: CameraProtocol, identity: DeviceIdentity, now: datetime) -> Response:
        """A keep-alive is also the camera asking for work: a pending remote open and a pending whitelist push go
        out in the answer."""
        assert identity.lane_id is not None
        async with self.db.transaction(Scope.internal()) as tx:
            command = await gates.take_pending(tx, identity.lane_id, now)
            plates = await whitelist.take_for_camera(tx, identity.device_id, now)
        return camera_response(protocol, CameraReply(open=command is not None, whitelist=plates))

    async def _reading(
        self, protocol: CameraProtocol, identity: DeviceIdentity, reading: CameraReading, now: datetime
    ) -> Outcome:
        assert identity.lane_id is not None
        plate, confidence = plate_of(reading)
        image = reading.full_image or reading.plate_image
        image_ref = await self.images.put(image, reading.taken_at) if image else ""
        return await handle_reading(
            self.db,
            LaneInput(
                lane_id=identity.lane_id,
                plate=plate,
                color=_color(reading),
                confidence=confidence,
                # A live car is at the lane now, whatever the camera's clock says; a replayed record keeps its time.
                at=reading.taken_at if reading.is_offline else now,
                dedup_key=dedup_key(reading),
                device_id=identity.device_id,
                source=ReadingSource.CAMERA,
                is_offline=reading.is_offline,
                image_ref=image_ref,
            ),
            now,
            sites=self.sites,
        )
