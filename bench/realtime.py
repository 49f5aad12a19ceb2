"""Live event latency: an alarm raised and committed until every websocket subscriber has received it.

One uvicorn server in this process, SUBSCRIBERS graphql-transport-ws connections subscribed to the lot's
alarms, EVENTS alarms raised one after another. Measured on the in-process bus and, when Redis answers
(PARKCLOUD_REDIS_URL or PARKCLOUD_TEST_REDIS_URL), on Redis pub/sub. Prints one JSON line; latencies in ms
are until the last subscriber got the event (the fan-out), including the alarm's own transaction; CPU time
per delivery counts this whole process (the server and the test clients).
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import time
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from httpx_ws import AsyncWebSocketSession, aconnect_ws
from redis.asyncio import Redis

from api.app import create_app
from bench.common import percentile, scratch_database
from config.settings import Settings
from parking.accounts.auth import hash_password, issue_token
from parking.accounts.models import Operator, Role
from parking.accounts.permissions import ALL_PERMISSIONS
from parking.alarms.models import AlarmKind
from parking.alarms.service import LotRef, raise_alarm
from parking.common.database import Database
from parking.common.events import alarms_topic
from parking.common.scope import Scope, ScopeLevel
from parking.tenancy.models import Agent, Customer, Lot

SECRET = "bench-secret"
SUBSCRIBERS = 20
EVENTS = 200
SUBSCRIPTION = "subscription ($lots: [ID!]) { alarms(lotIds: $lots) { change alarm { id status } } }"


async def _seed(db: Database) -> tuple[LotRef, str]:
    async with db.transaction(Scope.internal()) as s:
        role = Role(name="all", permissions=sorted(ALL_PERMISSIONS), scope_level=ScopeLevel.PLATFORM)
        agent = Agent(name="Bench agent")
        s.add_all([role, agent])
        await s.flush()
        customer = Customer(agent_id=agent.id, name="Bench customer")
        s.add(customer)
        await s.flush()
        lot = Lot(agent_id=agent.id, customer_id=customer.id, name="Lot", code="RT1", capacity=300)
        operator = Operator(
            username="seat",
            display_name="seat",
            password_hash=hash_password("bench password"),
            role_id=role.id,
            scope_level=ScopeLevel.CUSTOMER,
            agent_id=agent.id,
            customer_id=customer.id,
        )
        s.add_all([lot, operator])
        await s.flush()
        return LotRef.of(lot), issue_token(SECRET, operator, datetime.now(UTC), 3600)


async def _redis_url() -> str:
    url = os.environ.get("PARKCLOUD_REDIS_URL") or os.environ.get("PARKCLOUD_TEST_REDIS_URL", "")
    if not url:
        return ""
    redis = Redis.from_url(url, socket_connect_timeout=2)
    try:
        await redis.ping()
    except OSError:
        return ""
    finally:
        await redis.aclose()
    return url


async def _subscriber(url: str, token: str, lot_id: int, inbox: asyncio.Queue[float]) -> None:
    async with httpx.AsyncClient() as http:
        connection: AbstractAsyncContextManager[AsyncWebSocketSession] = aconnect_ws(
            url, http, subprotocols=["graphql-transport-ws"]
        )
        async with connection as ws:
            await ws.send_json({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}})
            await ws.receive_json()
            await ws.send_json(
                {
                    "id": "1",
                    "type": "subscribe",
                    "payload": {"query": SUBSCRIPTION, "variables": {"lots": [str(lot_id)]}},
                }
            )
            while True:
                message = await ws.receive_json()
                if message.get("type") == "next":
                    inbox.put_nowait(time.perf_counter())


async def _measure(db: Database, lot: LotRef, token: str, redis_url: str) -> tuple[list[float], float]:
    settings = Settings(
        var_dir=Path("var"), database_url="unused://", redis_url=redis_url, secret_key=SECRET, web_dist=Path("none")
    )
    app = create_app(settings, db)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        if serving.done():
            serving.result()
        await asyncio.sleep(0.01)
    inbox: asyncio.Queue[float] = asyncio.Queue()
    url = f"http://127.0.0.1:{port}/graphql"
    clients = [asyncio.create_task(_subscriber(url, token, lot.lot_id, inbox)) for _ in range(SUBSCRIBERS)]
    topic = alarms_topic(lot.lot_id)
    # The subscribers share one feed and its one bus listener (api/live_feeds.py): wait for both.
    while app.state.live_feeds.member_count() < SUBSCRIBERS or await app.state.bus.subscriber_count(topic) < 1:  # noqa: ASYNC110 (no notification)
        await asyncio.sleep(0.01)
    latencies: list[float] = []
    cpu_started = time.process_time()
    for i in range(EVENTS):
        started = time.perf_counter()
        async with db.transaction(Scope.internal()) as s:
            await raise_alarm(s, lot, AlarmKind.GATE_FAILED, "bench", now=datetime.now(UTC), plate=f"P{i}")
        last = max([await inbox.get() for _ in range(SUBSCRIBERS)])
        latencies.append((last - started) * 1000)
    cpu_ms = (time.process_time() - cpu_started) * 1000
    for client in clients:
        client.cancel()
    await asyncio.gather(*clients, return_exceptions=True)
    server.should_exit = True
    await serving
    return latencies, cpu_ms / (EVENTS * SUBSCRIBERS)


async def _run() -> dict[str, Any]:
    db, _ = await scratch_database("realtime")
    try:
        lot, token = await _seed(db)
        result: dict[str, Any] = {"bench": "realtime", "subscribers": SUBSCRIBERS, "events": EVENTS}
        buses = {"local": ""}
        if redis_url := await _redis_url():
            buses["redis"] = redis_url
        for name, url in buses.items():
            latencies, cpu_ms = await _measure(db, lot, token, url)
            result[f"{name}_p50_ms"] = round(percentile(latencies, 50), 2)
            result[f"{name}_p99_ms"] = round(percentile(latencies, 99), 2)
            # CPU per delivered event (server and clients share this process): steadier than latency on a busy box.
            result[f"{name}_cpu_ms_per_delivery"] = round(cpu_ms, 3)
        result["database"] = db.engine.dialect.name
        return result
    finally:
        await db.dispose()


def main(args: list[str]) -> None:
    print(json.dumps(asyncio.run(_run())))
