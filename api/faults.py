"""Fault ticket photos over HTTP: ``POST /api/faults/{ticket_id}/photos``, one multipart file field, bearer token.

The mini-program uploads with ``uni.uploadFile`` (multipart/form-data), which GraphQL does not take. This is the
HTTP glue only: the rules are ``parking.faults.photos``. Every refusal is ``{"error": {"code", "message"}}``
with the catalogue's zh-CN message and changes nothing; a ticket outside the caller's scope reads as missing.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Message

from api.auth import authenticate_request
from api.limits import read_capped_body
from parking.accounts.permissions import Perm
from parking.common.database import Database
from parking.faults.models import FaultTicketPhoto
from parking.faults.photos import MAX_PHOTO_BYTES, PhotoRefusal, PhotoRefused, attach_photo, refusal_text
from parking.images import ImageStore

FILE_FIELD = "file"  # uni.uploadFile's `name`
# The photo and the form around it: boundaries, part headers and a few small fields.
MAX_BODY_BYTES = MAX_PHOTO_BYTES + 64 * 1024

_STATUS = {
    PhotoRefusal.UNAUTHENTICATED: 401,
    PhotoRefusal.PERMISSION_DENIED: 403,
    PhotoRefusal.NOT_FOUND: 404,
    PhotoRefusal.PHOTO_MISSING: 400,
    PhotoRefusal.NOT_AN_IMAGE: 415,
    PhotoRefusal.TOO_LARGE: 413,
    PhotoRefusal.TOO_MANY: 409,
    PhotoRefusal.STORE_UNAVAILABLE: 503,
}


def refused(refusal: PhotoRefusal) -> JSONResponse:
    body = {"error": {"code": refusal.value, "message": refusal_text(refusal)}}
    headers = {"Connection": "close"} if refusal is PhotoRefusal.TOO_LARGE else None
    if refusal is PhotoRefusal.STORE_UNAVAILABLE:
        headers = {"Retry-After": "5"}
    return JSONResponse(body, status_code=_STATUS[refusal], headers=headers)


def photo_json(photo: FaultTicketPhoto) -> dict[str, object]:
    return {
        "id": str(photo.id),
        "ticketId": str(photo.ticket_id),
        "ref": photo.ref,
        "createdAt": photo.created_at.isoformat(),
    }


async def _photo(request: Request, body: bytes) -> bytes | None:
    """The one file field's bytes, or None for a body that is not a form with exactly one file.

    starlette's form parser (python-multipart) reads the capped body again through a replaying ``receive``.
    """

    async def replay() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        form = await Request(request.scope, replay).form(max_files=1, max_fields=16)
    except (MultiPartException, HTTPException):
        return None
    try:
        files = [(name, value) for name, value in form.multi_items() if isinstance(value, UploadFile)]
        if len(files) != 1 or files[0][0] != FILE_FIELD:
            return None
        return await files[0][1].read()
    finally:
        await form.close()


class FaultEndpoints:
    def __init__(self, db: Database, images: ImageStore, secret_key: str) -> None:
        self.db = db
        self.images = images
        self.secret_key = secret_key

    def routes(self) -> list[Route]:
        return [Route("/api/faults/{ticket_id}/photos", self.upload, methods=["POST"])]

    async def upload(self, request: Request) -> Response:
        request_id = request.headers.get("x-request-id") or uuid.uuid4().hex[:16]
        actor = await authenticate_request(self.db, self.secret_key, request, request_id)
        if actor is None:
            return refused(PhotoRefusal.UNAUTHENTICATED)
        if not actor.can(Perm.FAULTS_MANAGE):
            return refused(PhotoRefusal.PERMISSION_DENIED)
        body = await read_capped_body(request, MAX_BODY_BYTES)
        if body is None:
            return refused(PhotoRefusal.TOO_LARGE)
        data = await _photo(request, body)
        if data is None:
            return refused(PhotoRefusal.PHOTO_MISSING)
        try:
            async with self.db.transaction(actor.scope) as session:
                photo, new = await attach_photo(
                    session, actor, self.images, str(request.path_params["ticket_id"]), data, now=datetime.now(UTC)
                )
                answer = photo_json(photo)
        except PhotoRefused as err:
            return refused(err.refusal)
        return JSONResponse({"photo": answer}, status_code=201 if new else 200)
