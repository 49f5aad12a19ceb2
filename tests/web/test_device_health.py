"""Device health moves in the dashboard: a demo lane whose camera stops calling goes offline (camera, relay and
display), the devices page lists it under 离线, and the overview counts its alarms. Screenshots go to
var/test-artifacts/web/."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.async_api import Page, expect
from sqlalchemy import select, update

from parking.alarms.models import Alarm, AlarmKind, AlarmStatus
from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.scope import Scope
from parking.demo import DEMO_ADMIN_PASSWORD, DEMO_ADMIN_USERNAME, DEMO_OFFLINE_AFTER_S, load_demo
from parking.devices.models import Device, DeviceStatus
from parking.devices.poller import poll_lot
from parking.tenancy.enums import LaneDirection
from parking.tenancy.models import Lane
from tests.web.conftest import LiveApi, login, shot_path

pytestmark = pytest.mark.browser


async def test_a_demo_lane_that_stops_calling_shows_offline_in_the_dashboard(
    page: Page, live_api: LiveApi, db: Database, request: pytest.FixtureRequest
) -> None:
    # given the demo, and one exit lane whose devices were last heard from past their limit
    assert await load_demo(db, only_if_empty=False, days=1)
    async with db.transaction(Scope.internal()) as s:
        lane = await s.scalar(
            select(Lane).where(Lane.direction == LaneDirection.EXIT, Lane.lot_id.in_(select(Device.lot_id))).limit(1)
        )
        assert lane is not None
        silent_since = utcnow() - timedelta(seconds=DEMO_OFFLINE_AFTER_S + 30)
        await s.execute(update(Device).where(Device.lane_id == lane.id).values(last_seen_at=silent_since))
        dark = {d.id: d.name for d in await s.scalars(select(Device).where(Device.lane_id == lane.id))}
        lot_id = lane.lot_id
    assert len(dark) == 3  # the camera, its relay (controller) and the exit's display
    # when the poller looks
    await poll_lot(db, lot_id)
    async with db.session(Scope.internal()) as s:
        statuses = set(await s.scalars(select(Device.status).where(Device.id.in_(dark))))
        alarms = set(
            await s.scalars(select(Alarm.kind).where(Alarm.lane_id == lane.id, Alarm.status == AlarmStatus.OPEN))
        )
    # then the lane's devices are offline with their alarms,
    assert statuses == {DeviceStatus.OFFLINE}
    assert AlarmKind.DEVICE_OFFLINE in alarms

    # and the dashboard shows it: the overview counts the open alarms, the devices page lists them as offline
    await login(page, live_api, DEMO_ADMIN_USERNAME, DEMO_ADMIN_PASSWORD)
    await expect(page.locator("[data-test=overview-chart-alarms] canvas")).to_have_count(1)
    await page.goto(f"{live_api.url}/#/devices")
    await page.locator(".el-select", has=page.get_by_role("combobox", name="状态")).click()
    await (
        page.locator(".el-select-dropdown__item:visible").nth(1).click()
    )  # ONLINE, OFFLINE, ...: the second is offline
    await page.click("[data-test=search]")
    table = page.locator(".el-table__body")
    await expect(page.locator(".el-loading-mask:visible")).to_have_count(0)
    for name in dark.values():
        await expect(table).to_contain_text(name)
    await page.screenshot(path=shot_path(request, "devices-offline"), full_page=True)
