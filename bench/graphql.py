"""GraphQL overhead: a 50-lot list with lanes over HTTP, against a plain Starlette JSON endpoint doing the same work.

Both endpoints run in one uvicorn server process, set up like ``parkcloud serve``, for an agent's operator
(so tenant scoping filters another agent's lots out of both): the same token check, permission check and
the same two scoped queries (a page of 51 lots, their lanes). The only difference is the GraphQL layer
(parsing, validation, limits, resolvers, dataloaders, error masking). The two loads alternate in short
rounds so that a neighbour's burst on a shared machine falls on both. Prints one JSON line.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import socket
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route

from api.app import create_app
from api.auth import authenticate, bearer_token
from api.heap import settle_heap
from bench.common import percentile, scratch_database
from config.settings import Settings
from parking.accounts.auth import hash_password, issue_token
from parking.accounts.models import Operator, Role
from parking.accounts.permissions import Perm
from parking.common.database import Database
from parking.common.scope import Scope, ScopeLevel
from parking.tenancy.enums import LaneDirection
from parking.tenancy.models import Agent, Customer, Lane, Lot

SECRET = "bench-secret"
QUERY = "{ lots(first: 50) { items { id name capacity freeSpaces lanes { id name direction } } } }"
CONCURRENCY = 8
DURATION_S = 10.0
ROUNDS = 5
WARM_UP_S = 2.0
PAGE = 50


async def _seed(db: Database) -> str:
    async with db.transaction(Scope.internal()) as s:
        agent, other = Agent(name="Bench agent"), Agent(name="Other agent")
        s.add_all([agent, other])
        await s.flush()
        role = Role(
            name="lot viewer", permissions=[Perm.LOTS_VIEW.value], scope_level=ScopeLevel.AGENT, agent_id=agent.id
        )
        s.add(role)
        # The other agent's lots sort first by name: scoping, not the page size, keeps them out.
        for owner, prefix, count in ((other, "A", 20), (agent, "B", PAGE)):
            customer = Customer(agent_id=owner.id, name=f"{prefix} customer")
            s.add(customer)
            await s.flush()
            for i in range(count):
                lot = Lot(
                    agent_id=owner.id,
                    customer_id=customer.id,
                    name=f"{prefix} lot {i:02d}",
                    code=f"{prefix}{i:03d}",
                    capacity=300,
                )
                s.add(lot)
                await s.flush()
                for j, direction in enumerate((LaneDirection.ENTRY, LaneDirection.EXIT)):
                    s.add(
                        Lane(
                            agent_id=owner.id,
                            customer_id=customer.id,
                            lot_id=lot.id,
                            name=f"Lane {j}",
                            direction=direction,
                            qr_token=f"{prefix}{i}-{j}",
                        )
                    )
        await s.flush()
        operator = Operator(
            username="bench",
            password_hash=hash_password("bench-pass"),
            role_id=role.id,
            scope_level=ScopeLevel.AGENT,
            agent_id=agent.id,
        )
        s.add(operator)
        await s.flush()
        return issue_token(SECRET, operator, datetime.now(UTC), 3600)


def _bench_app(url: str) -> Starlette:
    settings = Settings(var_dir=Path("var"), database_url=url, redis_url="", secret_key=SECRET)
    db = Database.from_url(url)
    graphql_app = create_app(settings, db)

    async def raw_lots(request: Request) -> Response:
        actor = await authenticate(db, SECRET, token=bearer_token(request), api_key=None, ip="", request_id="")
        if actor is None:
            return JSONResponse({"error": "unauthenticated"}, status_code=401)
        if not actor.can(Perm.LOTS_VIEW):
            return JSONResponse({"error": "permission denied"}, status_code=403)
        async with db.session(actor.scope) as session:
            # One more than the page, as the GraphQL page does to tell whether there is a next one.
            lots = list(await session.scalars(select(Lot).order_by(Lot.name, Lot.id).limit(PAGE + 1)))[:PAGE]
            lanes = await session.scalars(
                select(Lane).where(Lane.lot_id.in_([lot.id for lot in lots])).order_by(Lane.id)
            )
            by_lot: dict[int, list[dict[str, Any]]] = {}
            for lane in lanes:
                by_lot.setdefault(lane.lot_id, []).append(
                    {"id": str(lane.id), "name": lane.name, "direction": lane.direction.name}
                )
        items = [
            {
                "id": str(lot.id),
                "name": lot.name,
                "capacity": lot.capacity,
                "freeSpaces": lot.free_spaces,
                "lanes": by_lot.get(lot.id, []),
            }
            for lot in lots
        ]
        return JSONResponse({"data": {"lots": {"items": items}}})

    return Starlette(routes=[Route("/raw/lots", raw_lots), Mount("/", graphql_app)])


def _serve(url: str, port: int) -> None:
    import uvicorn

    app = _bench_app(url)
    settle_heap()  # as ``parkcloud serve`` does
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Load:
    """Latencies and request counts of one endpoint, gathered over several rounds."""

    def __init__(self, method: str, path: str, body: Any) -> None:
        self.method, self.path, self.body = method, path, body
        self.latencies: list[float] = []
        self.elapsed_s = 0.0

    async def round(self, client: httpx.AsyncClient, duration_s: float, *, record: bool = True) -> None:
        latencies: list[float] = []
        deadline = time.perf_counter() + duration_s

        async def worker() -> None:
            while time.perf_counter() < deadline:
                start = time.perf_counter()
                response = await client.request(self.method, self.path, json=self.body)
                latencies.append((time.perf_counter() - start) * 1000)
                if response.status_code != 200 or len(response.json()["data"]["lots"]["items"]) != PAGE:
                    raise RuntimeError(f"bad response: {response.text[:200]}")

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
        if record:
            self.elapsed_s += time.perf_counter() - started
            self.latencies.extend(latencies)

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.elapsed_s


async def _run() -> dict[str, Any]:
    db, url = await scratch_database("graphql")
    token = await _seed(db)
    await db.dispose()
    port = _free_port()
    server = multiprocessing.get_context("spawn").Process(target=_serve, args=(url, port), daemon=True)
    server.start()
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=base) as probe:
            # A spawned server imports the whole app first: on a busy 2-core machine that takes well over 10 s.
            for _ in range(600):
                try:
                    await probe.get("/healthz")
                    break
                except httpx.TransportError:
                    await asyncio.sleep(0.1)
        raw = Load("GET", "/raw/lots", None)
        gql = Load("POST", "/graphql", {"query": QUERY})
        headers = {"Authorization": f"Bearer {token}"}
        async with httpx.AsyncClient(base_url=base, headers=headers, timeout=10) as client:
            # Warm both paths (caches, connection pools, the server's first collections) before measuring.
            for load in (raw, gql):
                await load.round(client, WARM_UP_S, record=False)
            for _ in range(ROUNDS):
                for load in (raw, gql):
                    await load.round(client, DURATION_S / ROUNDS)
    finally:
        server.terminate()
        server.join(5)
    return {
        "bench": "graphql",
        "graphql_rps": round(gql.rps, 1),
        "graphql_p99_ms": round(percentile(gql.latencies, 99), 2),
        "raw_rps": round(raw.rps, 1),
        "raw_p99_ms": round(percentile(raw.latencies, 99), 2),
        "ratio": round(gql.rps / raw.rps, 3),
        "database": url.split(":", 1)[0],
        "concurrency": CONCURRENCY,
        "duration_s": DURATION_S,
        # The machine may be shared: the load average says how quiet it was.
        "loadavg_1m": round(os.getloadavg()[0], 2),
    }


def main(argv: list[str]) -> None:
    global DURATION_S
    if argv:
        DURATION_S = float(argv[0])
    print(json.dumps(asyncio.run(_run())))
