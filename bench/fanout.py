"""Console fan-out across API processes: SUBSCRIBERS graphql-transport-ws subscribers split between two uvicorn
processes on one PostgreSQL and Redis, receiving EVENTS_PER_S lane events a second raised through Redis.

Each subscriber opens the console's own subscription (clients/web/src/graphql/console.ts, LaneEventsLive) for
the one lot; half are a customer-level seat, half a lot-level seat (two scopes, so two feeds per process). This
process records each lane event (a committed transaction, published on Redis through the outbox); two more
processes run the websocket clients (bench/_fanout_clients.py); the API processes only serve. Warm-up events
are sent until every subscriber has received one (graphql-transport-ws has no "subscription is live"
message), then EVENTS_PER_S events a second for DURATION_S seconds (`python -m bench fanout [seconds]`).

Prints one JSON line: latency from the start of the event's transaction to each subscriber's receipt (p50,
p99 over every delivery), deliveries missed, and the CPU time of the two API processes (from /proc) divided by
the deliveries they made.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from bench.common import percentile, scratch_database
from parking.accounts.auth import hash_password, issue_token
from parking.accounts.models import Operator, Role, operator_lots
from parking.accounts.permissions import ALL_PERMISSIONS
from parking.common.database import Database
from parking.common.events import lane_events_topic, publish_on_commit
from parking.common.outbox import publishing
from parking.common.pubsub import RedisBus
from parking.common.scope import Scope, ScopeLevel
from parking.sessions.enums import EventKind
from parking.sessions.models import LaneEvent
from parking.tenancy.enums import LaneDirection
from parking.tenancy.models import Agent, Customer, Lane, Lot

SECRET = "bench-fanout-secret"
SUBSCRIBERS = 200
EVENTS_PER_S = 20
DURATION_S = 10.0
PROCESSES = 2
# Generous bounds on things that should happen at once: a hang fails the bench instead of blocking it. A
# delivery later than DRAIN_S after the last event counts as missed; before that, as latency.
START_LIMIT_S = 300.0
WARM_UP_LIMIT_S = 120.0
DRAIN_S = 30.0


@dataclass(frozen=True)
class Seed:
    agent_id: int
    customer_id: int
    lot_id: int
    lane_id: int
    # One seat of the customer, one of the lot alone: two scopes, so two feeds in each process.
    tokens: list[str]


async def _seed(db: Database) -> Seed:
    """A lot with one lane and two seats that see it in different scopes."""
    async with db.transaction(Scope.internal()) as s:
        agent = Agent(name="Fan-out agent")
        s.add(agent)
        await s.flush()
        customer = Customer(agent_id=agent.id, name="Fan-out customer")
        s.add(customer)
        await s.flush()
        lot = Lot(agent_id=agent.id, customer_id=customer.id, name="Lot", code="FO1", capacity=500)
        s.add(lot)
        await s.flush()
        lane = Lane(
            agent_id=agent.id,
            customer_id=customer.id,
            lot_id=lot.id,
            name="In",
            direction=LaneDirection.ENTRY,
            qr_token="fanout-in",
        )
        s.add(lane)
        await s.flush()
        tokens = await seat_tokens(s, lot, SECRET)
        return Seed(agent.id, customer.id, lot.id, lane.id, tokens)


async def seat_tokens(s: AsyncSession, lot: Lot, secret: str) -> list[str]:
    """Tokens (signed with ``secret``) of two console seats that see ``lot``: one of its customer, one of the lot
    alone, two scopes, so two feeds in each API process."""
    now = datetime.now(UTC)
    role = Role(name="all", permissions=sorted(ALL_PERMISSIONS), scope_level=ScopeLevel.PLATFORM)
    s.add(role)
    await s.flush()
    seats = [
        Operator(username=f"seat-{level.value}", scope_level=level, agent_id=lot.agent_id, customer_id=lot.customer_id)
        for level in (ScopeLevel.CUSTOMER, ScopeLevel.LOT)
    ]
    for seat in seats:
        seat.display_name = seat.username
        seat.password_hash = hash_password("bench password")
        seat.role_id = role.id
    s.add_all(seats)
    await s.flush()
    await s.execute(insert(operator_lots), [{"operator_id": seats[1].id, "lot_id": lot.id}])
    return [issue_token(secret, seat, now, 3600) for seat in seats]


async def _record_event(db: Database, seed: Seed, n: int) -> int:
    """A lane event stored and published as the lane flow does (``{"id": ..., "lane_id": ...}`` after commit)."""
    now = datetime.now(UTC)
    async with db.transaction(Scope.internal()) as s:
        event = LaneEvent(
            agent_id=seed.agent_id,
            customer_id=seed.customer_id,
            lot_id=seed.lot_id,
            lane_id=seed.lane_id,
            kind=EventKind.ENTRY,
            at=now,
            received_at=now,
            plate=f"沪A{n:05d}",
            confidence=0.97,
            dedup_key=f"fanout:{n}",
            opened=True,
            decision_reason="temporary",
        )
        s.add(event)
        await s.flush()
        publish_on_commit(s, lane_events_topic(seed.lot_id), {"id": event.id, "lane_id": seed.lane_id})
        return event.id


def _start_api(database_url: str, redis_url: str, var_dir: Path) -> tuple[subprocess.Popen[bytes], int]:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    var_dir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "PARKCLOUD_DATABASE_URL": database_url,
        "PARKCLOUD_REDIS_URL": redis_url,
        "PARKCLOUD_SECRET_KEY": SECRET,
        "PARKCLOUD_VAR_DIR": str(var_dir),
        "PARKCLOUD_WEB_DIST": str(var_dir / "no-web-client"),
    }
    command = [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory", "--log-level", "warning"]
    with (var_dir / "uvicorn.log").open("wb") as log:
        # The interpreter itself (no wrapper script): its /proc entry is the server's CPU time.
        proc = subprocess.Popen(
            [*command, "--host", "127.0.0.1", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
        )
    return proc, port


async def _wait_until_serving(proc: subprocess.Popen[bytes], port: int, var_dir: Path) -> None:
    async with httpx.AsyncClient() as http:
        deadline = time.monotonic() + START_LIMIT_S
        while True:
            try:
                if (await http.get(f"http://127.0.0.1:{port}/healthz", timeout=1)).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"API did not start: {(var_dir / 'uvicorn.log').read_text()[-2000:]}")
            await asyncio.sleep(0.1)


def _cpu_s(pids: Sequence[int]) -> float:
    """User + system CPU seconds of these processes so far (/proc/PID/stat, fields 14 and 15)."""
    ticks = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


CLIENT_PROCESSES = 2


class ClientProcess:
    """A process of consoles (bench/_fanout_clients.py) and the last status it reported."""

    def __init__(self, proc: asyncio.subprocess.Process, subscribers: int) -> None:
        self.proc = proc
        self.subscribers = subscribers
        self.warm = 0
        self.received = 0
        self.failure = ""
        self.arrivals: list[dict[int, float]] = []
        self._reading = asyncio.create_task(self._read())

    @classmethod
    async def start(cls, lot_id: int, subscribers: list[tuple[str, str]]) -> ClientProcess:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bench._fanout_clients",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            limit=1 << 26,  # the final line holds every arrival
        )
        assert proc.stdin is not None
        proc.stdin.write((json.dumps({"lot_id": lot_id, "subscribers": subscribers}) + "\n").encode())
        await proc.stdin.drain()
        return cls(proc, len(subscribers))

    async def _read(self) -> None:
        assert self.proc.stdout is not None
        async for line in self.proc.stdout:
            status = json.loads(line)
            if "arrivals" in status:
                self.arrivals = [{int(event): at for event, at in pairs} for pairs in status["arrivals"]]
                return
            self.warm, self.received, self.failure = status["warm"], status["received"], status["failure"]

    async def finish(self) -> list[dict[int, float]]:
        """Stop the consoles and collect what each one received, and when."""
        if self.proc.returncode is None:
            assert self.proc.stdin is not None
            self.proc.stdin.write(b"stop\n")
            with contextlib.suppress(ConnectionError):
                await self.proc.stdin.drain()
        await asyncio.wait_for(self._reading, timeout=60)
        await self.proc.wait()
        return self.arrivals


async def _until(condition: Callable[[], bool], limit_s: float, what: str, tick: Callable[[], Awaitable[None]]) -> None:
    deadline = time.monotonic() + limit_s
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        await tick()
        await asyncio.sleep(0.05)


@asynccontextmanager
async def _api_processes(database_url: str, redis_url: str, var_dir: Path) -> AsyncIterator[list[tuple[int, int]]]:
    """PROCESSES API servers on one database and Redis; yields (pid, port) of each once all answer."""
    started = [_start_api(database_url, redis_url, var_dir / f"api{i}") for i in range(PROCESSES)]
    try:
        await asyncio.gather(
            *(_wait_until_serving(p, port, var_dir / f"api{i}") for i, (p, port) in enumerate(started))
        )
        yield [(proc.pid, port) for proc, port in started]
    finally:
        for proc, _ in started:
            proc.terminate()
        for proc, _ in started:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


async def _measure(db: Database, seed: Seed, servers: list[tuple[int, int]], duration_s: float) -> dict[str, Any]:
    consoles = [
        (f"ws://127.0.0.1:{servers[i % PROCESSES][1]}/graphql", seed.tokens[(i // PROCESSES) % 2])
        for i in range(SUBSCRIBERS)
    ]
    clients = [await ClientProcess.start(seed.lot_id, consoles[k::CLIENT_PROCESSES]) for k in range(CLIENT_PROCESSES)]
    numbers = itertools.count(1)
    try:

        async def warm_up() -> None:
            await _record_event(db, seed, next(numbers))
            if failed := [c.failure for c in clients if c.failure]:
                raise RuntimeError(f"a subscription failed: {failed[0]}")

        def all_warm() -> bool:
            return all(c.warm == c.subscribers for c in clients)

        await _until(all_warm, WARM_UP_LIMIT_S, "every subscriber", warm_up)
        await asyncio.sleep(1)  # the last warm-up events arrive outside the measured window

        sent: dict[int, float] = {}
        commits: list[float] = []

        async def one(n: int) -> None:
            began = time.perf_counter()
            sent[await _record_event(db, seed, n)] = began
            commits.append((time.perf_counter() - began) * 1000)

        events = int(duration_s * EVENTS_PER_S)
        expected = events * SUBSCRIBERS
        api_pids, client_pids = [pid for pid, _ in servers], [c.proc.pid for c in clients]
        cpu_started, client_cpu_started = _cpu_s(api_pids), _cpu_s(client_pids)
        received_before = sum(c.received for c in clients)
        first = time.perf_counter()
        recording: list[asyncio.Task[None]] = []
        for i in range(events):
            await asyncio.sleep(max(0.0, first + i / EVENTS_PER_S - time.perf_counter()))
            recording.append(asyncio.create_task(one(next(numbers))))
        await asyncio.gather(*recording)
        deadline = time.monotonic() + DRAIN_S
        while sum(c.received for c in clients) - received_before < expected and time.monotonic() < deadline:  # noqa: ASYNC110 (the clients report)
            await asyncio.sleep(0.1)
        cpu_s, client_cpu_s = _cpu_s(api_pids) - cpu_started, _cpu_s(client_pids) - client_cpu_started
    finally:
        arrivals = [received for c in clients for received in await c.finish()]
    latencies = [
        (received[event_id] - began) * 1000
        for received in arrivals
        for event_id, began in sent.items()
        if event_id in received
    ]
    return {
        "bench": "fanout",
        "subscribers": SUBSCRIBERS,
        "events_per_s": EVENTS_PER_S,
        "p50_ms": round(percentile(latencies, 50), 1),
        "p99_ms": round(percentile(latencies, 99), 1),
        "missed": expected - len(latencies),
        "cpu_ms_per_delivery": round(cpu_s * 1000 / max(1, len(latencies)), 3),
        # The event's own transaction (the publisher's share of the latency, not the fan-out's).
        "commit_p50_ms": round(percentile(commits, 50), 1),
        # The console processes, apart: they compete for the same cores.
        "client_cpu_ms_per_delivery": round(client_cpu_s * 1000 / max(1, len(latencies)), 3),
        "processes": PROCESSES,
        "events": events,
        "deliveries": len(latencies),
    }


async def _answers(redis_url: str) -> bool:
    if not redis_url:
        return False
    redis = Redis.from_url(redis_url, socket_connect_timeout=2)
    try:
        await redis.ping()
    except (RedisError, OSError):
        return False
    finally:
        await redis.aclose()
    return True


async def _run(duration_s: float) -> dict[str, Any]:
    redis_url = os.environ.get("PARKCLOUD_REDIS_URL") or os.environ.get("PARKCLOUD_TEST_REDIS_URL", "")
    if not await _answers(redis_url):
        # `make bench` without Redis: say so in the line instead of failing the other benchmarks.
        return {"bench": "fanout", "skipped": "needs Redis (PARKCLOUD_REDIS_URL or PARKCLOUD_TEST_REDIS_URL)"}
    db, database_url = await scratch_database("fanout")
    bus = RedisBus.from_url(redis_url)
    try:
        seed = await _seed(db)
        # Published as an API process publishes: through the outbox and its relay, never lost to a slow Redis.
        with tempfile.TemporaryDirectory(prefix="bench-fanout-") as var_dir:
            async with publishing(db, bus), _api_processes(database_url, redis_url, Path(var_dir)) as servers:
                result = await _measure(db, seed, servers, duration_s)
        # The machine is shared: its load says how far the latencies speak for the code.
        return {**result, "load_1m": round(os.getloadavg()[0], 2), "database": db.engine.dialect.name}
    finally:
        await bus.close()
        await db.dispose()


def main(args: list[str]) -> None:
    duration_s = float(args[0]) if args else DURATION_S
    print(json.dumps(asyncio.run(_run(duration_s))))
