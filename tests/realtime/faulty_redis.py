"""A Redis that can be down or hung: a TCP front on a loopback port for the test Redis.

``up`` forwards to the real Redis; ``hung`` accepts connections and reads them but never answers (a Redis that
is stuck, or a network that swallows replies); ``down`` closes every connection at once (a refused port reads the
same to a client). Switching mode drops the connections it holds, as a Redis restart would.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Literal
from urllib.parse import urlsplit

Mode = Literal["up", "hung", "down"]


class FaultyRedis:
    def __init__(self, redis_url: str, mode: Mode = "up") -> None:
        parts = urlsplit(redis_url)
        self._target = (parts.hostname or "127.0.0.1", parts.port or 6379)
        self._path = parts.path  # the database number, kept in url()
        self.mode: Mode = mode
        self._writers: set[asyncio.StreamWriter] = set()
        self._server: asyncio.Server | None = None
        self.port = 0
        # Set when a client sent something while hung: a publish or subscribe is waiting on this Redis.
        self.heard_while_hung = asyncio.Event()

    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}{self._path}"

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = int(self._server.sockets[0].getsockname()[1])

    async def close(self) -> None:
        self._drop()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    def set(self, mode: Mode) -> None:
        self.mode = mode
        self._drop()

    def _drop(self) -> None:
        for writer in list(self._writers):
            writer.close()
        self._writers.clear()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.mode == "down":
            writer.close()
            return
        self._writers.add(writer)
        if self.mode == "hung":
            with contextlib.suppress(ConnectionError, OSError):
                while await reader.read(65536):
                    self.heard_while_hung.set()
            writer.close()
            return
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*self._target)
        except OSError:
            writer.close()
            return
        self._writers.add(upstream_writer)
        await asyncio.gather(self._pipe(reader, upstream_writer), self._pipe(upstream_reader, writer))

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, OSError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.close()


@asynccontextmanager
async def faulty_redis(redis_url: str, mode: Mode = "up") -> AsyncIterator[FaultyRedis]:
    front = FaultyRedis(redis_url, mode)
    await front.start()
    try:
        yield front
    finally:
        await front.close()


def closed_port_url(redis_url: str) -> str:
    """A Redis URL on a loopback port nothing listens on (connections are refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    return f"redis://127.0.0.1:{port}{urlsplit(redis_url).path}"
