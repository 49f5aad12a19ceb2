"""WeChat mini-program server API through ``wechatpy``: login code -> openid (JSAPI payer), access token, subscribe
messages.

wechatpy is synchronous (requests), so each call runs in a worker thread. Every URL it uses is pointed at
``MiniProgramConfig.base_url`` (the real ``https://api.weixin.qq.com`` or the local fake, fakes/wechat_api.py):
the client's and ``wxa``'s ``API_BASE_URL`` and the access-token URL, which wechatpy otherwise hard-codes. The
access token lives in a wechatpy session storage (memory by default; ``RedisStorage`` shares it between
processes) and wechatpy fetches a new one when it expires or WeChat says it was revoked (40001/42001/40014).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import requests
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException

from parking.payments.config import MiniProgramConfig
from parking.payments.errors import PaymentError

logger = logging.getLogger(__name__)

# WeChat's "invalid code" family for wx.login() codes: a forged, used or expired code (40029, 40163 used,
# 40226 a risky user). Any of them is the driver's problem, not ours.
LOGIN_CODE_ERRCODES = frozenset({40029, 40163, 40226})


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


class _Client(WeChatClient):  # type: ignore[misc]
    """wechatpy's client with the token URL under our base URL (wechatpy hard-codes api.weixin.qq.com)."""

    def __init__(self, config: MiniProgramConfig, session: Any = None) -> None:
        super().__init__(config.appid, config.secret, session=session, timeout=config.timeout_s)
        base = config.base_url.rstrip("/") + "/"
        self._base = base
        self.API_BASE_URL = base + "cgi-bin/"
        self.wxa.API_BASE_URL = base
        self.message.API_BASE_URL = base + "cgi-bin/"

    def fetch_access_token(self) -> Any:
        """wechatpy's ``_fetch_access_token`` with our URL and a timeout (wechatpy's own waits forever)."""
        res = self._http.get(
            self._base + "cgi-bin/token",
            params={"grant_type": "client_credential", "appid": self.appid, "secret": self.secret},
            timeout=self.timeout,
        )
        res.raise_for_status()
        result = res.json()
        if result.get("errcode", 0) != 0:
            raise WeChatClientException(result["errcode"], result.get("errmsg", ""), client=self)
        expires_in = int(result.get("expires_in", 7200))
        self.session.set(self.access_token_key, result["access_token"], expires_in)
        self.expires_at = int(time.time()) + expires_in
        return result


class MiniProgramClient:
    def __init__(self, config: MiniProgramConfig, session: Any = None) -> None:
        """``session``: a wechatpy session storage for the access token (e.g. ``RedisStorage``); memory if None."""
        self._config = config
        self._client = _Client(config, session)

    async def aclose(self) -> None:
        await asyncio.to_thread(self._client._http.close)

    async def _call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return await asyncio.to_thread(fn, *args, **kwargs)
        except WeChatClientException as exc:
            errcode = int(exc.errcode) if exc.errcode is not None else -1
            raise WeChatApiError(errcode, str(exc.errmsg or "")) from exc
        except (requests.RequestException, ValueError) as exc:
            raise WeChatApiError(-1, f"transport: {exc}") from exc

    async def code_to_session(self, js_code: str) -> MiniProgramSession:
        """Exchange the one-time wx.login() code for the user's openid (and unionid when bound)."""
        data = await self._call(self._client.wxa.code_to_session, js_code)
        if not isinstance(data, dict) or not data.get("openid"):
            raise WeChatApiError(-1, "answer has no openid")
        unionid = data.get("unionid")
        return MiniProgramSession(str(data["openid"]), str(data.get("session_key", "")), unionid and str(unionid))

    async def access_token(self) -> str:
        """The current access token (fetched when missing or about to expire)."""
        return str(await self._call(lambda: self._client.access_token))

    async def send_subscribe_message(
        self, openid: str, template_id: str, data: Mapping[str, str], page: str | None = None
    ) -> int:
        """Send a subscribe message (停车缴费成功...); wechatpy retries once with a new token if it was revoked."""
        body = {k: {"value": v} for k, v in data.items()}
        reply = await self._call(self._client.wxa.send_subscribe_message, openid, template_id, body, page)
        return int(reply.get("msgid", 0)) if isinstance(reply, dict) else 0
