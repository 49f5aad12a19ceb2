"""A notify_url stand-in: records every request it gets and answers with a configurable status."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


@dataclass(frozen=True)
class Recorded:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class NotificationRecorder:
    status_code: int = 200
    reply: bytes = b""
    received: list[Recorded] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def app(self) -> Starlette:
        return Starlette(routes=[Route("/{path:path}", self._record, methods=["POST"])])

    async def _record(self, request: Request) -> Response:
        body = await request.body()
        with self._lock:
            self.received.append(Recorded(request.url.path, dict(request.headers), body))
        return Response(self.reply, status_code=self.status_code)
