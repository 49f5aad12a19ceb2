"""Idle comet cameras held by the server: its CPU share, database statements per held poll, open delivery.

The server runs in a child process (uvicorn, the scratch database, Redis for the event bus when it answers);
``--cameras`` Vzenith cameras in comet mode poll it from this process, each on its own connection, for
``--seconds``. Measured in the child: CPU time and SQL statements over the idle window, divided by the polls
answered in it. Then ``--opens`` remote opens are queued from this process (as a payment or an operator does
from another process) and timed from commit to the camera holding the open reply.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import multiprocessing
import os
import random
import socket
import tempfile
import time
from multiprocessing.sharedctypes import Synchronized
from pathlib import Path
from typing import Any

import httpx

from bench.common import bench_lot, percentile, scratch_database
from hardware.cameras import vzenith
from hardware.cameras.types import CameraHeartbeat, CameraProtocol
from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.scope import Scope
from parking.devices import gates
from parking.devices.auth import hash_secret
from parking.devices.models import Device, DeviceKind, DeviceStatus
from parking.tenancy.enums import LaneDirection
from parking.tenancy.models import Lane

REDIS_URL = os.environ.get("PARKCLOUD_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
SECRET = "bench-comet"
HOLD_S = 20.0


async def _site(db: Database, cameras: int) -> list[int]:
    """A lot with one entry lane per camera; returns the lane ids (camera i is ``comet-{i}``)."""
    async with db.transaction(Scope.internal()) as s:
        tenant = await bench_lot(s, "LCOMET", 10_000)
        lanes = [
            Lane(**tenant, name=f"lane {i}", direction=LaneDirection.ENTRY, qr_token=f"comet-{i}")
            for i in range(cameras)
        ]
        s.add_all(lanes)
        await s.flush()
        s.add_all(
            Device(
                **tenant,
                lane_id=lane.id,
                kind=DeviceKind.CAMERA,
                name=f"camera {i}",
                serial=f"comet-{i}",
                protocol="vzenith",
                secret_hash=hash_secret(SECRET),
                status=DeviceStatus.ONLINE,
                config={"type": "vzenith", "heartbeat": "comet", "comet_hold_s": HOLD_S},
            )
            for i, lane in enumerate(lanes)
        )
        return [lane.id for lane in lanes]


def _serve(url: str, redis_url: str, port: int, statements: Synchronized[int]) -> None:
    """The child: the app on ``port``, counting every SQL statement it sends."""
    import uvicorn
    from sqlalchemy import event

    from api.app import create_app
    from config.settings import Settings

    var = Path(tempfile.mkdtemp(prefix="bench-comet-"))
    settings = Settings(var_dir=var, database_url=url, redis_url=redis_url, secret_key="bench", web_dist=var / "none")
    db = Database.from_url(url)

    def count(*_: Any) -> None:
        with statements.get_lock():
            statements.value += 1

    event.listen(db.engine.sync_engine, "before_cursor_execute", count)
    uvicorn.run(create_app(settings, db), host="127.0.0.1", port=port, log_level="warning", access_log=False)


def _cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _redis_or_empty() -> str:
    from redis.asyncio import Redis

    client = Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        await client.ping()
    except (OSError, Exception):
        return ""
    finally:
        await client.aclose()
    return REDIS_URL


class Fleet:
    """The cameras: each polls in a loop; answers are counted and opens timed."""

    def __init__(self, http: httpx.AsyncClient, cameras: int) -> None:
        self.http = http
        self.cameras = cameras
        self.polls = 0
        self.held = 0
        self.running = True
        self.all_held = asyncio.Event()
        self.errors: dict[str, int] = {}
        self.opened: dict[int, float] = {}  # camera -> when its open reply arrived (perf_counter)
        self.open_arrived = {i: asyncio.Event() for i in range(cameras)}

    async def camera(self, i: int) -> None:
        body, content_type = vzenith.encode_heartbeat(
            CameraHeartbeat(protocol=CameraProtocol.VZENITH, serial=f"comet-{i}")
        )
        headers = {"content-type": content_type, "x-device-key": SECRET}
        answered = 0
        while self.running:
            try:
                response = await self.http.post("/devices/vzenith/push", content=body, headers=headers)
                reply = vzenith.decode_reply(response.content)
            except (httpx.HTTPError, ValueError) as err:
                self.errors[type(err).__name__] = self.errors.get(type(err).__name__, 0) + 1
                await asyncio.sleep(0.5)
                continue
            if response.status_code != 200:
                self.errors[str(response.status_code)] = self.errors.get(str(response.status_code), 0) + 1
            self.polls += 1
            answered += 1
            if answered == 2:
                self.held += 1  # from the third poll on, an idle camera is held
                if self.held == self.cameras:
                    self.all_held.set()
            if reply.open:
                self.opened[i] = time.perf_counter()
                self.open_arrived[i].set()


async def _run(cameras: int, seconds: float, opens: int) -> dict[str, Any]:
    db, url = await scratch_database("comet")
    lanes = await _site(db, cameras)
    redis_url = await _redis_or_empty()
    port = _free_port()
    context = multiprocessing.get_context("spawn")
    statements: Synchronized[int] = context.Value("q", 0)
    server = context.Process(target=_serve, args=(url, redis_url, port, statements), daemon=True)
    server.start()
    limits = httpx.Limits(max_connections=cameras + 10, max_keepalive_connections=cameras + 10)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=HOLD_S + 30, limits=limits) as http:
        for _ in range(300):
            try:
                await http.get("/healthz")
                break
            except httpx.TransportError:
                await asyncio.sleep(0.1)
        fleet = Fleet(http, cameras)
        tasks = [asyncio.create_task(fleet.camera(i)) for i in range(cameras)]
        # every camera past its first (database-reading) polls
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(fleet.all_held.wait(), 120)
        await asyncio.sleep(1.0)
        polls0, statements0, cpu0, t0 = fleet.polls, statements.value, _cpu_s(server.pid or 0), time.perf_counter()
        await asyncio.sleep(seconds)
        polls1, statements1, cpu1, t1 = fleet.polls, statements.value, _cpu_s(server.pid or 0), time.perf_counter()
        # Remote opens queued from this process, as a payment or an operator's open would be.
        if redis_url:
            from parking.common.pubsub import RedisBus

            db.bus = RedisBus.from_url(redis_url)
        delivery_ms: list[float] = []
        for i in random.Random(7).sample(range(cameras), min(opens, cameras)):
            async with db.transaction(Scope.internal()) as s:
                lane = await s.get(Lane, lanes[i])
                assert lane is not None
                gates.queue_open(s, lane, utcnow(), reason="bench remote open")
            committed = time.perf_counter()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(fleet.open_arrived[i].wait(), HOLD_S + 5)
            delivery_ms.append((fleet.opened.get(i, time.perf_counter()) - committed) * 1000)
        fleet.running = False
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    server.terminate()
    server.join(5)
    if db.bus is not None:
        await db.bus.close()
    await db.dispose()
    polls = max(polls1 - polls0, 1)
    return {
        "bench": "comet",
        "cameras": cameras,
        "seconds": round(t1 - t0, 1),
        "held_polls": polls1 - polls0,
        "cpu_share": round((cpu1 - cpu0) / (t1 - t0), 4),
        "statements_per_poll": round((statements1 - statements0) / polls, 3),
        "open_delivery_p99_ms": round(percentile(delivery_ms, 99), 1),
        "opens": len(delivery_ms),
        "errors": fleet.errors,
        "bus": "redis" if redis_url else "none (opens found by the end-of-hold look)",
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench comet")
    parser.add_argument("--cameras", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--opens", type=int, default=50)
    args = parser.parse_args(argv)
    print(json.dumps(asyncio.run(_run(args.cameras, args.seconds, args.opens)), separators=(",", ":")))
