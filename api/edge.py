"""Endpoints for lot edge agents: a snapshot of what they need to decide alone, and replays of what they did.

An edge agent is a device of its lot (protocol ``edge``) with its own secret, sent as ``X-Device-Serial`` and
``X-Device-Key``.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.scope import Scope
from parking.devices.auth import DeviceIdentity, DeviceRefused, authenticate
from parking.devices.models import Device
from parking.lanes import edge_sync

logger = logging.getLogger(__name__)

MAX_REPLAY = 500


def _error(code: str, message: str, status: int) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


class EdgeEndpoints:
    def __init__(self, db: Database) -> None:
        self.db = db

    def routes(self) -> list[Route]:
        return [
            Route("/api/edge/snapshot", self.snapshot, methods=["GET"]),
            Route("/api/edge/replay", self.replay, methods=["POST"]),
        ]

    async def _edge(self, request: Request) -> DeviceIdentity | None:
        serial = request.headers.get("x-device-serial", "")
        secret = request.headers.get("x-device-key")
        ip = request.client.host if request.client else None
        now = utcnow()
        async with self.db.transaction(Scope.internal()) as tx:
            try:
                identity = await authenticate(tx, "edge", serial, secret, ip, now, need_lane=False)
            except DeviceRefused:
                return None
            device = await tx.get(Device, identity.device_id)
            return identity if device is not None and device.protocol == "edge" else None

    async def snapshot(self, request: Request) -> Response:
        edge = await self._edge(request)
        if edge is None:
            return _error("unauthenticated", "unknown edge agent or bad secret", 403)
        since_text = request.query_params.get("since")
        try:
            since = datetime.fromisoformat(since_text) if since_text else None
        except ValueError:
            return _error("invalid", "since: not an ISO datetime", 400)
        if since is not None and since.utcoffset() is None:
            return _error("invalid", "since: needs a time zone", 400)
        async with self.db.session(Scope.internal()) as s:
            body = await edge_sync.lot_snapshot(s, edge.lot_id, since, utcnow())
        return JSONResponse(body)

    async def replay(self, request: Request) -> Response:
        edge = await self._edge(request)
        if edge is None:
            return _error("unauthenticated", "unknown edge agent or bad secret", 403)
        try:
            body: Any = await request.json()
            records = body["records"]
            if not isinstance(records, list) or len(records) > MAX_REPLAY:
                raise ValueError("records")
        except (ValueError, KeyError, TypeError):
            return _error("invalid", f"records: a list of at most {MAX_REPLAY} readings", 400)
        try:
            acks = await edge_sync.replay(self.db, edge.lot_id, records, utcnow())
        except (ValueError, KeyError, TypeError) as err:
            return _error("invalid", f"record refused: {err}", 400)
        return JSONResponse(
            {
                "acks": [
                    {"key": a.key, "eventId": a.event_id, "duplicate": a.duplicate, "sessionId": a.session_id}
                    for a in acks
                ]
            }
        )
