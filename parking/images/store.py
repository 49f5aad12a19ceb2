"""What every image store is: the ``ImageStore`` protocol, its refs and its two errors.

A reference is a relative path such as ``2026/11/21/ab12...ef.jpg``: the content hash names the file, so storing
the same image twice (a replayed push) keeps one copy.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from typing import Protocol

_REF = re.compile(r"^\d{4}/\d{2}/\d{2}/[0-9a-f]{64}\.(jpg|png|bin)$")
_SUFFIXES = {b"\xff\xd8\xff": "jpg", b"\x89PNG": "png"}


class ImageNotFound(LookupError):
    pass


class ImageStoreUnavailable(RuntimeError):
    """The store did not answer (unreachable, timed out, refused our credentials): nothing was stored or read,
    and the same call may succeed later. A camera push gets a retryable answer, never a 500."""


class ImageStore(Protocol):
    async def put(self, data: bytes, at: datetime | None = None) -> str: ...

    async def get(self, ref: str) -> bytes: ...

    async def delete(self, ref: str) -> bool:
        """Remove the image; False when there was none (a second purge of the same ref is a no-op)."""
        ...

    async def delete_many(self, refs: list[str]) -> int:
        """Remove the stored ones among ``refs`` in as few calls as the store allows (a purge's batch); how many
        there were."""
        ...

    async def size(self, ref: str) -> int | None:
        """The image's size in bytes, None when it is not stored."""
        ...

    async def sizes(self, refs: list[str]) -> dict[str, int]:
        """The sizes of the stored ones among ``refs``."""
        ...


def suffix_of(data: bytes) -> str:
    for magic, suffix in _SUFFIXES.items():
        if data.startswith(magic):
            return suffix
    return "bin"


def ref_for(data: bytes, at: datetime | None = None) -> str:
    day = (at or datetime.now(UTC)).astimezone(UTC)
    digest = hashlib.sha256(data).hexdigest()
    return f"{day:%Y/%m/%d}/{digest}.{suffix_of(data)}"


def check_ref(ref: str) -> str:
    """Refs come back from the database and from URLs: refuse anything that could leave the store's root."""
    if not _REF.match(ref):
        raise ImageNotFound(ref)
    return ref


def ref_day(ref: str) -> datetime:
    """The UTC day a ref names (``2026/11/21/<sha>.jpg``); ImageNotFound for anything that is not a ref."""
    year, month, day, _ = check_ref(ref).split("/")
    return datetime(int(year), int(month), int(day), tzinfo=UTC)
