"""Real loopback servers for tests: the app under uvicorn on a free port, a TCP proxy that can be cut, and a
GraphQL websocket client.

``serve(app)`` yields a base URL. ``live_server(app)`` yields a ``LiveServer`` (its lifespan runs, so
``app.state.bus`` exists) for ``graphql_ws(server, payload)``, a graphql-transport-ws connection that has been
acknowledged. Subscriptions have no "now live" message: call ``server.wait_for_subscribers(topic)`` before
publishing.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import socket
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol, cast

import httpx
import uvicorn
from httpx_ws import AsyncWebSocketSession, WebSocketDisconnect, aconnect_ws
from starlette.applications import Starlette
from starlette.types import ASGIApp

from parking.common.events import EventBus


@asynccontextmanager
async def serve(app: ASGIApp) -> AsyncIterator[str]:
    """Run ``app`` on 127.0.0.1 with a free port; yields its base URL."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on"))
    task = asyncio.create_task(server.serve())
    while not server.started:  # uvicorn offers no "started" event to wait on
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


class CuttableProxy:
    """Forwards TCP to a target port; ``cut()`` drops every connection and refuses new ones until ``restore()``."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.up = True
        self._writers: set[asyncio.StreamWriter] = set()
        self._server: asyncio.Server | None = None

    async def start(self) -> int:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return int(self._server.sockets[0].getsockname()[1])

    async def close(self) -> None:
        self.cut()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    def cut(self) -> None:
        self.up = False
        for writer in list(self._writers):
            writer.close()
        self._writers.clear()

    def restore(self) -> None:
        self.up = True

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, OSError):
            while self.up and (data := await reader.read(65536)):
                writer.write(data)
                await writer.drain()
        writer.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if not self.up:
            writer.close()
            return
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            writer.close()
            return
        self._writers.update({writer, upstream_writer})
        await asyncio.gather(self._pipe(reader, upstream_writer), self._pipe(upstream_reader, writer))
        self._writers.discard(writer)
        self._writers.discard(upstream_writer)


# Generous bounds on waiting for something that should happen at once: a hang fails instead of blocking the run.
WAIT_S = 30.0
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

    async def wait_for_feed_members(self, count: int) -> None:
        """Until ``count`` subscriptions have joined this process's shared feeds (api/live_feeds.py): subscribers
        of the same selection in the same scope share one bus listener, so the bus cannot count them."""
        async with asyncio.timeout(WAIT_S):
            while self.app.state.live_feeds.member_count() < count:  # noqa: ASYNC110 (no notification)
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


class Served(Protocol):
    """Anything serving /graphql at ``url``: a ``LiveServer`` here, or a process of tests/multiprocess."""

    @property
    def url(self) -> str: ...


@asynccontextmanager
async def graphql_ws(server: Served, init_payload: dict[str, Any] | None) -> AsyncIterator[GraphQLSocket]:
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
