"""No-plate cars (无牌车): the driver logs in with WeChat (a local fake), scans the entry code, later the exit."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select

from api.app import create_app
from config.settings import Settings
from fakes.wechat_api import FakeWeChatAPI
from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.scope import Scope
from parking.devices.models import GateCommand, GateCommandStatus
from parking.drivers import issue_driver_token
from parking.plates import NO_PLATE
from parking.sessions.enums import SessionState
from parking.sessions.models import ParkingSession
from parking.tenancy.models import Lane
from tests.lanes.site import Site, build_site
from tests.wechat import ServedWeChat, served_wechat

pytestmark = pytest.mark.anyio


@pytest.fixture
def served() -> Iterator[ServedWeChat]:
    with served_wechat() as s:
        yield s


@pytest.fixture
def wechat(served: ServedWeChat) -> FakeWeChatAPI:
    return served.fake


@pytest.fixture
async def driver_client(db: Database, settings: Settings, served: ServedWeChat) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, db)
    app.state.drivers.wechat = served.client()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        yield client
    await app.state.drivers.wechat.aclose()


async def _codes(site: Site) -> dict[str, str]:
    async with site.db.session(Scope.internal()) as s:
        lanes = await s.scalars(select(Lane).where(Lane.lot_id == site.lot_id))
        return {lane.name: lane.qr_token for lane in lanes}


async def _login(client: httpx.AsyncClient, wechat: FakeWeChatAPI, openid: str) -> dict[str, str]:
    response = await client.post("/api/driver/login", json={"code": wechat.login(openid)})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


async def test_no_plate_entry_and_exit_by_scanning(
    db: Database, driver_client: httpx.AsyncClient, wechat: FakeWeChatAPI
) -> None:
    site = await build_site(db)
    codes = await _codes(site)
    driver = await _login(driver_client, wechat, "o-driver-1")

    # The camera sees no plate: the barrier holds and the display asks for a scan.
    held = await site.read("in", NO_PLATE, utcnow())
    assert not held.decision.opens
    assert held.decision.reason.value == "no_plate"

    entered = await driver_client.post(f"/api/driver/lanes/{codes['in']}/scan", headers=driver)
    assert entered.status_code == 200
    body = entered.json()
    assert body["opened"] is True
    stay = await site.session(int(body["sessionId"]))
    assert stay.plate == NO_PLATE
    assert stay.driver_key == "o-driver-1"
    async with db.session(Scope.internal()) as s:
        command = await s.scalar(select(GateCommand).where(GateCommand.lane_id == site.ids["in"]))
        assert command is not None
        assert command.status is GateCommandStatus.PENDING  # delivered by the camera's next poll

    # A second tap within seconds is the same reading; another driver gets their own stay.
    again = await driver_client.post(f"/api/driver/lanes/{codes['in']}/scan", headers=driver)
    assert again.json()["sessionId"] == body["sessionId"]
    other = await _login(driver_client, wechat, "o-driver-2")
    second = await driver_client.post(f"/api/driver/lanes/{codes['in']}/scan", headers=other)
    assert second.json()["sessionId"] != body["sessionId"]
    assert await site.occupied() == (2, 2)

    # Leaving at once: nothing due, the exit opens and the stay closes.
    left = await driver_client.post(f"/api/driver/lanes/{codes['out']}/scan", headers=driver)
    assert left.json()["opened"] is True
    assert (await site.session(int(body["sessionId"]))).state is SessionState.EXITED


async def test_no_plate_exit_after_an_hour_asks_for_the_fee(
    db: Database, settings: Settings, driver_client: httpx.AsyncClient
) -> None:
    site = await build_site(db)
    codes = await _codes(site)
    await site.read("in", NO_PLATE, utcnow() - timedelta(minutes=50), driver_key="o-driver-3")  # two half hours
    token = issue_driver_token(settings.secret_key, "o-driver-3", utcnow(), 600)
    out = await driver_client.post(
        f"/api/driver/lanes/{codes['out']}/scan", headers={"Authorization": f"Bearer {token}"}
    )
    body = out.json()
    assert body["opened"] is False
    assert body["reason"] == "fee_due"
    assert body["feeFen"] == 400
    waiting = await driver_client.get(f"/api/driver/lanes/{codes['out']}/waiting")
    assert waiting.json()["waiting"]["feeFen"] == 400


async def test_bad_driver_requests_change_nothing(
    db: Database, driver_client: httpx.AsyncClient, wechat: FakeWeChatAPI
) -> None:
    site = await build_site(db)
    codes = await _codes(site)
    assert (await driver_client.post("/api/driver/login", json={"code": "forged"})).status_code == 401
    assert (await driver_client.post("/api/driver/login", content=b"{")).status_code == 400
    assert (await driver_client.post(f"/api/driver/lanes/{codes['in']}/scan")).status_code == 401
    forged = {"Authorization": "Bearer eyJkcnYiOiJ4IiwiZXhwIjo5OTk5OTk5OTk5fQ.forged"}
    assert (await driver_client.post(f"/api/driver/lanes/{codes['in']}/scan", headers=forged)).status_code == 401
    driver = await _login(driver_client, wechat, "o-driver-4")
    assert (await driver_client.post("/api/driver/lanes/no-such-code/scan", headers=driver)).status_code == 404
    async with db.session(Scope.internal()) as s:
        assert list(await s.scalars(select(ParkingSession))) == []
