"""The built dashboard (clients/web/dist) as served: the build's precompressed copies (``.br``, ``.gz``, made by
clients/web/precompress.ts) chosen by the request's Accept-Encoding, and cache headers that fit each file.

Vite names every file under ``assets/`` by its content hash, so a browser may keep those for a year without
asking again; index.html names the current hashes and must be asked for each time (``no-cache`` revalidates
by ETag, so an unchanged one costs a 304)."""

from __future__ import annotations

import os
from pathlib import PurePosixPath

from starlette.datastructures import Headers
from starlette.responses import FileResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

HASHED_DIR = "assets"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
# Files outside assets/ (the favicon) keep their names across builds: a day, then ask again.
UNHASHED = "public, max-age=86400"
# Preferred first: brotli is smaller than gzip for text.
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))


def accepted_encodings(header: str) -> set[str]:
    """The codings an Accept-Encoding header allows (``q=0`` refuses one; ``*`` allows any)."""
    accepted: set[str] = set()
    for part in header.split(","):
        name, _, params = part.strip().partition(";")
        q = params.strip().removeprefix("q=").strip() if params.strip().startswith("q=") else "1"
        try:
            allowed = float(q) > 0
        except ValueError:
            allowed = False
        if name.strip() and allowed:
            accepted.add(name.strip().lower())
    if "*" in accepted:
        accepted.update(name for name, _ in ENCODINGS)
    return accepted


def cache_control(path: str) -> str:
    parts = PurePosixPath(path).parts
    if path.endswith(".html") or not parts:
        return REVALIDATE
    return IMMUTABLE if parts[0] == HASHED_DIR else UNHASHED


class WebAssets(StaticFiles):
    """StaticFiles that answers with a precompressed copy where the client takes one, and says how to cache."""

    def file_response(
        self, full_path: str | os.PathLike[str], stat_result: os.stat_result, scope: Scope, status_code: int = 200
    ) -> Response:
        accepted = accepted_encodings(Headers(scope=scope).get("accept-encoding", ""))
        plain = os.fspath(full_path)
        relative = os.path.relpath(plain, os.fspath(self.directory)) if self.directory else plain
        for encoding, suffix in ENCODINGS:
            if encoding not in accepted:
                continue
            try:
                variant = os.stat(plain + suffix)
            except OSError:
                continue
            response = super().file_response(plain + suffix, variant, scope, status_code)
            response.headers["content-encoding"] = encoding
            break
        else:
            response = super().file_response(full_path, stat_result, scope, status_code)
        if response.status_code != 304:
            # The type of what the copy holds, not of the .br/.gz file.
            response.headers["content-type"] = FileResponse(plain).headers["content-type"]
        # Caches keep one copy per coding, and the plain one for clients that take none.
        response.headers["vary"] = "Accept-Encoding"
        response.headers["cache-control"] = cache_control(relative.replace(os.sep, "/"))
        return response
