"""GraphQL overhead: a 50-lot list with lanes over HTTP, against a plain Starlette JSON endpoint doing the same work.

Both endpoints run in one uvicorn server process and authenticate the same way; the only difference is the
GraphQL layer (parsing, validation, resolvers, dataloaders). Prints one JSON line.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
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
from api.settings import Settings
from bench.common import percentile, scratch_database
from parking.accounts.auth import hash_password, issue_token
from parking.accounts.models import Operator, Role
from parking.accounts.permissions import ALL_PERMISSIONS
from parking.common.database import Database
from parking.common.scope import Scope, ScopeLevel
from parking.tenancy.enums import LaneDirection
from parking.tenancy.models import Agent, Customer, Lane, Lot

SECRET = "bench-secret"
QUERY = "{ lots(first: 50) { items { id name capacity freeSpaces lanes { id name direction } } } }"
CONCURRENCY = 8
DURATION_S = 10.0


async def _seed(db: Database) -> str:
    async with db.transaction(Scope.internal()) as s:
        role = Role(name="all", permissions=sorted(ALL_PERMISSIONS), scope_level=ScopeLevel.PLATFORM)
        agent = Agent(name="Bench agent")
        s.add_all([role, agent])
        await s.flush()
        customer = Customer(agent_id=agent.id, name="Bench customer")
        s.add(customer)
        await s.flush()
        for i in range(50):
            lot = Lot(agent_id=agent.id, customer_id=customer.id, name=f"Lot {i:02d}", code=f"B{i:03d}", capacity=300)
            s.add(lot)
            await s.flush()
            for j, direction in enumerate((LaneDirection.ENTRY, LaneDirection.EXIT)):
                s.add(
                    Lane(
                        agent_id=agent.id,
                        customer_id=customer.id,
                        lot_id=lot.id,
                        name=f"Lane {j}",
                        direction=direction,
                        qr_token=f"q{i}-{j}",
                    )
                )
        operator = Operator(
            username="bench",
            password_hash=hash_password("bench-pass"),
            role_id=role.id,
            scope_level=ScopeLevel.PLATFORM,
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
        async with db.session(actor.scope) as session:
            lots = list(await session.scalars(select(Lot).order_by(Lot.name, Lot.id).limit(50)))
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
                "freeSpaces": max(lot.capacity - lot.occupied, 0),
                "lanes": by_lot.get(lot.id, []),
            }
            for lot in lots
        ]
        return JSONResponse({"data": {"lots": {"items": items}}})

    return Starlette(routes=[Route("/raw/lots", raw_lots), Mount("/", graphql_app)])


def _serve(url: str, port: int) -> None:
    import uvicorn

    uvicorn.run(_bench_app(url), host="127.0.0.1", port=port, log_level="warning", access_log=False)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _load(base: str, token: str, method: str, path: str, body: Any) -> tuple[float, float, int]:
    latencies: list[float] = []
    headers = {"Authorization": f"Bearer {token}"}
    deadline = time.perf_counter() + DURATION_S
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=10) as client:

        async def worker() -> None:
            while time.perf_counter() < deadline:
                start = time.perf_counter()
                response = await client.request(method, path, json=body)
                latencies.append((time.perf_counter() - start) * 1000)
                if response.status_code != 200 or len(response.json()["data"]["lots"]["items"]) != 50:
                    raise RuntimeError(f"bad response: {response.text[:200]}")

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
        elapsed = time.perf_counter() - started
    return len(latencies) / elapsed, percentile(latencies, 99), len(latencies)


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
            for _ in range(100):
                try:
                    await probe.get("/healthz")
                    break
                except httpx.TransportError:
                    await asyncio.sleep(0.1)
        # Warm both paths (caches, connection pool) before measuring.
        await _load_briefly(base, token)
        raw_rps, raw_p99, _ = await _load(base, token, "GET", "/raw/lots", None)
        gql_rps, gql_p99, _ = await _load(base, token, "POST", "/graphql", {"query": QUERY})
    finally:
        server.terminate()
        server.join(5)
    return {
        "bench": "graphql",
        "graphql_rps": round(gql_rps, 1),
        "graphql_p99_ms": round(gql_p99, 2),
        "raw_rps": round(raw_rps, 1),
        "raw_p99_ms": round(raw_p99, 2),
        "ratio": round(gql_rps / raw_rps, 3),
        "database": url.split(":", 1)[0],
        "concurrency": CONCURRENCY,
    }


async def _load_briefly(base: str, token: str) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=10) as client:
        for _ in range(20):
            await client.get("/raw/lots")
            await client.post("/graphql", json={"query": QUERY})


def main(argv: list[str]) -> None:
    global DURATION_S
    if argv:
        DURATION_S = float(argv[0])
    print(json.dumps(asyncio.run(_run())))
