"""WeChat mini-program server API: login code -> openid (JSAPI payer), access token, subscribe messages."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from parking.payments.config import MiniProgramConfig
from parking.payments.errors import PaymentError

logger = logging.getLogger(__name__)

# Refresh a little before WeChat's expiry so a token never dies mid-request.
_TOKEN_MARGIN = timedelta(minutes=5)
_INVALID_TOKEN_CODES = frozenset({40001, 42001, 40014})


class WeChatApiError(PaymentError):
    def __init__(self, errcode: int, errmsg: str) -> None:
        super().__init__(f"WeChat API error {errcode}: {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg


@dataclass(frozen=True)
class MiniProgramSession:
    openid: str
    session_key: str = field(repr=False)
    unionid: str | None = None


class MiniProgramClient:
    def __init__(
        self,
        config: MiniProgramConfig,
        http: httpx.AsyncClient | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._config = config
        self._http = http or httpx.AsyncClient(timeout=config.timeout_s)
        self._clock = clock
        self._token: tuple[str, datetime] | None = None

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _json(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = await self._http.request(
                method, self._config.base_url.rstrip("/") + path, timeout=self._config.timeout_s, **kwargs
            )
            response.raise_for_status()
            data = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise WeChatApiError(-1, f"transport: {exc}") from exc
        if not isinstance(data, dict):
            raise WeChatApiError(-1, "answer is not a JSON object")
        if data.get("errcode", 0) != 0:
            raise WeChatApiError(int(data["errcode"]), str(data.get("errmsg", "")))
        return data

    async def code_to_session(self, js_code: str) -> MiniProgramSession:
        """Exchange the one-time wx.login() code for the user's openid (and unionid when bound)."""
        data = await self._json(
            "GET",
            "/sns/jscode2session",
            params={
                "appid": self._config.appid,
                "secret": self._config.secret,
                "js_code": js_code,
                "grant_type": "authorization_code",
            },
        )
        return MiniProgramSession(str(data["openid"]), str(data["session_key"]), data.get("unionid"))

    async def access_token(self) -> str:
        now = self._clock()
        if self._token is not None and now < self._token[1]:
            return self._token[0]
        data = await self._json(
            "POST",
            "/cgi-bin/stable_token",
            json={
                "grant_type": "client_credential",
                "appid": self._config.appid,
                "secret": self._config.secret,
            },
        )
        token = str(data["access_token"])
        self._token = (token, now + timedelta(seconds=int(data["expires_in"])) - _TOKEN_MARGIN)
        return token

    async def send_subscribe_message(
        self, openid: str, template_id: str, data: Mapping[str, str], page: str | None = None
    ) -> int:
        """Send a subscribe message (停车缴费成功...); retried once with a new token if it was revoked."""
        body: dict[str, Any] = {
            "touser": openid,
            "template_id": template_id,
            "data": {k: {"value": v} for k, v in data.items()},
        }
        if page:
            body["page"] = page
        try:
            return await self._send(body)
        except WeChatApiError as exc:
            if exc.errcode not in _INVALID_TOKEN_CODES:
                raise
            logger.info("access token rejected (%s), fetching a new one", exc.errcode)
            self._token = None
            return await self._send(body)

    async def _send(self, body: dict[str, Any]) -> int:
        token = await self.access_token()
        reply = await self._json("POST", "/cgi-bin/message/subscribe/send", params={"access_token": token}, json=body)
        return int(reply.get("msgid", 0))
