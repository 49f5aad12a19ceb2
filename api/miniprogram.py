"""The drivers' mini-program as H5 (clients/miniprogram's ``uni build``), served under ``/m/``, and the development
bridge its H5 build uses in place of the WeChat client while the server runs on the local fakes.

Printed parking codes hold ``/m/c/<payload>`` (parking/codes/service.py): WeChat opens the mini-program for them;
a browser is sent on to the H5 scan page with the payload (the H5 router is a hash router, so the page's path
lives after ``#``).

The bridge (``/api/dev/...``, only with ``Settings.dev_fakes``, which production refuses) does what the WeChat
client does for a real mini-program: ``wx.login`` (a one-time code from the fake WeChat API) and
``wx.requestPayment`` (the fake WeChat Pay checks the paySign and pays, then notifies us as WeChat would)."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route

from api.web_assets import WebAssets
from config.settings import Settings

logger = logging.getLogger(__name__)

PREFIX = "/m"


async def _code_landing(request: Request) -> Response:
    payload = quote(request.path_params["payload"], safe="")
    return RedirectResponse(f"{PREFIX}/#/pages/scan/scan?payload={payload}", status_code=302)


def miniprogram_routes(settings: Settings) -> list[BaseRoute]:
    """``/m/c/<payload>`` always (the printed codes must answer), the H5 app when it is built, the bridge when on."""
    routes: list[BaseRoute] = [Route(f"{PREFIX}/c/{{payload}}", _code_landing, methods=["GET"])]
    if settings.dev_fakes:
        routes.extend(DevBridge(settings).routes())
    dist = Path(settings.miniprogram_dist)
    if (dist / "index.html").exists():
        routes.append(Mount(PREFIX, WebAssets(directory=dist, html=True), name="miniprogram"))
    return routes


class DevBridge:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def routes(self) -> list[Route]:
        return [
            Route("/api/dev/wechat/login-code", self.login_code, methods=["POST"]),
            Route("/api/dev/wechatpay/request-payment", self.request_payment, methods=["POST"]),
        ]

    def _wechatpay_url(self) -> str | None:
        path = self.settings.payment_credentials
        if path is None:
            return None
        try:
            document: dict[str, Any] = json.loads(Path(path).read_text())
            url = document["wechatpay"]["base_url"]
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return url if isinstance(url, str) else None

    async def _forward(self, url: str, body: Any) -> Response:
        try:
            async with httpx.AsyncClient(timeout=10) as client:
                reply = await client.post(url, json=body)
        except httpx.HTTPError as err:
            logger.info("dev bridge: %s unreachable: %s", url, err)
            return JSONResponse({"error": {"code": "unavailable", "message": "fake unreachable"}}, status_code=503)
        return Response(reply.content, status_code=reply.status_code, media_type="application/json")

    async def login_code(self, request: Request) -> Response:
        """A wx.login code for a new driver (or the openid the body names)."""
        try:
            body = await request.json() if await request.body() else {}
        except ValueError:
            body = {}
        openid = body.get("openid") if isinstance(body, dict) else None
        data = {"openid": openid} if isinstance(openid, str) and openid else {}
        return await self._forward(f"{self.settings.wechat_api_url.rstrip('/')}/_control/login", data)

    async def request_payment(self, request: Request) -> Response:
        """wx.requestPayment with the JSAPI parameters paymentCreate returned."""
        url = self._wechatpay_url()
        if url is None:
            return JSONResponse({"error": {"code": "unavailable", "message": "no WeChat Pay fake"}}, status_code=503)
        try:
            params = await request.json()
        except ValueError:
            params = None
        keys = ("appId", "timeStamp", "nonceStr", "package", "signType", "paySign")
        if not isinstance(params, dict) or not all(isinstance(params.get(k), str) for k in keys):
            return JSONResponse({"error": {"code": "invalid", "message": "JSAPI parameters"}}, status_code=400)
        return await self._forward(f"{url.rstrip('/')}/_control/request-payment", {k: params[k] for k in keys})
