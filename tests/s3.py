"""A real S3 server for the image store tests: moto's server mode on a free loopback port, one bucket per test.

Loaded by tests/conftest.py as a plugin, so every test folder can ask for ``s3_bucket``.
"""

from __future__ import annotations

import asyncio
import dataclasses
import socket
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import obstore
import pytest
from obstore.store import S3Store

from config.settings import Settings
from parking.images.s3 import S3ImageStore, S3Location, S3Options

REGION = "us-east-1"
KEY_ID = "parkcloud-test"
SECRET = "parkcloud-test-secret"


@dataclass(frozen=True)
class S3Bucket:
    endpoint_url: str
    name: str

    def options(self, timeout_s: float = 5.0) -> S3Options:
        return S3Options(self.endpoint_url, REGION, KEY_ID, SECRET, timeout_s)

    def store(self, prefix: str = "images") -> S3ImageStore:
        return S3ImageStore(S3Location(self.name, prefix), self.options())

    def settings(self, base: Settings, prefix: str = "images") -> Settings:
        """``base`` with its images in this bucket, as ``PARKCLOUD_IMAGE_STORE`` and ``PARKCLOUD_S3_*`` set them."""
        return dataclasses.replace(
            base,
            image_store=f"s3://{self.name}/{prefix}",
            s3_endpoint_url=self.endpoint_url,
            s3_region=REGION,
            s3_access_key_id=KEY_ID,
            s3_secret_access_key=SECRET,
        )

    def _raw(self) -> S3Store:
        return S3Store(
            self.name,
            endpoint=self.endpoint_url,
            region=REGION,
            access_key_id=KEY_ID,
            secret_access_key=SECRET,
            client_options={"allow_http": True},
        )

    # Blocking obstore calls in a thread, as the store makes them: an async one's answer comes from a tokio
    # thread that can abort the interpreter at exit (parking/images/s3.py).
    async def keys(self) -> list[str]:
        """Every object key in the bucket, straight from the server."""
        raw = self._raw()
        found = await asyncio.to_thread(lambda: [meta["path"] for chunk in obstore.list(raw, None) for meta in chunk])
        return sorted(found)

    async def put_raw(self, key: str, data: bytes) -> None:
        """An object written behind the store's back (outside its prefix, say)."""
        raw = self._raw()
        await asyncio.to_thread(obstore.put, raw, key, data)


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    try:
        from moto.server import ThreadedMotoServer
    except ImportError as err:  # pragma: no cover - the dev extra installs it
        from tests.conftest import need_service

        need_service("moto", f"install the dev extra (moto[server]): {err}")
        raise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3_bucket(moto_endpoint: str) -> S3Bucket:
    name = f"parkcloud-{uuid.uuid4().hex[:12]}"
    created = httpx.put(f"{moto_endpoint}/{name}")
    assert created.status_code == 200, created.text
    return S3Bucket(moto_endpoint, name)


@pytest.fixture
def refused_endpoint() -> str:
    """An address nothing listens on: connections are refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def silent_endpoint() -> Iterator[str]:
    """An address that accepts connections (the kernel's backlog) and never answers: a hung S3."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
