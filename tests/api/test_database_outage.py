"""A database that cannot be reached answers 503 with Retry-After (api/outage.py), so a camera keeps its reading and
sends it again, a payment provider repeats its notification and a client retries; never a 500 with a stack. Errors
of the request itself are not outages."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.pool import NullPool

from api.app import create_app
from api.outage import is_database_outage
from config.settings import Settings
from hardware.cameras import vzenith
from hardware.simulators.camera import CameraSimulator
from parking.common.database import Database
from tests.api.test_readiness import closed_port


@pytest.fixture
async def away() -> AsyncIterator[Database]:
    """A PostgreSQL database nothing listens for (the server restarting, a failover)."""
    db = Database.from_url(f"postgresql+asyncpg://postgres@127.0.0.1:{closed_port()}/none", poolclass=NullPool)
    yield db
    await db.dispose()


async def _client(db: Database, settings: Settings) -> httpx.AsyncClient:
    app = create_app(settings, db)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


def _assert_retry_later(answer: httpx.Response) -> None:
    assert answer.status_code == 503, answer.text
    assert answer.headers["retry-after"] == "1"
    assert answer.json()["errors"][0]["extensions"]["code"] == "DATABASE_UNAVAILABLE"


async def test_a_camera_push_while_the_database_is_away_is_answered_503(away: Database, settings: Settings) -> None:
    # The push exactly as the simulated Vzenith camera sends it (hardware/cameras/vzenith.py).
    camera = CameraSimulator("http://testserver/devices/vzenith/push", serial="VZ-OUTAGE", token="x")
    try:
        body = vzenith.encode_push(camera.make_reading("京A12345"))
    finally:
        await camera.aclose()
    async with await _client(away, settings) as http:
        answer = await http.post(
            "/devices/vzenith/push", content=body, headers={"content-type": vzenith.CONTENT_TYPE, "X-Device-Key": "x"}
        )
    _assert_retry_later(answer)


async def test_a_graphql_request_while_the_database_is_away_is_answered_503(away: Database, settings: Settings) -> None:
    async with await _client(away, settings) as http:
        answer = await http.post(
            "/graphql",
            json={"query": "{ me { username } }"},
            headers={"Authorization": "Bearer not-a-token-but-the-database-is-asked-first"},
        )
    # Either the request never reached the data (503) or it was refused before it needed any (401/200 with a coded
    # error): never a 500.
    assert answer.status_code != 500, answer.text
    if answer.status_code == 503:
        _assert_retry_later(answer)


def test_errors_of_the_request_itself_are_not_outages() -> None:
    duplicate = IntegrityError("INSERT ...", {}, Exception("duplicate key value violates unique constraint"))
    assert not is_database_outage(duplicate)
    assert not is_database_outage(ValueError("bad input"))
    # A provider's refused socket, met by httpx, is not the database's.
    refused = httpx.ConnectError("refused")
    refused.__cause__ = ConnectionRefusedError(111, "Connection refused")
    assert not is_database_outage(refused)
