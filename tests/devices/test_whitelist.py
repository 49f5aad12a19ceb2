"""Whitelist pushes to a Vzenith camera: built from the lot's all-day rights, delivered once in a poll reply."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import select

from api.app import create_app
from config.settings import Settings
from hardware.simulators.camera import CameraSimulator
from parking.common.database import Database
from parking.common.scope import Scope
from parking.devices.executor import sweep_pending
from parking.devices.models import Device, DeviceCommand, DeviceCommandStatus
from parking.devices.whitelist import take_for_camera
from parking.tenancy.enums import VehicleCategory
from parking.vehicles.models import ListEntry
from tests.conftest import GraphQL
from tests.devices.test_commands import SEND
from tests.lanes.site import Site, add_edge, build_site, seat_tokens

pytestmark = pytest.mark.anyio

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def camera_transport(db: Database, settings: Settings) -> httpx.ASGITransport:
    return httpx.ASGITransport(app=create_app(settings, db))


def _wall(at: datetime) -> datetime:
    """What the camera's clock reads at ``at`` (in the lot's zone, Shanghai)."""
    return at.astimezone(SHANGHAI)


async def _camera(site: Site, transport: httpx.ASGITransport) -> CameraSimulator:
    serial = next(s for s in site.secrets if s.endswith("-in"))
    return CameraSimulator(
        "http://testserver/devices/vzenith/push",
        serial=serial,
        token=site.secrets[serial],
        token_header="X-Device-Key",
        transport=transport,
    )


async def _rows(db: Database) -> list[tuple[str, str]]:
    async with db.session(Scope.internal()) as s:
        commands = await s.scalars(select(DeviceCommand).order_by(DeviceCommand.id))
        return [(c.status.value, c.result) for c in commands]


async def test_the_camera_gets_the_lots_all_day_rights_in_its_next_poll_reply_once(
    db: Database, gql: GraphQL, camera_transport: httpx.ASGITransport
) -> None:
    # given a lot with a monthly pass, a VIP entry, and rights a camera must not hold by itself
    now = datetime.now(UTC).replace(microsecond=0)
    site = await build_site(db)
    starts, ends = now - timedelta(days=3), now + timedelta(days=27)
    await site.add_pass("京A10001", starts, ends)
    await site.add_pass("京A10002", now - timedelta(days=40), now - timedelta(days=10))  # expired
    await site.add_pass("京A10003", starts, ends, window=(time(8), time(18)))  # time-controlled
    await site.add_listing("京V00001", VehicleCategory.VIP)
    await site.add_listing("京V00002", VehicleCategory.VISITOR)
    await site.add_listing("京V00003", VehicleCategory.BLACKLIST)
    token = (await seat_tokens(site))["seat"]
    camera = await _camera(site, camera_transport)

    # when an operator pushes the whitelist to the entry camera
    body = await gql(SEND, {"d": site.ids["device:in"], "k": "PUSH_WHITELIST", "r": "new passes"}, token=token)
    assert body["data"]["x"]["command"]["status"] == "PENDING", body
    # then no executor takes it: it waits for the camera
    assert await sweep_pending(db) == []
    assert await _rows(db) == [("pending", "")]

    # when the camera polls, twice
    assert await camera.heartbeat()
    assert await camera.heartbeat()

    # then its whitelist holds the pass and the VIP entry, with their times on the camera's clock, delivered once
    listed_from = await _listing_start(db, site, "京V00001")
    assert camera.whitelist == {"京A10001": (_wall(starts), _wall(ends)), "京V00001": (_wall(listed_from), None)}
    assert await _rows(db) == [("done", "2 plates delivered in the reply to the camera's poll")]
    await camera.aclose()


async def _listing_start(db: Database, site: Site, plate: str) -> datetime:
    async with db.session(Scope.internal()) as s:
        start = await s.scalar(
            select(ListEntry.valid_from).where(ListEntry.lot_id == site.lot_id, ListEntry.plate == plate)
        )
    assert start is not None
    return start


async def test_a_push_the_camera_never_polls_for_expires(db: Database, gql: GraphQL) -> None:
    site = await build_site(db)
    token = (await seat_tokens(site))["seat"]
    await gql(SEND, {"d": site.ids["device:in"], "k": "PUSH_WHITELIST", "r": ""}, token=token)
    async with db.transaction(Scope.internal()) as s:
        taken = await take_for_camera(s, site.ids["device:in"], datetime.now(UTC) + timedelta(minutes=11))
    assert taken == ()
    assert await _rows(db) == [(DeviceCommandStatus.EXPIRED.value, "the camera did not poll in time")]


async def test_a_device_without_a_whitelist_protocol_refuses_the_push(db: Database, gql: GraphQL) -> None:
    site = await build_site(db)
    token = (await seat_tokens(site))["seat"]
    await add_edge(site)
    async with db.session(Scope.internal()) as s:
        edge = await s.scalar(select(Device.id).where(Device.protocol == "edge"))
    body = await gql(SEND, {"d": edge, "k": "PUSH_WHITELIST", "r": ""}, token=token)
    assert body["data"]["x"] == {"code": "INVALID", "message": "an edge device cannot push_whitelist", "field": "kind"}
    assert await _rows(db) == []
