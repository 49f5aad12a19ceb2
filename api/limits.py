"""Request limits at the ASGI edge: a body size cap (Content-Length and chunked) and a time limit per request.

A body over the cap is answered 413 without being read: at once when Content-Length says so, else as soon as
the received chunks pass the cap. A request that takes longer than its time limit (including a slow upload)
is answered 503 if nothing was sent yet, and cut otherwise.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Collection

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger(__name__)


class BodyTooLarge(Exception):
    pass


async def answer_error(send: Send, status: int, code: str, message: str, *, retry_after_s: int | None = None) -> None:
    """An error answered by a middleware, shaped as GraphQL's errors (what every JSON client here reads)."""
    body = json.dumps({"errors": [{"message": message, "extensions": {"code": code}}]}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if retry_after_s is not None:
        headers.append((b"retry-after", str(retry_after_s).encode()))
    # The unread rest of the body makes the connection unusable: ask the server to close it.
    headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class BodyLimit:
    """Refuse request bodies over ``max_bytes`` on the given path prefixes with 413, reading no more of them."""

    def __init__(self, app: ASGIApp, max_bytes: int, paths: Collection[str]) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.paths = tuple(paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.paths):
            await self.app(scope, receive, send)
            return
        message = f"request body larger than {self.max_bytes} bytes"
        length = _content_length(scope)
        if length is not None and length > self.max_bytes:
            logger.info("refused %s %s: body of %d bytes", scope["method"], scope["path"], length)
            await answer_error(send, 413, "PAYLOAD_TOO_LARGE", message)
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            event = await receive()
            if event["type"] == "http.request":
                received += len(event.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge
            return event

        async def tracked_send(event: Message) -> None:
            nonlocal started
            started = started or event["type"] == "http.response.start"
            await send(event)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except BodyTooLarge:
            logger.info("refused %s %s: body over %d bytes", scope["method"], scope["path"], self.max_bytes)
            if not started:
                await answer_error(send, 413, "PAYLOAD_TOO_LARGE", message)


class TrackedSend:
    """``send``, remembering whether the response has started: a middleware may answer an error only before."""

    def __init__(self, send: Send) -> None:
        self.send = send
        self.started = False

    async def __call__(self, event: Message) -> None:
        self.started = self.started or event["type"] == "http.response.start"
        await self.send(event)


class RequestTimeout:
    """Bound the time of every HTTP request (websockets and the lifespan are long-lived by design)."""

    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.seconds <= 0:
            await self.app(scope, receive, send)
            return
        tracked = TrackedSend(send)
        try:
            async with asyncio.timeout(self.seconds):
                await self.app(scope, receive, tracked)
        except TimeoutError:
            logger.warning("request %s %s cut after %.0f s", scope["method"], scope["path"], self.seconds)
            if not tracked.started:
                await answer_error(send, 503, "TIMEOUT", "the request took too long")


async def read_capped_body(request: Request, limit: int) -> bytes | None:
    """The body, or None when it is larger than ``limit``: at once by its Content-Length, else as soon as the
    received chunks pass it (stop reading: never buffer an attacker's gigabytes)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)
