"""Pictures a camera sent while the image store was down or slow, kept on this machine's disk until the upload
job (``workers/images.py``, ``parkcloud images upload-spool``) puts them in the store.

The gate decision never waits on a picture: the camera path puts with a short bound and no retry
(``SpoolingStore``), and on failure writes the bytes here under their ref, which is known before any upload (the
content hash). The reading stored meanwhile names the ref the picture will have in the store; a replayed push
writes the same file again. A file leaves the spool only once the store has taken it.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from parking.images.files import write_once
from parking.images.store import (
    ImageNotFound,
    ImageStore,
    ImageStoreUnavailable,
    check_ref,
    ref_day,
    ref_for,
)

logger = logging.getLogger(__name__)


class ImageSpool:
    """Files under ``root`` named by their ref (``2026/11/21/<sha>.jpg``)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    async def keep(self, ref: str, data: bytes) -> None:
        # the same ref is the same bytes: a replayed push keeps one copy
        await asyncio.to_thread(write_once, self.root / check_ref(ref), data)

    async def read(self, ref: str) -> bytes:
        path = self.root / check_ref(ref)
        try:
            return await asyncio.to_thread(path.read_bytes)
        except FileNotFoundError as err:
            raise ImageNotFound(ref) from err

    async def remove(self, ref: str) -> None:
        await asyncio.to_thread((self.root / check_ref(ref)).unlink, missing_ok=True)

    def _refs(self) -> list[str]:
        if not self.root.is_dir():
            return []
        found = []
        for path in self.root.glob("*/*/*/*"):  # temporary files start with a dot and are no refs
            ref = path.relative_to(self.root).as_posix()
            try:
                found.append(check_ref(ref))
            except ImageNotFound:
                continue
        return sorted(found)

    async def refs(self) -> list[str]:
        """The refs waiting, oldest day first."""
        return await asyncio.to_thread(self._refs)


class SpoolingStore:
    """The image store as the camera path and the image endpoint of one API process see it.

    ``put`` goes through ``quick`` (the same store with a short timeout and no retry); when that fails, the
    picture goes to the spool and its ref comes back all the same. ``get`` looks in the spool first, so the
    process that spooled a picture serves it before it is uploaded. The rest is the store's.
    """

    def __init__(self, store: ImageStore, quick: ImageStore, spool: ImageSpool) -> None:
        self.store = store
        self.quick = quick
        self.spool = spool

    def __repr__(self) -> str:
        return f"SpoolingStore({self.store!r}, spool={self.spool.root})"

    async def put(self, data: bytes, at: datetime | None = None) -> str:
        ref = ref_for(data, at)
        try:
            return await self.quick.put(data, at)
        except ImageStoreUnavailable:
            pass  # the store logged why
        try:
            await self.spool.keep(ref, data)
        except OSError as err:  # a full or read-only disk: now the picture really cannot be kept
            logger.error("image spool %s: could not keep %s: %s", self.spool.root, ref, err)
            raise ImageStoreUnavailable(f"image spool {self.spool.root}: {err}") from err
        logger.warning("image %s spooled under %s until the store takes it", ref, self.spool.root)
        return ref

    async def get(self, ref: str) -> bytes:
        try:
            return await self.spool.read(ref)
        except ImageNotFound:
            return await self.store.get(ref)

    async def delete(self, ref: str) -> bool:
        return await self.store.delete(ref)

    async def delete_many(self, refs: list[str]) -> int:
        return await self.store.delete_many(refs)

    async def size(self, ref: str) -> int | None:
        return await self.store.size(ref)

    async def sizes(self, refs: list[str]) -> dict[str, int]:
        return await self.store.sizes(refs)


@dataclass(frozen=True)
class SpoolUpload:
    uploaded: int
    left: int
    # Files whose bytes do not hash to their name (a disk fault): left in place for a person to look at.
    damaged: int = 0

    def line(self) -> str:
        return f"image spool: uploaded={self.uploaded} left={self.left} damaged={self.damaged}"


async def upload_spooled(spool: ImageSpool, store: ImageStore) -> SpoolUpload:
    """Put every spooled picture in the store under its ref, and remove it from the spool only after the put
    succeeded. Idempotent: a second run, or two at once, put the same bytes under the same key. The first
    failure of the store stops the run (it is still down); what is left waits for the next one."""
    refs = await spool.refs()
    uploaded = damaged = 0
    for ref in refs:
        try:
            data = await spool.read(ref)
        except ImageNotFound:  # taken by a run beside this one
            continue
        if ref_for(data, ref_day(ref)) != ref:
            logger.error("image spool %s: %s does not hash to its name; left in place", spool.root, ref)
            damaged += 1
            continue
        try:
            await store.put(data, ref_day(ref))
        except ImageStoreUnavailable:
            break  # the store logged why
        await spool.remove(ref)
        uploaded += 1
    return SpoolUpload(uploaded, len(await spool.refs()) - damaged, damaged)
