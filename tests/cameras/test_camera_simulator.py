"""The camera simulator pushes to a real Starlette app on 127.0.0.1, queues while it is down, replays."""

from __future__ import annotations

import asyncio
import io
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

import pytest
import uvicorn
from PIL import Image
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hardware.cameras import (
    CameraHeartbeat,
    CameraProtocol,
    CameraReading,
    CameraReply,
    PlateColorName,
    encode_reply,
)
from hardware.cameras.vzenith import decode_message
from hardware.displays.led_frames import DisplayLine, DisplayState
from hardware.simulators.camera import CameraSimulator, SimulatorReply, render_plate_jpeg

TOKEN = "s3cret-token"


class Lane:
    """A minimal lane endpoint: checks the device token, decodes the push, opens for known plates."""

    def __init__(self) -> None:
        self.readings: list[CameraReading] = []
        self.heartbeats: list[CameraHeartbeat] = []

    async def push(self, request: Request) -> Response:
        if request.headers.get("X-Camera-Token") != TOKEN:
            return Response(status_code=401)
        message = decode_message(await request.body(), request.headers["content-type"])
        if isinstance(message, CameraHeartbeat):
            self.heartbeats.append(message)
            return Response(status_code=200)
        assert isinstance(message, CameraReading)  # the simulator sends nothing else
        self.readings.append(message)
        lines = (message.plate_text or "无牌车", "欢迎光临")
        reply = CameraReply.for_reading(message, open=message.plate_text == "京A12345", lines=lines, voice="欢迎光临")
        encoded = encode_reply(CameraProtocol.VZENITH, reply)
        return Response(encoded.body, media_type=encoded.content_type)

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/camera/push", self.push, methods=["POST"])])


@asynccontextmanager
async def serving(lane: Lane, sock: socket.socket) -> AsyncIterator[None]:
    server = uvicorn.Server(uvicorn.Config(lane.app(), log_level="warning", lifespan="off"))
    # Listening now means requests made before uvicorn finishes starting wait in the backlog, not fail.
    sock.listen()
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        yield
    finally:
        server.should_exit = True
        await task


def bound_socket() -> socket.socket:
    # Bound but not listening: connections are refused until uvicorn starts serving on it.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


class FixedClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def _simulator(sock: socket.socket, clock: FixedClock, token: str = TOKEN) -> CameraSimulator:
    port = sock.getsockname()[1]
    return CameraSimulator(
        f"http://127.0.0.1:{port}/camera/push", serial="sim-001", token=token, clock=clock, timeout_s=2.0
    )


async def test_push_to_a_live_lane_opens_and_shows_the_display() -> None:
    # given a running lane and a camera pointed at it
    lane, clock = Lane(), FixedClock()
    sock = bound_socket()
    async with serving(lane, sock), _simulator(sock, clock) as camera:
        # when
        reply = await camera.push("京A12345", PlateColorName.BLUE)

    # then
    assert reply == SimulatorReply(
        status_code=200,
        open=True,
        plate_id=1,
        continue_offline=False,
        display=DisplayState(lines={0: DisplayLine("京A12345"), 1: DisplayLine("欢迎光临")}, voice=("欢迎光临",)),
    )
    assert camera.last_reply == reply
    assert [(r.plate_text, r.camera_plate_id, r.is_offline, r.taken_at) for r in lane.readings] == [
        ("京A12345", 1, False, datetime(2026, 3, 1, 8, 0, tzinfo=UTC))
    ]
    assert lane.readings[0].plate_image == render_plate_jpeg("京A12345", PlateColorName.BLUE)
    with Image.open(io.BytesIO(lane.readings[0].full_image or b"")) as scene:
        assert scene.size == (1280, 720)


async def test_unknown_plate_is_held_and_no_plate_shows_the_marker() -> None:
    # given
    lane, clock = Lane(), FixedClock()
    sock = bound_socket()
    async with serving(lane, sock), _simulator(sock, clock) as camera:
        # when
        held = await camera.push("沪B99999", PlateColorName.BLUE)
        no_plate = await camera.push(None)

    # then
    assert held is not None
    assert held.open is False
    assert no_plate is not None
    assert no_plate.display.lines[0] == DisplayLine("无牌车")
    assert lane.readings[1].plate_text is None
    assert lane.readings[1].plate_image is None


async def test_readings_queue_while_the_lane_is_down_and_replay_flagged_offline() -> None:
    # given a lane that is not listening yet
    lane, clock = Lane(), FixedClock()
    sock = bound_socket()
    async with _simulator(sock, clock) as camera:
        # when two cars pass while the server is down
        first = await camera.push("京A12345", PlateColorName.BLUE)
        clock.now += timedelta(minutes=3)
        second = await camera.push("粤B12345", PlateColorName.GREEN)

        # then both are kept, flagged offline, in order
        assert (first, second) == (None, None)
        assert [(r.plate_text, r.camera_plate_id, r.is_offline) for r in camera.queued] == [
            ("京A12345", 1, True),
            ("粤B12345", 2, True),
        ]
        assert camera.last_error is not None
        assert camera.last_error.startswith("ConnectError")

        # when the lane comes back and the camera replays
        async with serving(lane, sock):
            replayed = await camera.replay_offline()

    # then the lane got both records marked offline, with their original times, and acknowledged each
    assert replayed == 2
    assert camera.queued == ()
    assert [(r.plate_text, r.camera_plate_id, r.is_offline, r.taken_at) for r in lane.readings] == [
        ("京A12345", 1, True, datetime(2026, 3, 1, 8, 0, tzinfo=UTC)),
        ("粤B12345", 2, True, datetime(2026, 3, 1, 8, 3, tzinfo=UTC)),
    ]
    assert camera.last_reply is not None
    assert (camera.last_reply.open, camera.last_reply.continue_offline, camera.last_reply.plate_id) == (
        False,
        True,
        2,
    )
    assert camera.last_reply.display == DisplayState()


async def test_run_pushes_new_readings_first_then_replays_the_backlog() -> None:
    # given one reading queued while the lane was down
    lane, clock = Lane(), FixedClock()
    sock = bound_socket()
    async with _simulator(sock, clock) as camera:
        await camera.push("京A11111", PlateColorName.BLUE)

        # when the lane is back and a new car arrives
        async with serving(lane, sock):
            replies = await camera.run([("京A12345", PlateColorName.BLUE)], deadline_s=10)

    # then the new reading went first and the backlog followed
    assert [r.open if r else None for r in replies] == [True]
    assert [(r.plate_text, r.is_offline) for r in lane.readings] == [("京A12345", False), ("京A11111", True)]
    assert camera.queued == ()


async def test_wrong_token_is_refused_and_queued() -> None:
    # given
    lane, clock = Lane(), FixedClock()
    sock = bound_socket()
    async with serving(lane, sock), _simulator(sock, clock, token="wrong") as camera:
        # when
        reply = await camera.push("京A12345")

    # then
    assert reply is None
    assert camera.last_error == "HTTP 401"
    assert len(camera.queued) == 1
    assert lane.readings == []


async def test_heartbeat_reaches_the_lane() -> None:
    # given
    lane, clock = Lane(), FixedClock()
    sock = bound_socket()
    async with serving(lane, sock), _simulator(sock, clock) as camera:
        # when
        ok = await camera.heartbeat()

    # then
    assert ok is True
    assert lane.heartbeats == [
        CameraHeartbeat(
            protocol=CameraProtocol.VZENITH,
            serial="sim-001",
            raw_ip="127.0.0.1",
            device_name="SIM-IVS",
            port=80,
        )
    ]


async def test_offline_queue_is_bounded() -> None:
    # given a camera with room for two records and no server
    sock = bound_socket()
    camera = CameraSimulator(
        f"http://127.0.0.1:{sock.getsockname()[1]}/x", serial="s", token="t", max_queue=2, send_scene=False
    )
    async with camera:
        # when three cars pass
        for plate in ("京A00001", "京A00002", "京A00003"):
            await camera.push(plate)

    # then the oldest was dropped
    assert [r.plate_text for r in camera.queued] == ["京A00002", "京A00003"]


def test_simulator_refuses_non_http_urls() -> None:
    # when / then
    with pytest.raises(ValueError, match="needs an http"):
        CameraSimulator("file:///etc/passwd", serial="s", token="t")


def test_renderer_is_pluggable() -> None:
    # given a renderer that records what it was asked for
    calls: list[tuple[str, PlateColorName]] = []

    def fake_render(plate: str, color: PlateColorName) -> bytes:
        calls.append((plate, color))
        return render_plate_jpeg(plate, color)

    camera = CameraSimulator("http://127.0.0.1:9/x", serial="s", token="t", render_plate=fake_render)

    # when
    reading = camera.make_reading("京A12345", PlateColorName.YELLOW)

    # then
    assert calls == [("京A12345", PlateColorName.YELLOW)]
    assert reading.plate_image == render_plate_jpeg("京A12345", PlateColorName.YELLOW)
