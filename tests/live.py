"""A real server for tests: uvicorn on a free loopback port in the test's event loop, and a GraphQL websocket client.

Use ``live_server(app)`` to serve an app (its lifespan runs, so ``app.state.bus`` exists), and
``graphql_ws(server, token)`` for a graphql-transport-ws connection that has been acknowledged.
Subscriptions have no "now live" message: call ``server.wait_for_subscribers(topic)`` before publishing.
"""

from __future__ import annotations

import asyncio
import itertools
import socket
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, cast

import httpx
import uvicorn
from httpx_ws import AsyncWebSocketSession, WebSocketDisconnect, aconnect_ws
from starlette.applications import Starlette

from parking.common.events import EventBus

# Generous bounds on waiting for something that should happen at once: a hang fails instead of blocking the run.
WAIT_S = 10.0
PROTOCOL = "graphql-transport-ws"


@dataclass
class LiveServer:
    app: Starlette
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def bus(self) -> EventBus:
        return cast(EventBus, self.app.state.bus)

    async def wait_for_subscribers(self, topic: str, count: int = 1) -> None:
        """Until ``count`` listeners are registered on ``topic`` (an event published earlier would be lost)."""
        async with asyncio.timeout(WAIT_S):
            while await self.bus.subscriber_count(topic) < count:  # noqa: ASYNC110 (the bus has no notification)
                await asyncio.sleep(0.01)

    async def wait_for_no_subscribers(self, topic: str) -> None:
        """Until every listener on ``topic`` is gone (a completed or closed subscription lets go of the bus)."""
        async with asyncio.timeout(WAIT_S):
            while await self.bus.subscriber_count(topic) > 0:  # noqa: ASYNC110 (the bus has no notification)
                await asyncio.sleep(0.01)


@asynccontextmanager
async def live_server(app: Starlette) -> AsyncIterator[LiveServer]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    config = uvicorn.Config(app, lifespan="on", log_level="warning", timeout_graceful_shutdown=5)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        async with asyncio.timeout(WAIT_S):
            while not server.started:
                if task.done():
                    task.result()  # start-up failed: raise its error here
                await asyncio.sleep(0.01)
        yield LiveServer(app=app, port=port)
    finally:
        server.should_exit = True
        await task
        sock.close()


@dataclass
class GraphQLSocket:
    """A graphql-transport-ws client connection, acknowledged by the server."""

    ws: AsyncWebSocketSession
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    async def subscribe(self, query: str, variables: dict[str, Any] | None = None) -> str:
        op_id = str(next(self._ids))
        payload = {"query": query, "variables": variables or {}}
        await self.ws.send_json({"id": op_id, "type": "subscribe", "payload": payload})
        return op_id

    async def receive(self) -> dict[str, Any]:
        """The next message that is not a ping/pong."""
        while True:
            message = cast(dict[str, Any], await self.ws.receive_json(timeout=WAIT_S))
            if message["type"] == "ping":
                await self.ws.send_json({"type": "pong"})
            elif message["type"] != "pong":
                return message

    async def complete(self, op_id: str) -> None:
        await self.ws.send_json({"id": op_id, "type": "complete"})


@asynccontextmanager
async def graphql_ws(server: LiveServer, init_payload: dict[str, Any] | None) -> AsyncIterator[GraphQLSocket]:
    """Open /graphql, send connection_init with ``init_payload`` and wait for the ack.

    A refused connection raises httpx_ws.WebSocketDisconnect carrying the close code (4403 for bad auth).
    """
    try:
        async with httpx.AsyncClient(base_url=server.url) as http:
            connection: AbstractAsyncContextManager[AsyncWebSocketSession] = aconnect_ws(
                f"{server.url}/graphql", http, subprotocols=[PROTOCOL], keepalive_ping_interval_seconds=None
            )
            async with connection as ws:
                init: dict[str, Any] = {"type": "connection_init"}
                if init_payload is not None:
                    init["payload"] = init_payload
                await ws.send_json(init)
                ack = cast(dict[str, Any], await ws.receive_json(timeout=WAIT_S))
                assert ack["type"] == "connection_ack", ack
                yield GraphQLSocket(ws)
    except ExceptionGroup as group:
        # httpx-ws runs its reader in a task group; surface a close by the server as the plain exception.
        closed = group.subgroup(WebSocketDisconnect)
        if closed is None:
            raise
        leaf: BaseException = closed
        while isinstance(leaf, BaseExceptionGroup):
            leaf = leaf.exceptions[0]
        raise leaf from group


def bearer(token: str) -> dict[str, Any]:
    return {"Authorization": f"Bearer {token}"}
