"""Fake WeChat mini-program server API: jscode2session, access tokens, subscribe messages (recorded)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

Json = dict[str, Any]
TOKEN_TTL_S = 7200


def _err(code: int, message: str) -> JSONResponse:
    # The WeChat API answers errors with HTTP 200 and an errcode.
    return JSONResponse({"errcode": code, "errmsg": message})


@dataclass
class FakeWeChatAPI:
    appid: str = "wx0123456789abcdef"
    secret: str = field(default_factory=lambda: secrets.token_hex(16))
    codes: dict[str, Json] = field(default_factory=dict)
    # Codes already exchanged: WeChat answers 40163 ("code been used") for them, 40029 for unknown or expired ones.
    used: set[str] = field(default_factory=set)
    tokens: set[str] = field(default_factory=set)
    messages: list[Json] = field(default_factory=list)
    received: list[Json] = field(default_factory=list)
    # Users who refused (or never accepted) subscribe messages: WeChat answers 43101.
    refusing: set[str] = field(default_factory=set)
    # The next sends fail with WeChat's transient "system busy" (-1), as under load.
    busy_sends: int = 0

    def login(self, openid: str | None = None, unionid: str | None = None) -> str:
        """What wx.login() gives the mini-program: a one-time code bound to the user."""
        code = secrets.token_urlsafe(24)
        self.codes[code] = {"openid": openid or "o" + secrets.token_urlsafe(20), "unionid": unionid}
        return code

    def expire_codes(self) -> None:
        """Every code not exchanged yet runs out (a real one lives 5 minutes)."""
        self.codes.clear()

    def _credentials_ok(self, appid: str | None, secret: str | None) -> bool:
        return appid == self.appid and secret == self.secret

    async def jscode2session(self, request: Request) -> Response:
        q = request.query_params
        self.received.append({"path": request.url.path, "query": dict(q)})
        if not self._credentials_ok(q.get("appid"), q.get("secret")):
            return _err(40125, "invalid appsecret")
        if q.get("grant_type") != "authorization_code":
            return _err(40002, "invalid grant_type")
        # Codes are single-use, like the real ones.
        code = q.get("js_code", "")
        user = self.codes.pop(code, None)
        if user is None:
            return _err(40163, "code been used") if code in self.used else _err(40029, "invalid code")
        self.used.add(code)
        reply: Json = {"openid": user["openid"], "session_key": secrets.token_urlsafe(16)}
        if user["unionid"]:
            reply["unionid"] = user["unionid"]
        return JSONResponse(reply)

    def _issue(self) -> Response:
        token = secrets.token_urlsafe(48)
        self.tokens.add(token)
        return JSONResponse({"access_token": token, "expires_in": TOKEN_TTL_S})

    async def token(self, request: Request) -> Response:
        q = request.query_params
        if q.get("grant_type") != "client_credential":
            return _err(40002, "invalid grant_type")
        if not self._credentials_ok(q.get("appid"), q.get("secret")):
            return _err(40125, "invalid appsecret")
        return self._issue()

    async def stable_token(self, request: Request) -> Response:
        data = await request.json()
        if not self._credentials_ok(data.get("appid"), data.get("secret")):
            return _err(40125, "invalid appsecret")
        return self._issue()

    async def subscribe_send(self, request: Request) -> Response:
        if request.query_params.get("access_token") not in self.tokens:
            return _err(40001, "invalid credential, access_token is invalid or not latest")
        data = await request.json()
        if not data.get("touser") or not data.get("template_id") or not isinstance(data.get("data"), dict):
            return _err(47003, "argument invalid! data.* is required")
        # Each keyword is {"value": "..."}, as wechatpy's callers must shape it (a bare string is refused).
        if not all(isinstance(v, dict) and isinstance(v.get("value"), str) for v in data["data"].values()):
            return _err(47003, "argument invalid! data.*.value is required")
        if self.busy_sends > 0:
            self.busy_sends -= 1
            return _err(-1, "system error")
        if data["touser"] in self.refusing:
            return _err(43101, "user refuse to accept the msg")
        msgid = secrets.randbelow(10**12)
        self.messages.append({**data, "msgid": msgid})
        return JSONResponse({"errcode": 0, "errmsg": "ok", "msgid": msgid})

    async def control_login(self, request: Request) -> Response:
        data = await request.json() if await request.body() else {}
        return JSONResponse({"code": self.login(data.get("openid"), data.get("unionid"))})

    async def control_expire_codes(self, request: Request) -> Response:
        self.expire_codes()
        return JSONResponse({"ok": True})

    async def control_messages(self, request: Request) -> Response:
        return JSONResponse(self.messages)

    async def control_refuse(self, request: Request) -> Response:
        self.refusing.add(str((await request.json())["openid"]))
        return JSONResponse({"ok": True})

    async def control_busy(self, request: Request) -> Response:
        self.busy_sends = int((await request.json())["sends"])
        return JSONResponse({"ok": True})

    async def control_expire_tokens(self, request: Request) -> Response:
        self.tokens.clear()
        return JSONResponse({"ok": True})

    async def control_credentials(self, request: Request) -> Response:
        return JSONResponse({"appid": self.appid, "secret": self.secret})

    @property
    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/sns/jscode2session", self.jscode2session),
                Route("/cgi-bin/token", self.token),
                Route("/cgi-bin/stable_token", self.stable_token, methods=["POST"]),
                Route("/cgi-bin/message/subscribe/send", self.subscribe_send, methods=["POST"]),
                Route("/_control/login", self.control_login, methods=["POST"]),
                Route("/_control/messages", self.control_messages),
                Route("/_control/expire-codes", self.control_expire_codes, methods=["POST"]),
                Route("/_control/refuse", self.control_refuse, methods=["POST"]),
                Route("/_control/busy", self.control_busy, methods=["POST"]),
                Route("/_control/expire-tokens", self.control_expire_tokens, methods=["POST"]),
                Route("/_control/credentials", self.control_credentials),
            ]
        )
