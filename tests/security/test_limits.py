"""Request limits on a real server: bodies over the cap on /graphql are answered 413 without being read
(Content-Length or chunked), and a request that takes too long (here: a body that never comes) is cut with 503.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import AsyncIterator

import httpx

from api.app import create_app
from config.settings import Settings
from parking.common.database import Database
from tests.live import WAIT_S, serve

LIMIT = 64 * 1024


async def exchange(url: str, head: bytes, body_parts: list[bytes]) -> tuple[int, bytes]:
    """Send a raw request (the parts in order, the connection left open) and read the whole answer."""
    host, port = url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    try:
        writer.write(head)
        for part in body_parts:
            writer.write(part)
            await writer.drain()
        async with asyncio.timeout(WAIT_S):
            answer = await reader.read(-1)
    finally:
        writer.close()
    status = int(answer.split(b" ", 2)[1])
    return status, answer.partition(b"\r\n\r\n")[2]


def head(extra: str) -> bytes:
    return f"POST /graphql HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n{extra}\r\n".encode()


async def test_a_declared_huge_body_is_refused_before_it_is_sent(db: Database, settings: Settings) -> None:
    # Given a client that announces 60 MB and sends only the first kilobyte
    settings = dataclasses.replace(settings, max_body_bytes=LIMIT)
    async with serve(create_app(settings, db)) as url:
        status, body = await exchange(url, head("Content-Length: 60000000\r\n"), [b"{" + b" " * 1023])
    # Then the server answers 413 at once: it did not wait for the other 59.9 MB
    assert status == 413
    assert json.loads(body)["errors"][0]["extensions"] == {"code": "PAYLOAD_TOO_LARGE"}


async def test_a_chunked_body_is_cut_when_it_passes_the_cap(db: Database, settings: Settings) -> None:
    # Given chunks adding up to just over the cap, and no final chunk ever sent
    settings = dataclasses.replace(settings, max_body_bytes=LIMIT)
    chunk = b" " * 4096
    parts = [b"1000\r\n" + chunk + b"\r\n" for _ in range(LIMIT // len(chunk) + 1)]
    async with serve(create_app(settings, db)) as url:
        status, body = await exchange(url, head("Transfer-Encoding: chunked\r\n"), parts)
    assert status == 413
    assert json.loads(body)["errors"][0]["extensions"] == {"code": "PAYLOAD_TOO_LARGE"}


async def parts(chunks: list[bytes]) -> AsyncIterator[bytes]:
    """A body of unknown length: httpx sends it chunked."""
    for chunk in chunks:
        yield chunk


async def test_a_body_under_the_cap_is_served(db: Database, settings: Settings) -> None:
    settings = dataclasses.replace(settings, max_body_bytes=LIMIT)
    padding = " " * (LIMIT - 100)
    async with serve(create_app(settings, db)) as url, httpx.AsyncClient(base_url=url) as http:
        response = await http.post(
            "/graphql",
            content=b'{"query": "{ me { name } }"' + padding.encode() + b"}",
            headers={"Content-Type": "application/json"},
        )
        chunked = await http.post(
            "/graphql",
            content=parts([b'{"query": ', b'"{ me { name } }"}']),
            headers={"Content-Type": "application/json"},
        )
    assert (response.status_code, response.json()) == (200, {"data": {"me": None}})
    assert (chunked.status_code, chunked.json()) == (200, {"data": {"me": None}})


async def test_a_request_that_takes_too_long_is_cut(db: Database, settings: Settings) -> None:
    # Given a client that announces a body and never sends it (a slow-loris upload)
    settings = dataclasses.replace(settings, request_timeout_s=0.5)
    async with serve(create_app(settings, db)) as url:
        status, body = await exchange(url, head("Content-Length: 100\r\n"), [b'{"query"'])
    # Then the server gives up on it instead of holding the connection
    assert status == 503
    assert json.loads(body)["errors"][0]["extensions"] == {"code": "TIMEOUT"}
