"""Where lane images live: a local file store by default, any S3-compatible store as an option.

A reference is a relative path such as ``2026/11/21/ab12...ef.jpg``: the content hash names the file, so storing
the same image twice (a replayed push) keeps one copy.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

_REF = re.compile(r"^\d{4}/\d{2}/\d{2}/[0-9a-f]{64}\.(jpg|png|bin)$")
_SUFFIXES = {b"\xff\xd8\xff": "jpg", b"\x89PNG": "png"}


class ImageNotFound(LookupError):
    pass


class ImageStore(Protocol):
    async def put(self, data: bytes, at: datetime | None = None) -> str: ...

    async def get(self, ref: str) -> bytes: ...

    async def delete(self, ref: str) -> bool:
        """Remove the image; False when there was none (a second purge of the same ref is a no-op)."""
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


class LocalImageStore:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def _write(self, ref: str, data: bytes) -> None:
        path = self.root / ref
        if path.exists():
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)  # atomic: a reader never sees half a picture

    async def put(self, data: bytes, at: datetime | None = None) -> str:
        ref = ref_for(data, at)
        await asyncio.to_thread(self._write, ref, data)
        return ref

    async def get(self, ref: str) -> bytes:
        path = self.root / check_ref(ref)
        try:
            return await asyncio.to_thread(path.read_bytes)
        except FileNotFoundError as err:
            raise ImageNotFound(ref) from err

    def _delete(self, ref: str) -> bool:
        try:
            (self.root / check_ref(ref)).unlink()
        except (FileNotFoundError, ImageNotFound):
            return False
        return True

    async def delete(self, ref: str) -> bool:
        return await asyncio.to_thread(self._delete, ref)

    def _size(self, ref: str) -> int | None:
        try:
            return (self.root / check_ref(ref)).stat().st_size
        except (FileNotFoundError, ImageNotFound):
            return None

    async def size(self, ref: str) -> int | None:
        return await asyncio.to_thread(self._size, ref)

    async def sizes(self, refs: list[str]) -> dict[str, int]:
        """Sizes of the stored ones among ``refs``, in one thread hop (a storage report stats thousands)."""

        def run() -> dict[str, int]:
            found = {ref: self._size(ref) for ref in refs}
            return {ref: size for ref, size in found.items() if size is not None}

        return await asyncio.to_thread(run)
