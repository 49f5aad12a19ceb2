"""Camera push endpoints: the hot path, plain HTTP (not GraphQL), one short transaction per reading.

``POST /devices/{protocol}/push`` with protocol vzenith, hikvision or generic. The device proves who it is
with its secret in the ``key`` query parameter (a camera can only be given a URL) or the ``X-Device-Key``
header. Every request gets a reply in the camera's own format, even a refusal: a camera that receives garbage
retries forever.
"""

from __future__ import annotations

import base64
import logging
from datetime import datetime

from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route

from api.limits import read_capped_body
from api.metrics import timed_decision
from hardware.cameras import (
    DEFAULT_MAX_BODY_BYTES,
    CameraCodec,
    CameraHeartbeat,
    CameraPushError,
    CameraReading,
    CameraReply,
    Trigger,
    codec_for,
    dedup_key,
)
from hardware.cameras.http import camera_response
from hardware.cameras.types import CameraEvent, EventKind
from parking.alarms.models import AlarmKind
from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.scope import Scope
from parking.devices import camera_clock
from parking.devices import texts as device_texts
from parking.devices.auth import DeviceIdentity, DeviceRefused, Refusal, authenticate, record_refusal
from parking.devices.cache import DeviceCache, DeviceSeen, remember_seen
from parking.devices.models import DeviceMessageKind
from parking.devices.wakeup import WAKEUPS_SERVICE, CameraWorkQueued, Wakeups, lane_key, wake_held_polls
from parking.images import ImageStore, ImageStoreUnavailable
from parking.lanes import camera_messages
from parking.lanes.camera_messages import Sender
from parking.lanes.camera_polls import CameraPolls
from parking.lanes.flow import InputNote, LaneInput, Outcome, handle_reading
from parking.lanes.sites import SiteCache
from parking.plates import PlateColor, read_plate
from parking.sessions.enums import ReadingSource

logger = logging.getLogger(__name__)


def _color(reading: CameraReading) -> PlateColor:
    try:
        return PlateColor(reading.color.value)
    except ValueError:
        return PlateColor.UNKNOWN


_MESSAGE_KINDS = {
    EventKind.IO_INPUT: DeviceMessageKind.IO_INPUT,
    EventKind.SERIAL_DATA: DeviceMessageKind.SERIAL_DATA,
    EventKind.SNAPSHOT: DeviceMessageKind.SNAPSHOT,
    EventKind.UNKNOWN: DeviceMessageKind.UNKNOWN,
}


def _offline_ack(plate_id: int | None) -> CameraReply:
    """``ContinuePushOffline`` for the record just sent (plate id 0 when the camera sent none we could read)."""
    return CameraReply(open=False, plate_id=plate_id if plate_id is not None else 0, offline=True)


def _refusal_reply(codec: CameraCodec, body: bytes) -> CameraReply:
    """The reply to a push we could not read: still the acknowledgement when it is an offline record, so that
    one broken record never holds back the camera's backlog."""
    offline, plate_id = codec.peek_offline_plate_id(body)
    if offline:
        return _offline_ack(plate_id)
    return CameraReply(open=False)


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
        self.clock_samples = camera_clock.OffsetSamples()
        # One per database: whoever queues a command for a camera wakes its held poll through this.
        wakeups = db.services.setdefault(WAKEUPS_SERVICE, Wakeups())
        db.handlers.on(CameraWorkQueued, wake_held_polls)
        if devices is not None:
            db.handlers.on(DeviceSeen, remember_seen)
        self.polls = CameraPolls(db, wakeups, devices)

    def routes(self) -> list[Route]:
        return [Route("/devices/{protocol}/push", self.push, methods=["POST"])]

    async def _refuse(self, codec: CameraCodec, serial: str, ip: str | None, reason: Refusal, detail: str) -> None:
        async with self.db.transaction(Scope.internal()) as tx:
            await record_refusal(tx, codec.protocol.value, serial, ip, reason, detail, utcnow())

    async def push(self, request: Request) -> Response:
        try:
            codec = codec_for(request.path_params["protocol"])
        except ValueError:
            return Response("unknown protocol", status_code=404)
        ip = request.client.host if request.client else None
        try:
            body = await read_capped_body(request, self.max_body_bytes)
        except ClientDisconnect:
            return Response(status_code=400)  # the camera hung up mid-body: nobody to answer, nothing to record
        if body is None:
            await self._refuse(codec, "", ip, Refusal.MALFORMED, "body too large")
            return camera_response(codec, CameraReply(open=False), 413)
        now = utcnow()
        try:
            message = codec.decode_message(body, request.headers.get("content-type", ""), received_at=now)
        except CameraPushError as err:
            logger.info("refused %s push from %s: %s", codec.protocol, ip, err)
            await self._refuse(codec, "", ip, Refusal.MALFORMED, f"{err.code}: {err.message}")
            return camera_response(codec, _refusal_reply(codec, body), 400)
        if not message.serial.isprintable():
            # Control characters are no serial (and PostgreSQL refuses NUL in text): malformed, like bad JSON.
            await self._refuse(codec, "", ip, Refusal.MALFORMED, "serial has control characters")
            return camera_response(codec, _refusal_reply(codec, body), 400)
        if isinstance(message, CameraEvent) and not message.serial:
            # A message naming no device (a TriggerImage carries only an IP address) cannot be tied to one.
            await self._refuse(codec, "", ip, Refusal.UNKNOWN_DEVICE, f"{message.kind} message names no device")
            return camera_response(codec, CameraReply())
        secret = request.query_params.get("key") or request.headers.get("x-device-key")
        identity = self.devices.identity(message.serial, secret, ip, now) if self.devices else None
        looked_up = identity is None
        if identity is None:
            refused: DeviceRefused | None = None
            async with self.db.transaction(Scope.internal()) as tx:
                try:
                    identity = await authenticate(
                        tx, codec.protocol.value, message.serial, secret, ip, now, cache=self.devices
                    )
                except DeviceRefused as err:
                    refused = err  # caught inside: the refusal and its alarm commit with this transaction
            if refused is not None:
                logger.info("refused %s push from %s (%s): %s", codec.protocol, ip, message.serial, refused)
                return camera_response(codec, CameraReply(open=False), 403)
            assert identity is not None  # authenticate returns an identity or raises
        if isinstance(message, CameraHeartbeat):
            if message.camera_time is not None:
                await self._sample_clock(identity.device_id, message.camera_time, now)
            reply = await self.polls.answer(codec, identity, now, looked_up=looked_up, gone=request.is_disconnected)
            return camera_response(codec, reply)
        try:
            if isinstance(message, CameraEvent):
                await self._event(identity, message, now)
                return camera_response(codec, CameraReply())
            return await self._answer_reading(codec, identity, message, now)
        except ImageStoreUnavailable:
            # Neither the store nor this machine's spool took the picture (the spool's disk is full): it is put
            # before the reading or message is stored, so neither was recorded, and the camera keeps the record
            # (an offline one is not acknowledged) and pushes it again. A store that is merely down or slow
            # never gets here: the picture waits in the spool (parking/images/spool.py).
            logger.warning("%s push from %s answered 503: the image store is unavailable", codec.protocol, ip)
            return camera_response(codec, CameraReply(open=False), 503)

    async def _answer_reading(
        self, codec: CameraCodec, identity: DeviceIdentity, reading: CameraReading, now: datetime
    ) -> Response:
        sender = Sender(identity.device_id, identity.lane_id, identity.lot_id)
        if reading.dropped:
            async with self.db.transaction(Scope.internal()) as tx:
                await camera_messages.record_dropped_fields(tx, sender, reading.dropped, now)
        if reading.trigger is Trigger.VEHICLE_REVERSED:
            # The car read moments ago backed away: it must not open again, nor leave a stay behind.
            plate = read_plate(reading.plate_text).plate
            async with self.db.transaction(Scope.internal()) as tx:
                await camera_messages.record_reversal(tx, sender, plate, now)
            return camera_response(codec, CameraReply.for_reading(reading, open=False))
        config = await self.polls.config(identity.device_id) if codec.polls else None
        if reading.is_offline:
            # An offline record is acknowledged whatever becomes of it, or the camera's backlog stalls on it.
            try:
                await self._reading(identity, reading, now)
            except ImageStoreUnavailable:
                raise  # not this record's fault: unacknowledged, the camera sends it again later
            except Exception:
                logger.exception("offline record %s of %s not recorded", reading.camera_plate_id, reading.serial)
            return camera_response(codec, _offline_ack(reading.camera_plate_id))
        if await self._open_for_car(codec, sender, reading, now):
            return camera_response(
                codec,
                CameraReply.for_reading(reading, open=True, io_output=config.io_output if config is not None else None),
            )
        decision = (await self._reading(identity, reading, now)).decision
        # After the decision: the barrier does not wait on a clock sample.
        await self._sample_clock(identity.device_id, reading.taken_at, now)
        return camera_response(
            codec,
            CameraReply.for_reading(
                reading,
                open=decision.opens,
                lines=decision.lines[:4],
                voice=decision.voice or None,
                io_output=config.io_output if config is not None else None,
                speaker=config.speaker if config is not None else False,
            ),
        )

    async def _sample_clock(self, device_id: int, camera_time: datetime, now: datetime) -> None:
        """A live message's camera time against ours is the camera's clock offset (written only when it moved)."""
        offset = camera_time - now
        if not self.clock_samples.due(device_id, offset, now):
            return
        async with self.db.transaction(Scope.internal()) as tx:
            await camera_clock.record_offset(tx, device_id, offset, now)
        self.clock_samples.written(device_id, offset, now)

    async def _placed(
        self, device_id: int, reading: CameraReading, now: datetime
    ) -> tuple[datetime, tuple[InputNote, ...]]:
        """When a replayed record happened, by what is known of the camera's clock (parking.devices.camera_clock)."""
        async with self.db.session(Scope.internal()) as s:
            clock = await camera_clock.load(s, device_id)
        if clock is None:
            return min(reading.taken_at, now), ()
        placed = camera_clock.place(reading.taken_at, now, clock)
        if placed.how is camera_clock.How.CAMERA:
            return placed.at, ()
        details = {
            "camera_at": reading.taken_at.isoformat(),
            "placed_at": placed.at.isoformat(),
            "how": placed.how.value,
        }
        if placed.how is camera_clock.How.CORRECTED:
            logger.info("device %s: replayed record at %s placed at %s", device_id, reading.taken_at, placed.at)
            return placed.at, ()
        message = device_texts.text(
            device_texts.DeviceText.REPLAY_TIME_DOUBTED, camera_at=f"{reading.taken_at:%Y-%m-%d %H:%M:%S}"
        )
        return placed.at, (InputNote(AlarmKind.CAMERA_CLOCK, message, details),)

    async def _open_for_car(self, codec: CameraCodec, sender: Sender, reading: CameraReading, now: datetime) -> bool:
        """A car released while it waited (a payment, an operator's open) whose camera pushes it again: the open
        goes out in this reply. Looked for only when an open was queued for the lane that no poll took, so other
        pushes pay nothing for it."""
        if not codec.polls or sender.lane_id is None or reading.plate_text is None:
            return False
        if not self.polls.wakeups.has_hint(lane_key(sender.lane_id)):
            return False
        plate = read_plate(reading.plate_text).plate
        async with self.db.transaction(Scope.internal()) as tx:
            return await camera_messages.take_open_for_car(tx, sender, plate, now)

    async def _event(self, identity: DeviceIdentity, event: CameraEvent, now: datetime) -> None:
        """Recorded once against the device; a picture goes to the image store first."""
        image_ref = ""
        if event.kind is EventKind.SNAPSHOT and event.data:
            image_ref = await self.images.put(event.data, now)
        detail = ""
        if event.kind is EventKind.SERIAL_DATA:
            detail = base64.b64encode((event.data or b"")[:140]).decode("ascii")
        elif event.kind is EventKind.UNKNOWN:
            detail = ",".join(name for name in event.names if name.isprintable())
        async with self.db.transaction(Scope.internal()) as tx:
            await camera_messages.record_message(
                tx,
                Sender(identity.device_id, identity.lane_id, identity.lot_id),
                _MESSAGE_KINDS[event.kind],
                now,
                io_input=event.io_input if event.kind is EventKind.IO_INPUT else event.channel,
                io_value=event.io_value,
                detail=detail,
                image_ref=image_ref,
            )

    async def _reading(self, identity: DeviceIdentity, reading: CameraReading, now: datetime) -> Outcome:
        assert identity.lane_id is not None
        read = read_plate(reading.plate_text)
        image = reading.full_image or reading.plate_image
        image_ref = await self.images.put(image, reading.taken_at) if image else ""
        # A live car is at the lane now, whatever the camera's clock says; a replayed record is placed by it.
        at, notes = await self._placed(identity.device_id, reading, now) if reading.is_offline else (now, ())
        return await timed_decision(
            handle_reading(
                self.db,
                LaneInput(
                    lane_id=identity.lane_id,
                    # Unreadable text goes to the flow as it came: its plate gate makes it no plate, with an alarm.
                    plate=read.plate if read.unreadable is None else reading.plate_text or "",
                    color=_color(reading),
                    confidence=reading.confidence,
                    at=at,
                    dedup_key=dedup_key(reading),
                    device_id=identity.device_id,
                    source=ReadingSource.CAMERA,
                    is_offline=reading.is_offline,
                    image_ref=image_ref,
                    notes=notes,
                ),
                now,
                sites=self.sites,
            )
        )
