"""Images in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, OSS, COS...) through obstore, so that every API
and worker process reads what any of them stored.

The object key is ``<prefix>/<ref>``: the same content-hash refs as the local store, so a replayed push writes
the same key again (one object, same bytes). Every call is bounded by ``timeout_s``; a store that does not answer
in time, or answers with anything but the object or its absence, is ``ImageStoreUnavailable`` after one logged
line, never a hanging request or a stack trace.

Why obstore's blocking calls in a thread pool rather than its ``*_async`` functions: an async call's answer comes
back from a tokio thread that takes the GIL to wake the event loop (``call_soon_threadsafe``). When that wake
is the process's last, the main thread may already be finalizing the interpreter; the tokio thread is then
ended by ``pthread_exit`` inside Rust frames, which aborts the process (SIGABRT, nothing on stderr): about one
`parkcloud restore` in twenty did so here. Blocking calls leave tokio's threads out of Python altogether, and
the pool's threads are Python's own, joined before the interpreter goes.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import urlsplit

import obstore
from obstore.exceptions import NotFoundError
from obstore.store import S3Store

from parking.images.store import ImageNotFound, ImageStoreUnavailable, check_ref, ref_for

if TYPE_CHECKING:
    from obstore.store import ClientConfig, RetryConfig, S3Config

logger = logging.getLogger(__name__)
T = TypeVar("T")
# HEADs in flight at once for ``sizes``: a storage report over thousands of refs neither runs them one by one
# nor opens thousands of connections.
SIZE_CONCURRENCY = 16
# obstore's NotFoundError reaches Python as the builtin FileNotFoundError; both are caught to be safe.
_ABSENT = (FileNotFoundError, NotFoundError)


@dataclass(frozen=True)
class S3Location:
    """``s3://bucket/prefix``: the bucket and the key prefix (no slashes at its ends; empty for the root)."""

    bucket: str
    prefix: str = ""

    @classmethod
    def parse(cls, url: str) -> S3Location:
        parts = urlsplit(url)
        if parts.scheme != "s3" or not parts.netloc or parts.query or parts.fragment:
            raise ValueError(f"not an s3://bucket[/prefix] URL: {url!r}")
        prefix = parts.path.strip("/")
        if prefix and any(segment in ("", ".", "..") for segment in prefix.split("/")):
            raise ValueError(f"the prefix of {url!r} has an empty, '.' or '..' segment")
        return cls(parts.netloc, prefix)

    def __str__(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}" if self.prefix else f"s3://{self.bucket}"


@dataclass(frozen=True)
class S3Options:
    """How to reach the bucket. Empty values are left to obstore, which reads the usual ``AWS_*`` variables
    (``AWS_ENDPOINT_URL``, ``AWS_REGION``, ``AWS_ACCESS_KEY_ID``...) and instance or container credentials."""

    endpoint_url: str = ""
    region: str = ""
    access_key_id: str = ""
    secret_access_key: str = ""
    # The longest one call may take, retries included.
    timeout_s: float = 5.0
    # Retries of a failing call within that time; the camera path's store has none (parking/images/spool.py).
    retries: int = 2


class S3ImageStore:
    def __init__(self, location: S3Location, options: S3Options) -> None:
        self.location = location
        self.endpoint_url = options.endpoint_url
        self.timeout_s = options.timeout_s
        config: S3Config = {}
        if options.endpoint_url:
            config["endpoint"] = options.endpoint_url
        if options.region:
            config["region"] = options.region
        if options.access_key_id:
            config["access_key_id"] = options.access_key_id
        if options.secret_access_key:
            config["secret_access_key"] = options.secret_access_key
        timeout = timedelta(seconds=options.timeout_s)
        client: ClientConfig = {
            "connect_timeout": min(timeout, timedelta(seconds=2)),
            "timeout": timeout,
            # A plain-http endpoint is a local or private server (MinIO, moto) the operator named on purpose.
            "allow_http": options.endpoint_url.startswith("http://"),
        }
        # obstore's default retries a failing call for up to 3 minutes; nobody waits that long for a picture.
        retry: RetryConfig = {"max_retries": options.retries, "retry_timeout": timeout}
        self._store = S3Store(
            location.bucket,
            prefix=location.prefix or None,
            config=config,
            client_options=client,
            retry_config=retry,
        )
        # As many threads as ``sizes`` runs HEADs at once; idle threads cost nothing until used.
        self._pool = ThreadPoolExecutor(max_workers=SIZE_CONCURRENCY, thread_name_prefix="s3-images")

    def __repr__(self) -> str:
        return f"S3ImageStore({self.location})"

    async def _call(self, what: str, ref: str, call: Callable[[], T]) -> T:
        """``call`` (a blocking obstore call) in the pool, bounded by the timeout; absence passes through, any
        other failure is one log line and ``ImageStoreUnavailable``. A call given up on ends in its thread within
        the client's own timeout (the same length); a put that lands late writes the same bytes under their ref."""
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(self.timeout_s):
                return await loop.run_in_executor(self._pool, call)
        except _ABSENT:
            raise
        except TimeoutError as err:
            logger.error("image store %s: %s %s timed out after %.1f s", self.location, what, ref, self.timeout_s)
            raise ImageStoreUnavailable(f"{self.location} did not answer in {self.timeout_s} s") from err
        except Exception as err:  # obstore's errors: connection refused, 5xx after retries, 403...
            reason = str(err).splitlines()[0] if str(err) else type(err).__name__
            logger.error("image store %s: %s %s failed: %s", self.location, what, ref, reason)
            raise ImageStoreUnavailable(f"{self.location}: {reason}") from err

    async def put(self, data: bytes, at: datetime | None = None) -> str:
        ref = ref_for(data, at)
        try:
            # Overwriting the same key with the same bytes is the idempotent put: one object, atomically replaced.
            await self._call("put", ref, lambda: obstore.put(self._store, ref, data))
        except _ABSENT as err:  # S3 answers a put into a missing bucket with 404
            logger.error("image store %s: put %s: no such bucket", self.location, ref)
            raise ImageStoreUnavailable(f"{self.location}: no such bucket") from err
        return ref

    async def get(self, ref: str) -> bytes:
        key = check_ref(ref)
        try:
            return await self._call("get", ref, lambda: bytes(obstore.get(self._store, key).bytes()))
        except _ABSENT as err:
            raise ImageNotFound(ref) from err

    async def size(self, ref: str) -> int | None:
        try:
            key = check_ref(ref)
        except ImageNotFound:
            return None
        try:
            meta = await self._call("head", ref, lambda: obstore.head(self._store, key))
        except _ABSENT:
            return None
        return int(meta["size"])

    async def delete(self, ref: str) -> bool:
        # S3 deletes a missing key without complaint: the HEAD tells a purge whether there was a picture.
        if await self.size(ref) is None:
            return False
        await self._call("delete", ref, lambda: obstore.delete(self._store, ref))
        return True

    async def delete_many(self, refs: list[str]) -> int:
        """The stored ones (bounded concurrent HEADs), then one bulk DeleteObjects per 1,000 keys."""
        found = list(await self.sizes(refs))
        if found:
            await self._call("delete", f"{len(found)} refs", lambda: obstore.delete(self._store, found))
        return len(found)

    async def sizes(self, refs: list[str]) -> dict[str, int]:
        """One HEAD per ref, ``SIZE_CONCURRENCY`` at a time. Listing the prefix instead would read every lot's
        pictures of those days to report on one lot's. The first failure cancels the rest: a store that is down
        costs one timeout and a few log lines, not one per ref."""
        gate = asyncio.Semaphore(SIZE_CONCURRENCY)
        found: dict[str, int] = {}

        async def one(ref: str) -> None:
            async with gate:
                size = await self.size(ref)
            if size is not None:
                found[ref] = size

        try:
            async with asyncio.TaskGroup() as group:
                for ref in dict.fromkeys(refs):
                    group.create_task(one(ref))
        except ExceptionGroup as failed:
            first = next((e for e in failed.exceptions if isinstance(e, ImageStoreUnavailable)), None)
            if first is None:
                raise
            raise first from first.__cause__
        return found
