"""Downloads of the parking codes for printing: ``GET /api/codes/{id}.svg``, ``.png`` and
``GET /api/codes/sheet.pdf?ids=1,2,3[&perPage=4]``, with the operator's bearer token.

Who may: an operator holding ``merchants.manage`` (and ``lots.manage`` for lane and in-lot codes) with the code's
lot in scope. One answer, 404, for an id that is malformed, missing or outside the caller's scope.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from api.auth import authenticate_request
from parking.accounts.permissions import Perm
from parking.codes import render
from parking.codes.service import may_manage, url_of
from parking.common.actor import Actor
from parking.common.database import Database
from parking.merchants.models import ParkingCode
from parking.tenancy.models import Lot

_NOT_FOUND = {"error": "not_found"}
# A sheet of more codes than this is split by the dashboard (a VIP batch of 500 is printed in parts).
MAX_SHEET = 200
_NO_CACHE = {"Cache-Control": "private, no-store"}


def _ids(raw: str) -> list[int] | None:
    parts = [p for p in raw.split(",") if p.strip()]
    if not parts or len(parts) > MAX_SHEET:
        return None
    try:
        ids = [int(p) for p in parts]
    except ValueError:
        return None
    return ids if all(0 < i < 2**63 for i in ids) else None


class CodeEndpoints:
    def __init__(self, db: Database, secret_key: str, public_url: str) -> None:
        self.db = db
        self.secret_key = secret_key
        self.public_url = public_url

    def routes(self) -> list[Route]:
        return [
            Route("/api/codes/sheet.pdf", self.sheet, methods=["GET"]),
            Route("/api/codes/{id:int}.svg", self.svg, methods=["GET"]),
            Route("/api/codes/{id:int}.png", self.png, methods=["GET"]),
        ]

    async def _actor(self, request: Request) -> Actor | Response:
        request_id = request.headers.get("x-request-id") or uuid.uuid4().hex[:16]
        actor = await authenticate_request(self.db, self.secret_key, request, request_id)
        if actor is None:
            return JSONResponse({"error": "unauthorized"}, status_code=401)
        if not (actor.can(Perm.MERCHANTS_MANAGE) or actor.can(Perm.COUPONS_ISSUE)):
            return JSONResponse({"error": "forbidden"}, status_code=403)
        return actor

    async def _codes(self, actor: Actor, ids: list[int]) -> list[tuple[ParkingCode, Lot]] | None:
        """The codes in the caller's scope, in the order asked; None if any is missing or not the caller's."""
        async with self.db.session(actor.scope) as session:
            rows = {
                code.id: (code, lot)
                for code, lot in await session.execute(
                    select(ParkingCode, Lot).join(Lot, Lot.id == ParkingCode.lot_id).where(ParkingCode.id.in_(ids))
                )
            }
        if any(i not in rows or not may_manage(actor, rows[i][0].kind) for i in ids):
            return None
        return [rows[i] for i in ids]

    async def _one(self, request: Request) -> ParkingCode | Response:
        actor = await self._actor(request)
        if isinstance(actor, Response):
            return actor
        found = await self._codes(actor, [int(request.path_params["id"])])
        if found is None:
            return JSONResponse(_NOT_FOUND, status_code=404)
        return found[0][0]

    async def svg(self, request: Request) -> Response:
        code = await self._one(request)
        if isinstance(code, Response):
            return code
        content = url_of(code, self.secret_key, self.public_url)
        return Response(render.qr_svg(content), media_type="image/svg+xml", headers=_NO_CACHE)

    async def png(self, request: Request) -> Response:
        code = await self._one(request)
        if isinstance(code, Response):
            return code
        content = url_of(code, self.secret_key, self.public_url)
        return Response(render.qr_png(content), media_type="image/png", headers=_NO_CACHE)

    async def sheet(self, request: Request) -> Response:
        actor = await self._actor(request)
        if isinstance(actor, Response):
            return actor
        ids = _ids(request.query_params.get("ids", ""))
        if ids is None:
            return JSONResponse({"error": "invalid", "message": f"ids: 1 to {MAX_SHEET} code ids"}, status_code=400)
        found = await self._codes(actor, ids)
        if found is None:
            return JSONResponse(_NOT_FOUND, status_code=404)
        try:
            per_page = int(request.query_params.get("perPage", "1"))
        except ValueError:
            per_page = 1
        sheet = [
            render.SheetCode(
                url=url_of(code, self.secret_key, self.public_url),
                lot_name=lot.name,
                kind=code.kind,
                label=code.label,
                expires_at=code.expires_at,
                timezone=lot.timezone,
            )
            for code, lot in found
        ]
        pdf = render.sheet_pdf(sheet, per_page=per_page, title=found[0][1].name)
        return Response(
            pdf,
            media_type="application/pdf",
            headers={**_NO_CACHE, "Content-Disposition": 'inline; filename="parking-codes.pdf"'},
        )
