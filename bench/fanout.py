"""Console fan-out across API processes: SUBSCRIBERS graphql-transport-ws subscribers split between two uvicorn
processes on one PostgreSQL and Redis, receiving EVENTS_PER_S lane events a second raised through Redis.

Each subscriber opens the console's own subscription (clients/web/src/graphql/console.ts, LaneEventsLive) for
the one lot; half are a customer-level seat, half a lot-level seat (two scopes, so two feeds per process). This
process records each lane event (a committed transaction, published on Redis after commit) and runs the
websocket clients; the API processes only serve. Warm-up events are sent until every subscriber has received
one (graphql-transport-ws has no "subscription is live" message), then EVENTS_PER_S events a second for
DURATION_S seconds (`python -m bench fanout [seconds]`).

Prints one JSON line: latency from the start of the event's transaction to each subscriber's receipt (p50,
p99 over every delivery), deliveries missed, and the CPU time of the two API processes (from /proc) divided by
the deliveries they made.
"""

from __future__ import annotations

import asyncio
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
from websockets.asyncio.client import connect
from websockets.typing import Subprotocol

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
# Generous bounds on things that should happen at once: a hang fails the bench instead of blocking it.
START_LIMIT_S = 300.0
WARM_UP_LIMIT_S = 120.0
DRAIN_S = 10.0

EVENT_FIELDS = "id lotId laneId sessionId kind at plate plateColor confidence imageRef opened decisionReason"
SUBSCRIPTION = f"subscription LaneEventsLive($lotId: ID!) {{ laneEvents(lotId: $lotId) {{ {EVENT_FIELDS} }} }}"


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
    now = datetime.now(UTC)
    async with db.transaction(Scope.internal()) as s:
        role = Role(name="all", permissions=sorted(ALL_PERMISSIONS), scope_level=ScopeLevel.PLATFORM)
        agent = Agent(name="Fan-out agent")
        s.add_all([role, agent])
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
        seats = [
            Operator(username=f"seat-{level.value}", scope_level=level, agent_id=agent.id, customer_id=customer.id)
            for level in (ScopeLevel.CUSTOMER, ScopeLevel.LOT)
        ]
        for seat in seats:
            seat.display_name = seat.username
            seat.password_hash = hash_password("bench password")
            seat.role_id = role.id
        s.add(lane)
        s.add_all(seats)
        await s.flush()
        await s.execute(insert(operator_lots), [{"operator_id": seats[1].id, "lot_id": lot.id}])
        tokens = [issue_token(SECRET, seat, now, 3600) for seat in seats]
        return Seed(agent.id, customer.id, lot.id, lane.id, tokens)


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


class Subscriber:
    """One console: a graphql-transport-ws connection with the lane events subscription, noting each arrival."""

    def __init__(self, url: str, token: str, lot_id: int) -> None:
        self.url, self.token, self.lot_id = url, token, lot_id
        self.received: dict[int, float] = {}
        self.failure = ""

    async def run(self) -> None:
        async with connect(self.url, subprotocols=[Subprotocol("graphql-transport-ws")], max_queue=None) as ws:
            await ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {self.token}"}}))
            json.loads(await ws.recv())
            variables = {"lotId": str(self.lot_id)}
            await ws.send(
                json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIPTION, "variables": variables}})
            )
            async for raw in ws:
                arrived = time.perf_counter()
                message = json.loads(raw)
                if message["type"] == "next" and message["payload"].get("data"):
                    self.received[int(message["payload"]["data"]["laneEvents"]["id"])] = arrived
                elif message["type"] == "ping":
                    await ws.send(json.dumps({"type": "pong"}))
                elif message["type"] != "pong":
                    self.failure = str(message)[:200]
                    return


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
    pids = [pid for pid, _ in servers]
    subscribers = [
        Subscriber(
            f"ws://127.0.0.1:{servers[i % PROCESSES][1]}/graphql", seed.tokens[(i // PROCESSES) % 2], seed.lot_id
        )
        for i in range(SUBSCRIBERS)
    ]
    clients = [asyncio.create_task(s.run()) for s in subscribers]
    numbers = itertools.count(1)
    try:

        async def warm_up() -> None:
            await _record_event(db, seed, next(numbers))
            if failed := [s.failure for s in subscribers if s.failure]:
                raise RuntimeError(f"a subscription failed: {failed[0]}")

        await _until(lambda: all(s.received for s in subscribers), WARM_UP_LIMIT_S, "every subscriber", warm_up)
        await asyncio.sleep(1)  # the last warm-up events arrive outside the measured window

        sent: dict[int, float] = {}
        commits: list[float] = []

        async def one(n: int) -> None:
            began = time.perf_counter()
            sent[await _record_event(db, seed, n)] = began
            commits.append((time.perf_counter() - began) * 1000)

        events = int(duration_s * EVENTS_PER_S)
        cpu_started, own_cpu_started = _cpu_s(pids), time.process_time()
        first = time.perf_counter()
        recording: list[asyncio.Task[None]] = []
        for i in range(events):
            await asyncio.sleep(max(0.0, first + i / EVENTS_PER_S - time.perf_counter()))
            recording.append(asyncio.create_task(one(next(numbers))))
        await asyncio.gather(*recording)
        expected = events * SUBSCRIBERS

        def delivered() -> int:
            return sum(1 for s in subscribers for event_id in sent if event_id in s.received)

        deadline = time.monotonic() + DRAIN_S
        while delivered() < expected and time.monotonic() < deadline:  # noqa: ASYNC110 (clients note arrivals)
            await asyncio.sleep(0.1)
        cpu_s, own_cpu_s = _cpu_s(pids) - cpu_started, time.process_time() - own_cpu_started
    finally:
        for task in clients:
            task.cancel()
        await asyncio.gather(*clients, return_exceptions=True)
    latencies = [
        (s.received[event_id] - began) * 1000
        for s in subscribers
        for event_id, began in sent.items()
        if event_id in s.received
    ]
    return {
        "bench": "fanout",
        "subscribers": SUBSCRIBERS,
        "events_per_s": EVENTS_PER_S,
        "p50_ms": round(percentile(latencies, 50), 1),
        "p99_ms": round(percentile(latencies, 99), 1),
        "missed": expected - len(latencies),
        # The event's own transaction (the publisher's share of the latency, not the fan-out's).
        "commit_p50_ms": round(percentile(commits, 50), 1),
        "cpu_ms_per_delivery": round(cpu_s * 1000 / max(1, len(latencies)), 3),
        # This process (the clients and the publisher), apart: it competes for the same cores.
        "client_cpu_ms_per_delivery": round(own_cpu_s * 1000 / max(1, len(latencies)), 3),
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
