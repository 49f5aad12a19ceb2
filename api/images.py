"""Lane images and fault photos: ``GET /api/images/{ref}`` with the operator's bearer token.

The dashboard fetches a picture with its token and shows it from a blob URL (an ``<img src>`` cannot carry a
header). One answer, 404, for a ref that is malformed, missing or outside the caller's scope: a prober learns
nothing about which images exist.
"""

from __future__ import annotations

import uuid

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from api.auth import authenticate_request
from parking.common.database import Database
from parking.image_access import image_visible, may_view_images
from parking.images import ImageNotFound, ImageStore, ImageStoreUnavailable

_TYPES = {"jpg": "image/jpeg", "png": "image/png"}
_NOT_FOUND = {"error": "not_found"}


class ImageEndpoints:
    def __init__(self, db: Database, images: ImageStore, secret_key: str) -> None:
        self.db = db
        self.images = images
        self.secret_key = secret_key

    def routes(self) -> list[Route]:
        return [Route("/api/images/{ref:path}", self.image, methods=["GET"])]

    async def image(self, request: Request) -> Response:
        request_id = request.headers.get("x-request-id") or uuid.uuid4().hex[:16]
        actor = await authenticate_request(self.db, self.secret_key, request, request_id)
        if actor is None:
            return JSONResponse({"error": "unauthorized"}, status_code=401)
        if not may_view_images(actor):
            return JSONResponse({"error": "forbidden"}, status_code=403)
        ref = str(request.path_params["ref"])
        try:
            async with self.db.session(actor.scope) as session:
                visible = await image_visible(session, actor, ref)
            if not visible:
                return JSONResponse(_NOT_FOUND, status_code=404)
            data = await self.images.get(ref)
        except ImageNotFound:
            return JSONResponse(_NOT_FOUND, status_code=404)
        except ImageStoreUnavailable:  # the store logged why; the dashboard may ask again
            return JSONResponse({"error": "image_store_unavailable"}, status_code=503, headers={"Retry-After": "5"})
        media_type = _TYPES.get(ref.rsplit(".", 1)[-1], "application/octet-stream")
        # Content-addressed: a ref's bytes never change, so the browser may keep them (privately) for a day.
        return Response(data, media_type=media_type, headers={"Cache-Control": "private, max-age=86400"})
