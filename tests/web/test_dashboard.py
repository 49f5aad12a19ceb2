"""End to end in chromium: sign in, create a lot with lanes through the UI, tenancy isolation, the menu follows
permissions, the console shows a lot's lanes. Screenshots go to var/test-artifacts/web/."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.async_api import Browser, Page, expect

from tests.web.conftest import LiveApi, login, shot_path

pytestmark = pytest.mark.browser

LOT_LANES = """
query ($search: String) {
  lots(filter: { search: $search }) { items { name capacity customer { name } lanes { name direction qrToken } } }
}
"""


async def test_login_lands_on_the_overview_and_a_wrong_password_is_refused(
    page: Page, live_api: LiveApi, request: pytest.FixtureRequest
) -> None:
    await page.goto(live_api.url)
    await expect(page).to_have_url(f"{live_api.url}/#/login?next=/")
    await login(page, live_api, "platform", "wrong password")
    await expect(page.locator("[data-test=login-error]")).to_contain_text("登录失败")
    await page.screenshot(path=shot_path(request, "login-refused"))

    await login(page, live_api, "platform")
    await expect(page.locator("[data-test=overview-cards]")).to_contain_text("车场数")
    # Four lots of 100 spaces in the world, all empty.
    await expect(page.locator("[data-test=overview-cards]")).to_contain_text("400")
    token = await page.evaluate("localStorage.getItem('parkcloud.token')")
    me: dict[str, Any] = live_api.gql("{ me { name } }", token=str(token))
    assert me["data"]["me"]["name"] == "platform"
    await page.screenshot(path=shot_path(request, "overview"), full_page=True)

    await page.click("[data-test=locale]")
    await expect(page.locator("[data-test=overview-cards]")).to_contain_text("Free spaces")


async def test_create_a_lot_with_two_lanes_through_the_ui(
    page: Page, live_api: LiveApi, request: pytest.FixtureRequest
) -> None:
    await login(page, live_api, "platform")
    await expect(page.locator("[data-test=overview-cards]")).to_be_visible()
    await page.goto(f"{live_api.url}/#/lots")
    await page.click("[data-test=lot-new]")
    dialog = page.get_by_role("dialog")
    await dialog.locator(".el-select").click()
    await page.get_by_role("option", name="Customer A2").click()
    await dialog.locator("input[name=lot-name]").fill("滨江停车场")
    await dialog.locator("input[name=lot-capacity]").fill("240")
    await dialog.locator("input[name=lot-address]").fill("滨江路 1 号")
    await dialog.locator("[data-test=lot-submit]").click()

    drawer = page.locator(".el-drawer")
    await expect(drawer).to_contain_text("滨江停车场")
    await drawer.locator("input[name=lane-name]").fill("东门入口")
    await drawer.locator("[data-test=lane-submit]").click()
    await expect(drawer.locator("[data-test=lanes-table]")).to_contain_text("东门入口")
    await drawer.locator("input[name=lane-name]").fill("东门出口")
    await drawer.locator("[data-test=lane-direction]").click()
    await page.get_by_role("option", name="出口").click()
    await drawer.locator("[data-test=lane-submit]").click()
    await expect(drawer.locator("[data-test=lanes-table]")).to_contain_text("东门出口")
    await expect(drawer.locator("[data-test=lane-qr]")).to_have_count(2)
    # The exit lane gets its signed codes (出口码 and 无牌码) in place of the old lane code.
    await drawer.locator("[data-test=lane-codes-make]").nth(1).click()
    await expect(drawer.locator("[data-test=lane-code]")).to_have_count(2)
    await expect(drawer.locator("[data-test=lane-qr]")).to_have_count(1)
    await expect(drawer.locator("[data-test=lane-codes-print]")).to_have_count(1)
    await page.screenshot(path=shot_path(request, "lot-with-lanes"), full_page=True)

    body: dict[str, Any] = live_api.gql(LOT_LANES, {"search": "滨江"}, token=live_api.world.tokens["platform"])
    [lot] = body["data"]["lots"]["items"]
    assert (lot["name"], lot["capacity"], lot["customer"]["name"]) == ("滨江停车场", 240, "Customer A2")
    assert sorted((lane["name"], lane["direction"]) for lane in lot["lanes"]) == [
        ("东门入口", "ENTRY"),
        ("东门出口", "EXIT"),
    ]


async def test_an_operator_of_one_customer_sees_only_that_customers_lots(
    page: Page, live_api: LiveApi, request: pytest.FixtureRequest
) -> None:
    await login(page, live_api, "custA1")
    await expect(page.locator("[data-test=overview-cards]")).to_be_visible()
    await page.goto(f"{live_api.url}/#/lots")
    table = page.locator("[data-test=lots-table]")
    await expect(table).to_contain_text("Lot A1a")
    await expect(table).to_contain_text("Lot A1b")
    await expect(table.locator("tbody tr")).to_have_count(2)
    await expect(table).not_to_contain_text("Lot A2a")
    await expect(table).not_to_contain_text("Lot B1a")
    # The agents menu needs agent scope or above: a customer operator's role has the permission, but the
    # list answers only its own tenancy; the lots filter select offers only its lots too.
    await page.goto(f"{live_api.url}/#/records/sessions")
    await page.locator(".toolbar .el-select").first.click()
    options = page.get_by_role("option")
    await expect(options).to_have_count(2)
    await page.screenshot(path=shot_path(request, "customer-lots"), full_page=True)


async def test_the_menu_follows_permissions(page: Page, live_api: LiveApi, request: pytest.FixtureRequest) -> None:
    await login(page, live_api, "viewer")
    await expect(page.locator("[data-test=no-access]")).to_be_visible()
    await expect(page.locator(".el-menu .el-menu-item")).to_have_count(0)
    await page.screenshot(path=shot_path(request, "no-permissions"))


async def test_the_console_shows_the_lots_lanes(page: Page, live_api: LiveApi, request: pytest.FixtureRequest) -> None:
    await login(page, live_api, "lotA1a")
    await expect(page.locator("[data-test=overview-cards]")).to_be_visible()
    await page.goto(f"{live_api.url}/#/console")
    grid = page.locator("[data-test=lane-grid]")
    await expect(grid).to_contain_text("In A1a")
    await expect(grid.locator(".tile")).to_have_count(1)
    await page.screenshot(path=shot_path(request, "console"), full_page=True)


GATE_COMMANDS = """
query ($laneId: ID!) { gateCommands(filter: { laneId: $laneId }) { items { kind reason operatorId laneId } } }
"""


async def test_a_remote_open_from_the_console_is_recorded_as_a_gate_command(
    page: Page, live_api: LiveApi, request: pytest.FixtureRequest
) -> None:
    await login(page, live_api, "lotA1a")
    await expect(page.locator("[data-test=overview-cards]")).to_be_visible()
    await page.goto(f"{live_api.url}/#/console")
    await page.locator("[data-test=lane-grid] .tile").first.click()
    await page.click("[data-test=remote-open]")
    box = page.locator(".el-message-box")
    await box.locator("input").fill("访客无牌车, 已核实")
    await box.locator(".el-button--primary").click()
    await expect(page.locator(".el-message--success")).to_be_visible()
    await expect(page.locator("[data-test=barrier]")).to_contain_text("已开")
    await page.screenshot(path=shot_path(request, "remote-open"), full_page=True)

    lane = live_api.world.id("lane:A1a")
    body: dict[str, Any] = live_api.gql(GATE_COMMANDS, {"laneId": lane}, token=live_api.world.tokens["platform"])
    commands = body["data"]["gateCommands"]["items"]
    assert [(c["kind"], c["reason"], c["operatorId"], c["laneId"]) for c in commands] == [
        ("OPEN", "访客无牌车, 已核实", live_api.world.id("operator:lotA1a"), lane)
    ]


async def test_on_a_tablet_the_menu_folds_away_and_opens_from_the_header(
    browser: Browser, live_api: LiveApi, request: pytest.FixtureRequest
) -> None:
    context = await browser.new_context(viewport={"width": 820, "height": 1180}, locale="zh-CN", has_touch=True)
    tablet = await context.new_page()
    try:
        await login(tablet, live_api, "platform")
        await expect(tablet.locator("[data-test=overview-cards]")).to_be_visible()
        menu = tablet.locator(".el-aside")
        await expect(menu).to_be_hidden()
        await tablet.click("[data-test=menu-toggle]")
        await expect(menu).to_be_visible()
        await tablet.screenshot(path=shot_path(request, "tablet-menu"))
        # Choosing a page folds the menu again.
        await menu.get_by_text("云坐席").click()
        await expect(tablet.locator("[data-test=lane-grid]")).to_be_attached()
        await expect(menu).to_be_hidden()
    finally:
        await context.close()
