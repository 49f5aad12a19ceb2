"""Endpoints of the drivers' mini-program: log in with WeChat, scan a lane's code, see who waits at an exit.

Plain JSON over HTTP (the mini-program's `wx.request`), authenticated by a driver token from `login`.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from config.settings import Settings
from parking.code_scan import (
    CouponClaimed,
    ExitWaiting,
    InLotStay,
    ScanResult,
    StayDue,
    no_plate_scan,
    scan_code,
    waiting_at_lane,
)
from parking.codes.limits import SCAN_LIMIT_SERVICE
from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.errors import DomainError, ErrorCode
from parking.common.scope import Scope
from parking.drivers import issue_driver_token, read_driver_token
from parking.drivers.texts import DriverText, refuse
from parking.lanes import texts
from parking.payments.config import MiniProgramConfig
from parking.payments.miniprogram import LOGIN_CODE_ERRCODES, MiniProgramClient, WeChatApiError
from parking.tenancy.models import Lane

logger = logging.getLogger(__name__)

DRIVER_TOKEN_TTL_S = 7 * 24 * 3600


def _error(code: str, message: str, status: int) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


class DriverEndpoints:
    def __init__(self, db: Database, settings: Settings, wechat: MiniProgramClient | None = None) -> None:
        self.db = db
        self.settings = settings
        if wechat is None and settings.wechat_appid:
            wechat = MiniProgramClient(
                MiniProgramConfig(settings.wechat_appid, settings.wechat_secret, settings.wechat_api_url)
            )
        self.wechat = wechat

    def routes(self) -> list[Route]:
        return [
            Route("/api/driver/login", self.login, methods=["POST"]),
            Route("/api/driver/lanes/{token}/scan", self.scan, methods=["POST"]),
            Route("/api/driver/lanes/{token}/waiting", self.waiting, methods=["GET"]),
            Route("/api/driver/codes/scan", self.code_scan, methods=["POST"]),
        ]

    def _driver(self, request: Request) -> str | None:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            return None
        return read_driver_token(self.settings.secret_key, token, utcnow())

    async def _json(self, request: Request) -> dict[str, Any] | None:
        try:
            body = await request.json()
        except ValueError:
            return None
        return body if isinstance(body, dict) else None

    async def login(self, request: Request) -> Response:
        if self.wechat is None:
            return _error("unavailable", "driver login is not configured", 503)
        body = await self._json(request)
        code = body.get("code") if body else None
        if not isinstance(code, str) or not 0 < len(code) <= 128:
            return _error("invalid", "code: the wx.login() code is required", 400)
        try:
            openid = await self.openid_of(code)
        except DomainError as err:
            status = 502 if err.code is ErrorCode.INVALID else 401
            return _error(err.code.value, err.message, status)
        token = issue_driver_token(self.settings.secret_key, openid, utcnow(), DRIVER_TOKEN_TTL_S)
        return JSONResponse({"token": token, "openid": openid, "expiresIn": DRIVER_TOKEN_TTL_S})

    async def openid_of(self, code: str) -> str:
        """``parking.drivers.login.CodeExchange``: the openid of a wx.login() code, through wechatpy. A code WeChat
        refuses (forged, used, expired) is INVALID_CREDENTIALS; WeChat unreachable or failing is INVALID."""
        if self.wechat is None:
            raise refuse(ErrorCode.INVALID, DriverText.LOGIN_UNAVAILABLE, "code")
        try:
            session = await self.wechat.code_to_session(code)
        except WeChatApiError as err:
            logger.info("WeChat login refused: %s", err)
            if err.errcode in LOGIN_CODE_ERRCODES:
                raise refuse(ErrorCode.INVALID_CREDENTIALS, DriverText.LOGIN_CODE_REFUSED, "code") from err
            # Our side (a wrong secret, WeChat down): not the driver's fault, and not a credentials problem.
            raise refuse(ErrorCode.INVALID, DriverText.LOGIN_UNAVAILABLE, "code") from err
        return session.openid

    async def _lane(self, token: str) -> Lane | None:
        async with self.db.session(Scope.internal()) as s:
            return await s.scalar(select(Lane).where(Lane.qr_token == token, Lane.is_active.is_(True)))

    async def scan(self, request: Request) -> Response:
        """A no-plate driver (无牌车) scans the lane's code: at an entry to come in, at an exit to leave or pay."""
        openid = self._driver(request)
        if openid is None:
            return _error("unauthenticated", "log in first", 401)
        lane = await self._lane(request.path_params["token"])
        if lane is None:
            return _error("not_found", "no such lane code", 404)
        now = utcnow()
        passage = await no_plate_scan(self.db, self.settings.secret_key, lane.id, openid, now)
        decision = passage.decision
        return JSONResponse(
            {
                "opened": decision.opens,
                "reason": decision.reason.value,
                "lines": list(decision.lines),
                "feeFen": decision.fee_fen,
                # The logged-in driver's own stay; paymentCreate takes the token, not the id.
                "sessionId": str(passage.session_id) if passage.session_id is not None else None,
                "stayToken": passage.stay_token,
            }
        )

    async def waiting(self, request: Request) -> Response:
        """Scanning an exit's code: the car held at that exit now and what it owes, to pay for it. Anyone at
        the exit can scan, so the plate is masked and the stay is named by a signed, short-lived token (for
        paymentCreate's ``stayToken``), never by its id. (The printed lane codes of before the signed parking
        codes; new prints are exit codes, answered by ``codeScan`` from the same ``waiting_at_lane``.)"""
        lane = await self._lane(request.path_params["token"])
        if lane is None:
            return _error("not_found", "no such lane code", 404)
        async with self.db.session(Scope.internal()) as s:
            due = await waiting_at_lane(s, self.settings.secret_key, lane.id, utcnow())
        if due is None:
            return JSONResponse({"waiting": None})
        return JSONResponse(
            {
                "waiting": {
                    "stayToken": due.stay_token,
                    "plate": texts.plate_line(due.plate),
                    "entryAt": due.entry_at.isoformat(),
                    "feeFen": due.fee_fen,
                    # The merchant coupons the fee is after, one line each, so the driver sees them before paying.
                    "couponFen": due.coupon_fen,
                    "coupons": [{"label": u.label, "discountFen": u.discount_fen} for u in due.coupons],
                }
            }
        )

    async def code_scan(self, request: Request) -> Response:
        """A logged-in driver scanned a signed parking code (docs/codes.md): ``{payload, plate?, lotId?}``. The same
        answers as GraphQL's ``codeScan``; here the driver is known, so a no-plate code works too."""
        openid = self._driver(request)
        if openid is None:
            return _error("unauthenticated", "log in first", 401)
        body = await self._json(request)
        payload, plate, lot_id = (body or {}).get("payload"), (body or {}).get("plate"), (body or {}).get("lotId")
        if not isinstance(payload, str) or not isinstance(plate, str | None) or not isinstance(lot_id, str | None):
            return _error("invalid", "payload: the scanned code is required", 400)
        now = utcnow()
        limiter = self.db.services.get(SCAN_LIMIT_SERVICE)
        if limiter is not None and not await limiter.allow(f"driver:{openid}", now):
            return _error("rate_limited", "too many scans: try again later", 429)
        try:
            lot = int(lot_id) if lot_id and lot_id.isdigit() and len(lot_id) < 19 else None
            result = await scan_code(
                self.db, self.settings.secret_key, payload, now, plate=plate, lot_id=lot, driver_key=openid
            )
        except DomainError as err:
            return _error(err.code.value, err.message, 404 if err.code is ErrorCode.NOT_FOUND else 400)
        return JSONResponse(_scan_answer(result))


def _stay(due: StayDue | None) -> dict[str, Any] | None:
    if due is None:
        return None
    return {
        "stayToken": due.stay_token,
        "plate": due.plate,
        "entryAt": due.entry_at.isoformat(),
        "feeFen": due.fee_fen,
        "couponFen": due.coupon_fen,
        "lotId": str(due.lot_id),
    }


def _scan_answer(result: ScanResult) -> dict[str, Any]:
    if isinstance(result, CouponClaimed):
        c = result.coupon
        coupon = {"code": c.code, "kind": c.kind.value, "value": c.value, "plate": c.plate}
        return {"kind": result.kind.value, "coupon": {**coupon, "validUntil": c.valid_until.isoformat()}}
    if isinstance(result, ExitWaiting):
        return {"kind": "exit", "laneId": str(result.lane_id), "waiting": _stay(result.waiting)}
    if isinstance(result, InLotStay):
        return {"kind": "in_lot", "stay": _stay(result.stay)}
    decision = result.decision
    return {
        "kind": "no_plate",
        "opened": decision.opens,
        "reason": decision.reason.value,
        "lines": list(decision.lines),
        "feeFen": decision.fee_fen,
        "stayToken": result.stay_token,
    }
