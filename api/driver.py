"""Endpoints of the drivers' mini-program: log in with WeChat, scan a lane's code, see who waits at an exit.

Plain JSON over HTTP (the mini-program's `wx.request`), authenticated by a driver token from `login`.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from config.settings import Settings
from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.scope import Scope
from parking.drivers import issue_driver_token, read_driver_token
from parking.lanes import context, texts
from parking.lanes.flow import LaneInput, handle_reading
from parking.lanes.release import waiting_event
from parking.payments.anonymous import issue_stay_token, masked_plate
from parking.payments.config import MiniProgramConfig
from parking.payments.miniprogram import MiniProgramClient, WeChatApiError
from parking.plates import NO_PLATE, PlateColor
from parking.sessions.enums import EventKind, ReadingSource
from parking.sessions.models import LaneEvent, ParkingSession
from parking.tenancy.models import Lane, Lot

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
            session = await self.wechat.code_to_session(code)
        except WeChatApiError as err:
            logger.info("driver login refused by WeChat: %s", err)
            return _error("invalid_credentials", "WeChat did not accept the login code", 401)
        token = issue_driver_token(self.settings.secret_key, session.openid, utcnow(), DRIVER_TOKEN_TTL_S)
        return JSONResponse({"token": token, "expiresIn": DRIVER_TOKEN_TTL_S})

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
        # One scan per driver, lane and 10 s: a double tap or a retried request is one reading.
        window = int(now.timestamp()) // 10
        key = hashlib.sha256(f"{lane.id}:{openid}:{window}".encode()).hexdigest()[:40]
        outcome = await handle_reading(
            self.db,
            LaneInput(
                lane_id=lane.id,
                plate=NO_PLATE,
                color=PlateColor.UNKNOWN,
                confidence=1.0,
                at=now,
                dedup_key=f"qr:{key}",
                source=ReadingSource.QR_SCAN,
                driver_key=openid,
            ),
            now,
        )
        decision = outcome.decision
        stay_id = outcome.session_id
        return JSONResponse(
            {
                "opened": decision.opens,
                "reason": decision.reason.value,
                "lines": list(decision.lines),
                "feeFen": decision.fee_fen,
                # The logged-in driver's own stay; paymentCreate takes the token, not the id.
                "sessionId": str(stay_id) if stay_id is not None else None,
                "stayToken": issue_stay_token(self.settings.secret_key, stay_id, now) if stay_id is not None else None,
            }
        )

    async def waiting(self, request: Request) -> Response:
        """Scanning an exit's code: the car held at that exit now and what it owes, to pay for it. Anyone at
        the exit can scan, so the plate is masked and the stay is named by a signed, short-lived token (for
        paymentCreate's ``stayToken``), never by its id."""
        lane = await self._lane(request.path_params["token"])
        if lane is None:
            return _error("not_found", "no such lane code", 404)
        now = utcnow()
        async with self.db.session(Scope.internal()) as s:
            event = await s.scalar(
                select(LaneEvent).where(LaneEvent.lane_id == lane.id).order_by(LaneEvent.id.desc()).limit(1)
            )
            stay = await s.get(ParkingSession, event.session_id) if event and event.session_id else None
            current = await waiting_event(s, stay, now) if stay is not None else None
            if event is None or stay is None or current is None or event.kind is not EventKind.EXIT:
                return JSONResponse({"waiting": None})
            lot = await s.get(Lot, stay.lot_id)
            assert lot is not None
            owed = await context.bill_stay(s, lot, stay, await context.load_plate(s, lot.id, stay.plate), now)
        return JSONResponse(
            {
                "waiting": {
                    "stayToken": issue_stay_token(self.settings.secret_key, stay.id, now),
                    "plate": texts.plate_line(masked_plate(stay.plate)),
                    "entryAt": stay.entry_at.isoformat(),
                    "feeFen": owed.due_fen,
                    # The merchant coupons the fee is after, one line each, so the driver sees them before paying.
                    "couponFen": owed.coupon_fen,
                    "coupons": [{"label": u.label, "discountFen": u.discount_fen} for u in owed.coupons],
                }
            }
        )
