"""Loopback plate camera: pushes Vzenith readings over HTTP, queues them while the server is down, replays."""

from __future__ import annotations

import asyncio
import io
import logging
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from types import TracebackType

import httpx
from PIL import Image, ImageDraw, ImageFont

from hardware.cameras import vzenith
from hardware.cameras.types import (
    CameraHeartbeat,
    CameraProtocol,
    CameraPushError,
    CameraReading,
    PlateColorName,
    Trigger,
)
from hardware.displays.led_frames import DisplayState, LedFrameError, decode_display

logger = logging.getLogger(__name__)

RenderPlate = Callable[[str, PlateColorName], bytes]
Clock = Callable[[], datetime]

DEFAULT_TOKEN_HEADER = "X-Camera-Token"
# Vzenith cameras keep up to 9000 offline records; a simulator needs far fewer and must stay bounded.
DEFAULT_MAX_QUEUE = 100
_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)
_PLATE_STYLE: dict[PlateColorName, tuple[tuple[int, int, int], tuple[int, int, int]]] = {
    PlateColorName.BLUE: ((0, 61, 165), (255, 255, 255)),
    PlateColorName.YELLOW: ((250, 200, 0), (0, 0, 0)),
    PlateColorName.GREEN: ((120, 200, 120), (0, 0, 0)),
    PlateColorName.WHITE: ((245, 245, 245), (0, 0, 0)),
    PlateColorName.BLACK: ((20, 20, 20), (255, 255, 255)),
    PlateColorName.YELLOW_GREEN: ((180, 210, 60), (0, 0, 0)),
    PlateColorName.UNKNOWN: ((128, 128, 128), (255, 255, 255)),
}


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for candidate in _FONT_CANDIDATES:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size)
    # Without a CJK font the province character renders as a box; the picture is still a valid JPEG.
    return ImageFont.load_default(size=size)


def render_plate_jpeg(plate: str, color: PlateColorName) -> bytes:
    """A simple plate picture (440x140 JPEG) in the plate's colours; the GA 36 renderer replaces it later."""
    background, ink = _PLATE_STYLE[color]
    image = Image.new("RGB", (440, 140), background)
    draw = ImageDraw.Draw(image)
    draw.rectangle((6, 6, 433, 133), outline=ink, width=3)
    draw.text((220, 70), plate, fill=ink, font=_font(80), anchor="mm")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def _scene_jpeg(plate_jpeg: bytes) -> bytes:
    """A grey 'lane' picture with the plate pasted where a bumper would be."""
    with Image.open(io.BytesIO(plate_jpeg)) as plate:
        scene = Image.new("RGB", (1280, 720), (90, 90, 90))
        scene.paste(plate.convert("RGB").resize((220, 70)), (530, 520))
    out = io.BytesIO()
    scene.save(out, format="JPEG", quality=70)
    return out.getvalue()


@dataclass(frozen=True, slots=True)
class SimulatorReply:
    """The server's answer as the camera understood it."""

    status_code: int
    open: bool
    plate_id: int | None
    continue_offline: bool
    display: DisplayState


class CameraSimulator:
    """One simulated Vzenith camera pushing to exactly one URL (loopback in tests)."""

    def __init__(
        self,
        url: str,
        *,
        serial: str,
        token: str,
        token_header: str = DEFAULT_TOKEN_HEADER,
        render_plate: RenderPlate = render_plate_jpeg,
        send_scene: bool = True,
        clock: Clock = lambda: datetime.now(UTC),
        timeout_s: float = 2.0,
        max_queue: int = DEFAULT_MAX_QUEUE,
        ip: str = "127.0.0.1",
        device_name: str = "SIM-IVS",
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        parsed = httpx.URL(url)
        if parsed.scheme not in ("http", "https") or not parsed.host:
            raise ValueError(f"camera simulator needs an http(s) URL, got {url!r}")
        self.url = url
        self.serial = serial
        self._render_plate = render_plate
        self._send_scene = send_scene
        self._clock = clock
        self._ip = ip
        self._device_name = device_name
        self._next_plate_id = 1
        self._queue: deque[CameraReading] = deque(maxlen=max_queue)
        self.last_reply: SimulatorReply | None = None
        self.last_error: str | None = None
        # The camera's own whitelist, as the server's replies built it: plate -> (enable_time, overdue_time).
        self.whitelist: dict[str, tuple[datetime | None, datetime | None]] = {}
        # No redirects and no proxy settings from the environment: the simulator only ever talks to `url`.
        self._client = httpx.AsyncClient(
            headers={token_header: token},
            timeout=httpx.Timeout(timeout_s),
            follow_redirects=False,
            trust_env=False,
            transport=transport,
        )

    async def __aenter__(self) -> CameraSimulator:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    @property
    def queued(self) -> tuple[CameraReading, ...]:
        """Readings waiting to be replayed, oldest first (already flagged offline)."""
        return tuple(self._queue)

    def make_reading(
        self,
        plate: str | None,
        color: PlateColorName = PlateColorName.BLUE,
        *,
        confidence: float = 0.95,
        trigger: Trigger = Trigger.AUTO,
    ) -> CameraReading:
        plate_image = self._render_plate(plate, color) if plate is not None else None
        full_image = _scene_jpeg(plate_image) if plate_image is not None and self._send_scene else None
        reading = CameraReading(
            protocol=CameraProtocol.VZENITH,
            serial=self.serial,
            plate_text=plate,
            color=color if plate is not None else PlateColorName.UNKNOWN,
            confidence=confidence if plate is not None else 0.0,
            taken_at=self._clock(),
            camera_plate_id=self._next_plate_id,
            trigger=trigger,
            raw_ip=self._ip,
            device_name=self._device_name,
            full_image=full_image,
            plate_image=plate_image,
        )
        self._next_plate_id += 1
        return reading

    async def _send(self, body: bytes, content_type: str) -> SimulatorReply | None:
        try:
            response = await self._client.post(self.url, content=body, headers={"Content-Type": content_type})
        except httpx.TransportError as exc:
            self.last_error = f"{type(exc).__name__}: {exc}"
            logger.info("camera %s cannot reach %s: %s", self.serial, self.url, self.last_error)
            return None
        if response.status_code != 200:
            self.last_error = f"HTTP {response.status_code}"
            logger.info("camera %s push refused: %s", self.serial, self.last_error)
            return None
        try:
            decoded = vzenith.decode_reply(response.content)
            display = decode_display(frame for _, frame in decoded.serial_frames)
        except (CameraPushError, LedFrameError) as exc:
            # A real camera ignores a reply it cannot read, and counts the push as failed.
            self.last_error = f"unreadable reply: {exc}"
            logger.warning("camera %s got an unreadable reply: %s", self.serial, exc)
            return None
        self.last_error = None
        self._apply_whitelist(decoded.whitelist)
        self.last_reply = SimulatorReply(
            status_code=response.status_code,
            open=decoded.open,
            plate_id=decoded.plate_id,
            continue_offline=decoded.continue_offline,
            display=display,
        )
        return self.last_reply

    async def push_reading(self, reading: CameraReading) -> SimulatorReply | None:
        """Push ``reading``; if the server does not answer, keep it for offline replay and return None."""
        reply = await self._send(vzenith.encode_push(reading), vzenith.CONTENT_TYPE)
        if reply is None:
            if len(self._queue) == self._queue.maxlen:
                logger.warning("camera %s offline queue full, dropping oldest record", self.serial)
            self._queue.append(replace(reading, is_offline=True))
        return reply

    async def push(
        self,
        plate: str | None,
        color: PlateColorName = PlateColorName.BLUE,
        *,
        confidence: float = 0.95,
        trigger: Trigger = Trigger.AUTO,
    ) -> SimulatorReply | None:
        return await self.push_reading(self.make_reading(plate, color, confidence=confidence, trigger=trigger))

    async def replay_offline(self) -> int:
        """Send queued records one by one, each only after the server acknowledged the previous one.

        Like the camera, it stops as soon as a reply is missing or lacks ``ContinuePushOffline.continue = 1``
        for the record just sent. Returns how many records the server acknowledged.
        """
        sent = 0
        while self._queue:
            record = self._queue[0]
            reply = await self._send(vzenith.encode_push(record), vzenith.CONTENT_TYPE)
            if reply is None or not reply.continue_offline or reply.plate_id != record.camera_plate_id:
                break
            self._queue.popleft()
            sent += 1
        return sent

    async def heartbeat(self) -> bool:
        """Send one device-registration heartbeat; True when the server answered 200."""
        body, content_type = vzenith.encode_heartbeat(
            CameraHeartbeat(
                protocol=CameraProtocol.VZENITH,
                serial=self.serial,
                raw_ip=self._ip,
                device_name=self._device_name,
            )
        )
        try:
            response = await self._client.post(self.url, content=body, headers={"Content-Type": content_type})
        except httpx.TransportError as exc:
            self.last_error = f"{type(exc).__name__}: {exc}"
            return False
        if response.status_code != 200:
            return False
        # The answer to a poll may carry work for the camera (whitelist changes); an empty one carries none, and
        # one the camera cannot read is ignored like a real camera ignores it.
        if response.content:
            try:
                self._apply_whitelist(vzenith.decode_reply(response.content).whitelist)
            except CameraPushError as exc:
                self.last_error = f"unreadable reply: {exc}"
        return True

    def _apply_whitelist(self, operation: vzenith.WhitelistOperation | None) -> None:
        if operation is None:
            return
        for plate, enable_time, overdue_time in operation.entries:
            if operation.operate_type == vzenith.WHITELIST_DELETE:
                self.whitelist.pop(plate, None)
            else:
                self.whitelist[plate] = (enable_time, overdue_time)

    async def run(
        self,
        plates: Iterable[tuple[str | None, PlateColorName]],
        *,
        interval_s: float = 0.0,
        deadline_s: float = 30.0,
    ) -> list[SimulatorReply | None]:
        """Push a finite script of plates, replaying the offline queue whenever the server answers.

        Stops by itself at the end of the script or after ``deadline_s``, whichever comes first.
        """
        replies: list[SimulatorReply | None] = []
        try:
            async with asyncio.timeout(deadline_s):
                for i, (plate, color) in enumerate(plates):
                    if i and interval_s:
                        await asyncio.sleep(interval_s)
                    reply = await self.push(plate, color)
                    replies.append(reply)
                    if reply is not None and self._queue:
                        await self.replay_offline()
        except TimeoutError:
            logger.info("camera %s run stopped at its %.1f s deadline", self.serial, deadline_s)
        return replies
