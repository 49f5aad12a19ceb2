"""HTTP heartbeat for push-only devices: ``POST /devices/heartbeat`` with the device secret in a header."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from api.auth import client_ip
from parking.common.database import Database
from parking.common.db import utcnow
from parking.devices.auth import DeviceRefused
from parking.devices.heartbeat import Heartbeat, record_heartbeat

logger = logging.getLogger(__name__)

SECRET_HEADER = "x-device-secret"
MAX_BODY_BYTES = 4096


def heartbeat_endpoint(db: Database) -> Callable[[Request], Awaitable[Response]]:
    async def heartbeat(request: Request) -> Response:
        body = await request.body()
        if len(body) > MAX_BODY_BYTES:
            return JSONResponse({"error": "body_too_large"}, status_code=413)
        try:
            beat = Heartbeat.model_validate_json(body)
        except ValidationError as err:
            first = err.errors()[0]
            field = ".".join(str(p) for p in first["loc"]) or None
            return JSONResponse({"error": "invalid", "field": field, "message": first["msg"]}, status_code=400)
        ip = client_ip(request)
        try:
            status = await record_heartbeat(db, beat, request.headers.get(SECRET_HEADER, ""), ip, now=utcnow())
        except DeviceRefused as err:
            # One answer for every refusal: a prober learns nothing about which serials exist.
            logger.warning("heartbeat refused for %s from %s: %s", beat.serial, ip, err.reason.value)
            return JSONResponse({"error": "unauthorized"}, status_code=401)
        return JSONResponse({"ok": True, "status": status.value})

    return heartbeat
