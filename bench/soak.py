"""`python -m bench soak [--minutes N]`: mixed load for N minutes (default 10) against the deployment of
tests/multiprocess (bench/_cluster.py: 2 ``parkcloud serve`` and 1 ``parkcloud worker`` on one PostgreSQL and
Redis, haproxy round-robin in front), watching for errors and for memory that grows.

The load, all through the proxy:

- readings: Vzenith cameras (hardware/simulators/camera.py) push to the camera endpoint as firmware does, two
  entries and two exits of one lot; each entry is a new car, each exit the oldest car inside (a few are kept
  inside) or a car that has just paid. A push that gets no answer, or a barrier that stays shut, is an error;
  what failed is sent again flagged offline, as a camera does;
- payments: a car placed inside 70 minutes ago (in this process, as tests/multiprocess does: a camera cannot push
  a reading from the past), its order started on WeChat Pay (JSAPI) or Alipay (QR) in turn, then paid at the
  fake, which signs the callback and posts it to the proxy; the latency is from the pay to the callback's
  acknowledgement. A callback not acknowledged is an error; the car then leaves through an exit camera;
- console: SUBSCRIBERS consoles (bench/_fanout_clients.py) hold the lot's lane events subscription over
  graphql-transport-ws; each lane event of the window is to reach each of them. ``missed`` counts deliveries
  that had not arrived DRAIN_S after the load (an error); the latency is from the event's receipt by the
  platform (``received_at``) to the console's.

Warm-up load runs until every console received an event and WARM_UP_S passed; then the resident memory of each
process (with its children: the worker forks) is read from /proc, the load runs for N minutes, and memory is
read again. ``memory_flat``: no process grew by more than FLAT of its start. Prints one JSON line.

PostgreSQL is the tests' server (``PARKCLOUD_TEST_POSTGRES_URL``; a database of its name + ``_soak`` is created
and dropped) and Redis the tests' (``PARKCLOUD_TEST_REDIS_URL``: its job queues are emptied first).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import sys
import tempfile
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from redis.exceptions import RedisError
from sqlalchemy import func, select

from bench._cluster import (
    HAPROXY,
    ChannelFakes,
    Cluster,
    channel_fakes,
    fresh_redis,
    migrate,
    recreate_database,
    running,
)
from bench.common import POSTGRES_URL, percentile
from bench.fanout import ClientProcess, seat_tokens
from bench.lane import Site, build_sites
from config.payment_channels import load_channels
from hardware.simulators.camera import CameraSimulator
from parking.common.database import Database
from parking.common.outbox import publishing
from parking.common.pubsub import RedisBus
from parking.common.scope import Scope
from parking.devices.auth import hash_secret
from parking.devices.models import Device, DeviceKind
from parking.lanes.flow import LaneInput, handle_reading
from parking.payments.gateway import Channels
from parking.payments.models import PaymentChannel
from parking.payments.service import StayRef, start_payment
from parking.plates import LETTERS, PlateColor
from parking.sessions.models import LaneEvent
from parking.tenancy.models import Lot

REDIS_URL = os.environ.get("PARKCLOUD_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
DATABASE_URL = POSTGRES_URL.rpartition("/")[0] + "/" + POSTGRES_URL.rpartition("/")[2] + "_soak"
SECRET = "bench-soak-secret"
PUSH = "/devices/vzenith/push"
OPENID = "oBenchSoakDriver0000000000000"
PAYER_KEY = "soak-payer:"  # the dedup keys of the payers' readings

MINUTES = 10.0
READINGS_PER_S = 4.0  # camera pushes a second, entries and exits together
PAYMENTS_PER_S = 0.5
SUBSCRIBERS = 20
CARS_KEPT_INSIDE = 10  # an exit never takes a car whose entry is still being answered
WARM_UP_S = 20.0
WARM_UP_LIMIT_S = 180.0
DRAIN_S = 30.0
FLAT = 0.10  # growth of resident memory over the window still called flat


@dataclass
class Kind:
    """One kind of load in the window: each operation's latency, and its errors."""

    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    first_error: str = ""  # what went wrong first, to start looking from

    def failed(self, what: str) -> None:
        self.errors += 1
        self.first_error = self.first_error or what[:300]

    def summary(self, seconds: float) -> dict[str, Any]:
        n = len(self.latencies_ms) + self.errors
        summary: dict[str, Any] = {
            "n": n,
            "per_s": round(n / seconds, 2),
            "p50_ms": round(percentile(self.latencies_ms, 50), 1),
            "p99_ms": round(percentile(self.latencies_ms, 99), 1),
            "errors": self.errors,
        }
        return {**summary, "first_error": self.first_error} if self.first_error else summary


@dataclass(frozen=True)
class SoakLot:
    site: Site  # the lot and its lanes (bench/lane.py)
    cameras: dict[int, tuple[str, str]]  # lane id -> (serial, secret)
    tokens: list[str]  # two console seats


async def _lot(db: Database) -> SoakLot:
    """bench lane's lot of two entries and two exits, a Vzenith camera on each lane, and two console seats."""
    [site] = await build_sites(db, lanes=2)
    cameras = {lane_id: (f"SOAK-{lane_id}", f"soak-secret-{lane_id}") for lane_id in site.entries + site.exits}
    async with db.transaction(Scope.internal()) as s:
        lot = await s.get(Lot, site.lot_id)
        assert lot is not None
        tenant = {"agent_id": lot.agent_id, "customer_id": lot.customer_id, "lot_id": lot.id}
        s.add_all(
            Device(
                **tenant,
                lane_id=lane_id,
                kind=DeviceKind.CAMERA,
                name=f"camera {serial}",
                serial=serial,
                protocol="vzenith",
                secret_hash=hash_secret(secret),
            )
            for lane_id, (serial, secret) in cameras.items()
        )
        tokens = await seat_tokens(s, lot, SECRET)
    return SoakLot(site, cameras, tokens)


def _plates(province: str) -> Iterator[str]:
    return (f"{province}{letter}{n:05d}" for letter in itertools.cycle(LETTERS) for n in range(100_000))


def rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and its descendants (a worker's forked processes) in MiB, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                children.setdefault(parent, []).append(int(entry.name))
    total_kb, todo = 0, [pid]
    while todo:
        each = todo.pop()
        todo.extend(children.get(each, []))
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{each}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
    return round(total_kb / 1024, 1)


class Load:
    """The cameras' and the payers' loops, counting what happens while ``measuring``."""

    def __init__(self, db: Database, lot: SoakLot, cluster: Cluster, fakes: ChannelFakes, channels: Channels) -> None:
        self.db, self.lot, self.cluster, self.fakes, self.channels = db, lot, cluster, fakes, channels
        self.readings, self.payments = Kind(), Kind()
        self.measuring = False
        self.stop = asyncio.Event()
        self.inside: deque[str] = deque()
        self.paid: deque[str] = deque()
        self._camera_plates, self._payer_plates = _plates("沪"), _plates("京")
        self._tasks: list[asyncio.Task[None]] = []
        self._payments: set[asyncio.Task[None]] = set()

    def camera(self, lane_id: int) -> CameraSimulator:
        serial, secret = self.lot.cameras[lane_id]
        return CameraSimulator(
            self.cluster.url + PUSH,
            serial=serial,
            token=secret,
            token_header="X-Device-Key",
            send_scene=False,
            timeout_s=10.0,
            max_queue=1000,
        )

    def start(self, readings_per_s: float, payments_per_s: float) -> None:
        site = self.lot.site
        # Exits run a little faster than entries: they also let out the cars that paid.
        per_entry_s = len(site.entries) * 2 / readings_per_s
        per_exit_s = len(site.exits) / (readings_per_s / 2 + payments_per_s)
        loops = [self._camera(lane, per_entry_s, entering=True) for lane in site.entries]
        loops += [self._camera(lane, per_exit_s, entering=False) for lane in site.exits]
        self._tasks = [asyncio.create_task(loop) for loop in loops]
        self._tasks.append(asyncio.create_task(self._payers(1 / payments_per_s)))

    async def finish(self) -> None:
        """Stop the loops and wait for what they started (twice is harmless)."""
        self.stop.set()
        await asyncio.gather(*self._tasks)
        await asyncio.gather(*self._payments)

    async def _camera(self, lane_id: int, period_s: float, entering: bool) -> None:
        async with self.camera(lane_id) as cam:
            while not self.stop.is_set():
                tick = time.monotonic()
                plate = next(self._camera_plates) if entering else self._leaving()
                if plate is not None:
                    await self._push(cam, plate, entering)
                await asyncio.sleep(max(0.0, tick + period_s - time.monotonic()))

    def _leaving(self) -> str | None:
        if self.paid:
            return self.paid.popleft()
        if len(self.inside) > CARS_KEPT_INSIDE:
            return self.inside.popleft()
        return None

    async def _push(self, cam: CameraSimulator, plate: str, entering: bool) -> None:
        counted = self.measuring
        started = time.perf_counter()
        reply = await cam.push(plate)
        took_ms = (time.perf_counter() - started) * 1000
        if reply is not None and cam.queued:
            await cam.replay_offline()
        if reply is not None and reply.open and entering:
            self.inside.append(plate)
        if counted:
            if reply is None:
                self.readings.failed(f"{plate}: {cam.last_error}")
            elif not reply.open:
                self.readings.failed(f"{plate}: the barrier stayed shut ({'entry' if entering else 'exit'})")
            else:
                self.readings.latencies_ms.append(took_ms)

    async def _payers(self, period_s: float) -> None:
        numbers = itertools.count()
        while not self.stop.is_set():
            tick = time.monotonic()
            task = asyncio.create_task(self._pay(next(numbers)))
            self._payments.add(task)
            task.add_done_callback(self._payments.discard)
            await asyncio.sleep(max(0.0, tick + period_s - time.monotonic()))

    async def _pay(self, n: int) -> None:
        counted = self.measuring
        plate = next(self._payer_plates)
        wechat = n % 2 == 0
        entered_at = datetime.now(UTC) - timedelta(minutes=70)
        lane_id = self.lot.site.entries[n % len(self.lot.site.entries)]
        took_ms: float | None = None
        error = ""
        try:
            reading = LaneInput(
                lane_id=lane_id,
                plate=plate,
                color=PlateColor.BLUE,
                confidence=0.95,
                at=entered_at,
                dedup_key=f"{PAYER_KEY}{n}",
            )
            outcome = await handle_reading(self.db, reading, now=entered_at)
            assert outcome.session_id is not None
            channel = PaymentChannel.WECHAT_JSAPI if wechat else PaymentChannel.ALIPAY_QR
            started = await start_payment(
                self.db,
                self.channels,
                Scope.internal(),
                StayRef(session_id=outcome.session_id),
                channel,
                datetime.now(UTC),
                payer_id=OPENID if wechat else None,
            )
            paying = time.perf_counter()
            error = await self._paid_at_channel(started.order.out_trade_no, wechat)
            if not error:
                took_ms = (time.perf_counter() - paying) * 1000
                self.paid.append(plate)
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
        if counted:
            if took_ms is None:
                self.payments.failed(f"{plate}: {error}")
            else:
                self.payments.latencies_ms.append(took_ms)

    async def _paid_at_channel(self, out_trade_no: str, wechat: bool) -> str:
        """The payer pays at the fake, which posts the signed callback to the proxy before it answers: "" when
        every callback was acknowledged (WeChat Pay: 204; Alipay: ``success``), else what went wrong."""
        name = "wechatpay" if wechat else "alipay"
        path = f"/_control/transactions/{out_trade_no}/pay" if wechat else f"/_control/trades/{out_trade_no}/pay"
        async with httpx.AsyncClient(base_url=self.fakes.urls[name], timeout=30, trust_env=False) as http:
            answer = await http.post(path, json={})
        if answer.status_code != 200:
            return f"{name} pay: HTTP {answer.status_code} {answer.text[:200]}"
        made = set(answer.json()["notifications"])
        if wechat:
            answers = [f"{d.status}" for d in self.fakes.wechatpay.delivered if d.id in made]
            acknowledged = ["204"] * len(made)
        else:
            answers = [f"{d.status} {d.reply}" for d in self.fakes.alipay.delivered if d.id in made]
            acknowledged = ["200 success"] * len(made)
        return "" if made and answers == acknowledged else f"{name} callbacks answered {answers}"


async def _consoles(lot: SoakLot, cluster: Cluster, subscribers: int) -> list[ClientProcess]:
    url = cluster.url.replace("http://", "ws://") + "/graphql"
    consoles = [(url, lot.tokens[i % 2]) for i in range(subscribers)]
    return [await ClientProcess.start(lot.site.lot_id, consoles[k::2]) for k in range(2)]


async def _last_event_id(db: Database, lot_id: int) -> int:
    async with db.session(Scope.internal()) as s:
        return int(await s.scalar(select(func.max(LaneEvent.id)).where(LaneEvent.lot_id == lot_id)) or 0)


async def _events_since(db: Database, lot_id: int, after_id: int) -> dict[int, float | None]:
    """The lot's lane events after ``after_id``: when the platform received each (epoch seconds), None for the
    payers' cars (placed inside in the past: their time says nothing of the delivery)."""
    async with db.session(Scope.internal()) as s:
        rows = await s.execute(
            select(LaneEvent.id, LaneEvent.received_at, LaneEvent.dedup_key).where(
                LaneEvent.lot_id == lot_id, LaneEvent.id > after_id
            )
        )
        return {
            event_id: None if key.startswith(PAYER_KEY) else received.timestamp() for event_id, received, key in rows
        }


async def _soak(
    cluster: Cluster,
    fakes: ChannelFakes,
    minutes: float,
    readings_per_s: float,
    payments_per_s: float,
    subscribers: int,
) -> dict[str, Any]:
    db = Database.from_url(cluster.database_url)
    bus = RedisBus.from_url(REDIS_URL)
    channels = load_channels(fakes.credentials, cluster.url, REDIS_URL)
    processes = {"api-1": cluster.apis["a"], "api-2": cluster.apis["b"], "worker": cluster.worker}
    pids = {name: proc.popen.pid for name, proc in processes.items() if proc is not None and proc.popen is not None}
    try:
        lot = await _lot(db)
        # This process's readings (the payers' cars) reach the consoles through the outbox, as a process's do.
        async with publishing(db, bus):
            clients = await _consoles(lot, cluster, subscribers)
            load = Load(db, lot, cluster, fakes, channels)
            try:
                load.start(readings_per_s, payments_per_s)
                warm_from = time.monotonic()
                while not all(c.warm == c.subscribers for c in clients) or time.monotonic() - warm_from < WARM_UP_S:
                    if failed := [c.failure for c in clients if c.failure]:
                        raise RuntimeError(f"a console's subscription failed: {failed[0]}")
                    if time.monotonic() - warm_from > WARM_UP_LIMIT_S:
                        raise RuntimeError("a console received no lane event during the warm-up")
                    await asyncio.sleep(0.2)

                first_id = await _last_event_id(db, lot.site.lot_id)
                received_before = sum(c.received for c in clients)
                memory_start = {name: rss_mb(pid) for name, pid in pids.items()}
                load_start = datetime.now(UTC)
                began = time.monotonic()
                load.measuring = True
                await asyncio.sleep(minutes * 60)
                load.measuring = False
                seconds = time.monotonic() - began
                load_end = datetime.now(UTC)
                memory_end = {name: rss_mb(pid) for name, pid in pids.items()}
                await load.finish()  # what started in the window is answered before its events are counted

                events = await _events_since(db, lot.site.lot_id, first_id)
                expected = len(events) * subscribers
                deadline = time.monotonic() + DRAIN_S
                while sum(c.received for c in clients) - received_before < expected and time.monotonic() < deadline:  # noqa: ASYNC110 (the clients report)
                    await asyncio.sleep(0.2)
                failures = sum(1 for c in clients if c.failure)
            finally:
                await load.finish()
                arrivals = [received for c in clients for received in await c.finish()]
    finally:
        await bus.close()
        await db.dispose()

    # Arrival times are time.perf_counter() of the console processes: CLOCK_MONOTONIC, shared on Linux.
    wall_minus_monotonic = time.time() - time.perf_counter()
    arrived = [
        (event_id, received[event_id] + wall_minus_monotonic)
        for received in arrivals
        for event_id in events
        if event_id in received
    ]
    console = Kind(
        latencies_ms=[(at - sent) * 1000 for event_id, at in arrived if (sent := events[event_id]) is not None]
    )
    delivered = len(arrived)
    console.errors = expected - delivered + failures
    kinds = {
        "reading": load.readings.summary(seconds),
        "payment": load.payments.summary(seconds),
        "console": {
            **console.summary(seconds),
            "n": delivered,
            "per_s": round(delivered / seconds, 2),
            "delivered": delivered,
            "missed": expected - delivered,
            "events": len(events),
            "subscribers": subscribers,
        },
    }
    memory = {
        name: {
            "start_mb": memory_start[name],
            "end_mb": memory_end[name],
            "growth": round((memory_end[name] - memory_start[name]) / memory_start[name], 3),
        }
        for name in pids
    }
    return {
        "bench": "soak",
        "minutes": minutes,
        "load_start": load_start.isoformat(timespec="seconds"),
        "load_end": load_end.isoformat(timespec="seconds"),
        "kinds": kinds,
        "errors": sum(k["errors"] for k in kinds.values()),
        "memory": memory,
        "memory_flat": all(m["growth"] <= FLAT for m in memory.values()),
        # The machine is shared: its load says how far the latencies speak for the code.
        "load_1m": round(os.getloadavg()[0], 2),
    }


async def _prepared() -> str:
    """Why the soak cannot run here, or "" once its database is fresh and its Redis queues empty."""
    if not os.access(HAPROXY, os.X_OK):
        return f"needs haproxy ({HAPROXY})"
    try:
        await recreate_database(DATABASE_URL)
    except (OSError, asyncpg.PostgresError) as err:
        return f"needs PostgreSQL (PARKCLOUD_TEST_POSTGRES_URL): {err}"
    try:
        await fresh_redis(REDIS_URL)
    except (OSError, RedisError) as err:
        return f"needs Redis (PARKCLOUD_TEST_REDIS_URL): {err}"
    return ""


def run(minutes: float, readings_per_s: float, payments_per_s: float, subscribers: int) -> dict[str, Any]:
    if skipped := asyncio.run(_prepared()):
        # `make bench` without the services: say so in the line instead of failing the other benchmarks.
        return {"bench": "soak", "skipped": skipped}
    try:
        with tempfile.TemporaryDirectory(prefix="bench-soak-") as folder:
            var_dir = Path(folder)
            migrate(DATABASE_URL, var_dir)
            with channel_fakes(var_dir) as fakes:
                extra_env = {
                    "PARKCLOUD_PAYMENT_CREDENTIALS": str(fakes.credentials),
                    "PARKCLOUD_WECHAT_APPID": fakes.wechat_api.appid,
                    "PARKCLOUD_WECHAT_SECRET": fakes.wechat_api.secret,
                    "PARKCLOUD_WECHAT_API_URL": fakes.urls["wechat_api"],
                }
                cluster = Cluster(DATABASE_URL, REDIS_URL, SECRET, var_dir, extra_env=extra_env)
                with running(cluster):
                    try:
                        return asyncio.run(_soak(cluster, fakes, minutes, readings_per_s, payments_per_s, subscribers))
                    except Exception:
                        print(cluster.logs(), file=sys.stderr)
                        raise
    finally:
        asyncio.run(recreate_database(DATABASE_URL, drop_only=True))


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench soak")
    parser.add_argument("--minutes", type=float, default=MINUTES, help="measured load (fractions allowed: 0.5)")
    parser.add_argument("--readings-per-s", type=float, default=READINGS_PER_S, help="camera pushes a second")
    parser.add_argument("--payments-per-s", type=float, default=PAYMENTS_PER_S, help="paid orders a second")
    parser.add_argument("--subscribers", type=int, default=SUBSCRIBERS, help="consoles on the lane events")
    args = parser.parse_args(argv)
    if args.minutes <= 0 or args.readings_per_s <= 0 or args.payments_per_s <= 0 or args.subscribers < 1:
        parser.error("--minutes, --readings-per-s and --payments-per-s must be positive, --subscribers at least 1")
    result = run(args.minutes, args.readings_per_s, args.payments_per_s, args.subscribers)
    print(json.dumps(result, ensure_ascii=False, separators=(",", ":")))
