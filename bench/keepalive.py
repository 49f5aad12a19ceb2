"""Camera keep-alives through the push endpoint: requests/s, latency, and how often last-seen is written.

Each simulated Vzenith camera sends its keep-alive (the captured multipart form) about once a second, as a
polling camera does, through the app in process (httpx ASGI transport, no sockets). ``last_seen`` is written
at most every ``SEEN_EVERY`` per camera; ``writes_per_camera_min`` says what that costs the database.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import time
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import event

from api.app import create_app
from bench.common import bench_lot, percentile, scratch_database
from config.settings import Settings
from hardware.cameras import vzenith
from hardware.cameras.types import CameraHeartbeat, CameraProtocol
from parking.common.database import Database
from parking.common.scope import Scope
from parking.devices.auth import SEEN_EVERY, hash_secret
from parking.devices.models import Device, DeviceKind, DeviceStatus
from parking.tenancy.enums import LaneDirection
from parking.tenancy.models import Lane

logger = logging.getLogger(__name__)


async def _site(db: Database, cameras: int) -> list[str]:
    async with db.transaction(Scope.internal()) as s:
        tenant = await bench_lot(s, "BENCHKA", 100)
        serials = []
        for n in range(cameras):
            lane = Lane(**tenant, name=f"lane {n}", direction=LaneDirection.ENTRY, qr_token=f"bench-ka-{n}")
            s.add(lane)
            await s.flush()
            serial = f"KA-{n:04d}"
            s.add(
                Device(
                    **tenant,
                    lane_id=lane.id,
                    kind=DeviceKind.CAMERA,
                    name=serial,
                    serial=serial,
                    protocol="vzenith",
                    config={"type": "vzenith", "serial": serial},
                    secret_hash=hash_secret(serial),
                    status=DeviceStatus.ONLINE,
                )
            )
            serials.append(serial)
    return serials


async def _run(cameras: int, seconds: float, every_s: float) -> dict[str, Any]:
    db, _url = await scratch_database("keepalive")
    serials = await _site(db, cameras)
    writes = 0

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        nonlocal writes
        if statement.lstrip().upper().startswith("UPDATE DEVICES") and "last_seen_at" in statement:
            writes += 1

    event.listen(db.engine.sync_engine, "before_cursor_execute", count)
    settings = Settings(var_dir=Path("var"), database_url="unused://", redis_url="", secret_key="bench")
    app = create_app(settings, db)
    transport = httpx.ASGITransport(app=app, client=("10.0.0.1", 50000))
    samples: list[float] = []
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds

    async def camera(http: httpx.AsyncClient, serial: str) -> None:
        body, content_type = vzenith.encode_heartbeat(
            CameraHeartbeat(protocol=CameraProtocol.VZENITH, serial=serial, raw_ip="10.0.0.1", device_name="IVS")
        )
        headers = {"Content-Type": content_type, "X-Device-Key": serial}
        while loop.time() < deadline:
            started = time.perf_counter()
            response = await http.post("/devices/vzenith/push", content=body, headers=headers)
            samples.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"keep-alive refused: {response.status_code} {response.text[:200]}")
            await asyncio.sleep(every_s)

    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
        started = loop.time()
        await asyncio.gather(*(camera(http, serial) for serial in serials))
        elapsed = loop.time() - started
    await db.dispose()
    return {
        "name": "keepalive",
        "cameras": cameras,
        "seconds": round(elapsed, 1),
        "requests_per_s": round(len(samples) / elapsed, 1),
        "p50_ms": round(percentile(samples, 50), 2),
        "p99_ms": round(percentile(samples, 99), 2),
        "seen_every_s": SEEN_EVERY.total_seconds(),
        "writes_per_camera_min": round(writes / cameras / elapsed * 60, 2),
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench keepalive")
    parser.add_argument("--cameras", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--every", type=float, default=1.0, help="seconds between one camera's keep-alives")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    print(json.dumps(asyncio.run(_run(args.cameras, args.seconds, args.every))))
