"""The overview in chromium: with the demo loaded, revenue by channel, traffic, cars inside by hour, occupancy and
alarms are drawn and the cards match the database; with no traffic or payments each chart says so instead of
drawing an empty frame. Screenshots go to var/test-artifacts/web/."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect
from sqlalchemy import func, select

from parking.common.database import Database
from parking.common.scope import Scope
from parking.demo import DEMO_ADMIN_PASSWORD, DEMO_ADMIN_USERNAME, load_demo
from parking.tenancy.models import Lot
from tests.web.conftest import LiveApi, login, shot_path

pytestmark = pytest.mark.browser

CHARTS = ("revenue", "traffic", "inside", "occupancy", "alarms")


async def test_the_demo_overview_draws_revenue_traffic_and_cars_inside(
    page: Page, live_api: LiveApi, db: Database, request: pytest.FixtureRequest
) -> None:
    # given the demo's week of traffic, paid through the channels, beside the test world
    assert await load_demo(db, only_if_empty=False, days=7)
    async with db.session(Scope.internal()) as s:
        lots, capacity, occupied = (
            await s.execute(select(func.count(Lot.id), func.sum(Lot.capacity), func.sum(Lot.occupied)))
        ).one()
    # when the demo's administrator opens the overview
    await login(page, live_api, DEMO_ADMIN_USERNAME, DEMO_ADMIN_PASSWORD)
    cards = page.locator("[data-test=overview-cards] .el-card")
    await expect(cards.nth(0)).to_contain_text(str(lots))
    await expect(cards.nth(1)).to_contain_text(f"{capacity:,}")
    await expect(cards.nth(2)).to_contain_text(f"{occupied:,}")
    # then every chart is drawn, none of them empty
    for chart in ("revenue", "traffic", "inside", "occupancy"):
        await expect(page.locator(f"[data-test=overview-chart-{chart}] canvas")).to_have_count(1)
        await expect(page.locator(f"[data-test=overview-chart-{chart}] [data-test=chart-empty]")).to_have_count(0)
    await page.screenshot(path=shot_path(request, "overview-demo"), full_page=True)


async def test_an_overview_without_traffic_or_payments_says_so(
    page: Page, live_api: LiveApi, request: pytest.FixtureRequest
) -> None:
    # given the test world: lots, no stays, no payments, no alarms
    await login(page, live_api, "platform")
    await expect(page.locator("[data-test=overview-cards]")).to_contain_text("车场数")
    empty = {chart: page.locator(f"[data-test=overview-chart-{chart}] [data-test=chart-empty]") for chart in CHARTS}
    await expect(empty["revenue"]).to_contain_text("近 7 日没有收入")
    await expect(empty["traffic"]).to_contain_text("近 7 日没有进出记录")
    await expect(empty["inside"]).to_contain_text("近 7 日没有进出记录")
    await expect(empty["alarms"]).to_contain_text("没有未处理的告警")
    # the lots are there (empty, but there), so occupancy is drawn
    await expect(empty["occupancy"]).to_have_count(0)
    await expect(page.locator("[data-test=overview-chart-occupancy] canvas")).to_have_count(1)
    await page.screenshot(path=shot_path(request, "overview-empty"), full_page=True)
