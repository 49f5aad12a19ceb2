"""The single-process default: images as files under ``$PARKCLOUD_VAR_DIR/images``."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path

from parking.images.files import write_once
from parking.images.store import ImageNotFound, check_ref, ref_for


class LocalImageStore:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    async def put(self, data: bytes, at: datetime | None = None) -> str:
        ref = ref_for(data, at)
        await asyncio.to_thread(write_once, self.root / ref, data)
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

    async def delete_many(self, refs: list[str]) -> int:
        return await asyncio.to_thread(lambda: sum(self._delete(ref) for ref in dict.fromkeys(refs)))

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
