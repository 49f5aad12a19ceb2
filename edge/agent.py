"""The edge agent: cameras push to it; it relays to the cloud, or decides alone when the cloud is unreachable.

Everything it decided alone goes to an outbox with the reading's dedup key and is replayed in order when the
cloud answers again. Its clock is compared with the cloud's at every sync and readings are stamped in cloud time.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from edge.cache import EdgeCache, new_stay, stay_key
from edge.local import decide_offline
from hardware.cameras import (
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
from hardware.cameras.types import CameraEvent
from parking.devices.auth import hash_secret
from parking.plates import PlateColor, read_plate

logger = logging.getLogger(__name__)

FULL_SYNC_EVERY = timedelta(minutes=10)


def plate_of(reading: CameraReading) -> tuple[str, float]:
    """Our plate key for a camera's text (parking.plates.read_plate): text that is no plate is no plate."""
    read = read_plate(reading.plate_text)
    return read.plate, reading.confidence if read.unreadable is None else 0.0


class EdgeAgent:
    def __init__(
        self,
        cloud_url: str,
        serial: str,
        key: str,
        cache: EdgeCache,
        *,
        forward_timeout_s: float = 1.5,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.cloud_url = cloud_url.rstrip("/")
        self.cache = cache
        self.forward_timeout_s = forward_timeout_s
        self._http = httpx.AsyncClient(
            headers={"X-Device-Serial": serial, "X-Device-Key": key},
            # Syncs and replays may take a while; a camera's push must not (see _forward).
            timeout=httpx.Timeout(30.0),
            trust_env=False,
            transport=transport,
        )
        self.skew = timedelta(0)  # cloud time minus edge time
        self._last_full: datetime | None = None
        self.online = False

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """One request; a pooled connection that died with the network is retried once on a fresh one."""
        try:
            return await self._http.request(method, url, **kwargs)
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError):
            return await self._http.request(method, url, **kwargs)

    def now(self) -> datetime:
        """Cloud time as best known here."""
        return datetime.now(UTC) + self.skew

    # -- talking to the cloud --------------------------------------------------------------------------------

    async def sync(self, *, full: bool = False) -> bool:
        """Fetch changes (everything when ``full`` or every 10 minutes); False when the cloud is unreachable."""
        cursor = await self.cache.get("cursor")
        due_full = full or cursor is None or self._last_full is None or self.now() - self._last_full > FULL_SYNC_EVERY
        params = {} if due_full else {"since": cursor}
        sent = time.time()
        try:
            response = await self._request("GET", f"{self.cloud_url}/api/edge/snapshot", params=params)
            response.raise_for_status()
        except httpx.HTTPError as err:
            logger.info("edge sync failed: %s", err)
            self.online = False
            return False
        received = time.time()
        snapshot: dict[str, Any] = response.json()
        server = datetime.fromisoformat(snapshot["server_time"])
        # NTP's estimate: the server read its clock half-way through the round trip.
        midpoint = datetime.fromtimestamp((sent + received) / 2, UTC)
        self.skew = server - midpoint
        await self.cache.apply_snapshot(snapshot)
        await self.cache.put("cursor", snapshot["server_time"])
        if due_full:
            self._last_full = server
        self.online = True
        return True

    async def flush(self) -> int:
        """Replay the outbox in order; returns how many records the cloud acknowledged."""
        total = 0
        while batch := await self.cache.pending(100):
            try:
                response = await self._request(
                    "POST", f"{self.cloud_url}/api/edge/replay", json={"records": [doc for _, doc in batch]}
                )
                response.raise_for_status()
            except httpx.HTTPError as err:
                logger.info("edge replay failed: %r", err)
                self.online = False
                return total
            acked = {ack["key"] for ack in response.json()["acks"]}
            await self.cache.mark_sent([seq for seq, doc in batch if doc["key"] in acked])
            total += len(acked)
            if len(acked) < len(batch):
                break
        return total

    async def _forward(self, codec: CameraCodec, body: bytes, content_type: str, key: str) -> Response | None:
        try:
            response = await self._request(
                "POST",
                f"{self.cloud_url}/devices/{codec.protocol.value}/push",
                timeout=self.forward_timeout_s,
                content=body,
                # The secret travels in a header: a query string ends up in access logs.
                headers={"Content-Type": content_type, "X-Device-Key": key},
            )
        except httpx.HTTPError as err:
            logger.info("cloud unreachable, deciding locally: %s", err)
            self.online = False
            return None
        if response.status_code >= 500:
            self.online = False
            return None
        self.online = True
        return Response(
            response.content,
            status_code=response.status_code,
            media_type=response.headers.get("content-type", "application/json"),
        )

    # -- cameras ----------------------------------------------------------------------------------------------

    async def _camera(self, serial: str, key: str | None) -> dict[str, Any] | None:
        cameras = await self.cache.get("cameras") or []
        camera = next((c for c in cameras if c["serial"] == serial), None)
        if camera is None or not key or not camera["secret_hash"]:
            return None
        return camera if hmac.compare_digest(hash_secret(key), camera["secret_hash"]) else None

    async def push(self, request: Request) -> Response:
        try:
            codec = codec_for(request.path_params["protocol"])
        except ValueError:
            return Response("unknown protocol", status_code=404)
        body = await request.body()
        content_type = request.headers.get("content-type", "")
        key = request.query_params.get("key") or request.headers.get("x-device-key") or ""
        forwarded = await self._forward(codec, body, content_type, key)
        try:
            message = codec.decode_message(body, content_type)
        except CameraPushError:
            return forwarded or camera_response(codec, CameraReply(open=False), 400)
        if forwarded is not None:
            if isinstance(message, CameraReading) and forwarded.status_code == 200:
                await self._track(codec, message, bytes(forwarded.body))
            return forwarded
        camera = await self._camera(message.serial, key)
        if camera is None:
            return camera_response(codec, CameraReply(open=False), 403)
        if isinstance(message, CameraHeartbeat | CameraEvent) or message.trigger is Trigger.VEHICLE_REVERSED:
            # Other messages are answered as the cloud answers them; a car that reversed away never opens.
            return camera_response(codec, CameraReply(open=False))
        return await self.decide(codec, message, int(camera["lane_id"]))

    async def _track(self, codec: CameraCodec, reading: CameraReading, reply: bytes) -> None:
        """Keep the local list of cars inside current between syncs, from what the cloud decided (as far as the
        protocol's replies say it)."""
        camera = next((c for c in await self.cache.get("cameras") or [] if c["serial"] == reading.serial), None)
        if camera is None or not codec.reply_opens(reply):
            return
        lanes = {row["id"]: row for row in await self.cache.get("lanes") or []}
        lane = lanes.get(camera["lane_id"])
        if lane is None or lane["is_inner"]:
            return
        plate, _ = plate_of(reading)
        who = stay_key(plate, None)
        if lane["direction"] == "exit":
            await self.cache.set_stay(who, None)
        elif await self.cache.stay(who) is None:
            color = reading.color.value if reading.color.value in {c.value for c in PlateColor} else "unknown"
            await self.cache.set_stay(who, new_stay(plate, None, self.now(), "temporary", "small", color))

    async def decide(self, codec: CameraCodec, reading: CameraReading, lane_id: int) -> Response:
        plate, confidence = plate_of(reading)
        try:
            color = PlateColor(reading.color.value)
        except ValueError:
            color = PlateColor.UNKNOWN
        at = reading.taken_at if reading.is_offline else self.now()
        decision = await decide_offline(self.cache, lane_id, plate, color, confidence, at)
        key = dedup_key(reading)
        await self.cache.enqueue(
            key,
            {
                "key": key,
                "lane_id": lane_id,
                "plate": plate,
                "color": color.value,
                "confidence": confidence,
                "at": at.isoformat(),
                "opened": decision.opens,
            },
        )
        return camera_response(
            codec,
            CameraReply.for_reading(reading, open=decision.opens, lines=decision.lines[:4], voice=decision.voice),
        )

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/devices/{protocol}/push", self.push, methods=["POST"])])

    async def run(self, stop: asyncio.Event, every_s: float = 5.0) -> None:
        """Keep the cache fresh and the outbox empty until ``stop``."""
        while not stop.is_set():
            # Replay first: a sync before it would forget the cars that came in while the cloud was away.
            replayed = await self.flush()
            await self.sync(full=replayed > 0)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=every_s)
