"""The fake WeChat API in front of the workers, with a switch to hold one subscribe-message send unanswered:
the worker sending it is then mid-job for as long as the test likes (and is killed there)."""

from __future__ import annotations

import asyncio
import threading
import time

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from fakes.wechat_api import FakeWeChatAPI

# How long a held send waits for release before it answers with an error (the client is dead by then anyway).
HOLD_S = 300.0
SEND_PATH = "/cgi-bin/message/subscribe/send"


class WeChatGate:
    def __init__(self, fake: FakeWeChatAPI) -> None:
        self.fake = fake
        self.held = threading.Event()  # set when a send is being held
        self._hold_next = threading.Event()
        self._release = threading.Event()

    def hold_next_send(self) -> None:
        self.held.clear()
        self._release.clear()
        self._hold_next.set()

    def release(self) -> None:
        self._release.set()

    async def _hold(self, request: Request) -> Response:
        self._hold_next.clear()
        self.held.set()
        deadline = time.monotonic() + HOLD_S
        while not self._release.is_set() and time.monotonic() < deadline:  # noqa: ASYNC110 (a thread's event)
            await asyncio.sleep(0.05)
        # Never forwarded: as far as WeChat knows, this one was never sent.
        return JSONResponse({"errcode": -1, "errmsg": "system error"})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """An ASGI app: the fake WeChat API, but for the send that is to be held."""
        if scope["type"] == "http" and scope["path"] == SEND_PATH and self._hold_next.is_set():
            await Route(SEND_PATH, self._hold, methods=["POST"])(scope, receive, send)
            return
        await self.fake.app(scope, receive, send)
