"""The console in chromium against the live API: a customer's operator opens it on the first of its lots (no
blank grid to start from), adds its other lot beside it and watches both lots' lanes together, enlarges a lane's
picture, and opens the other lot's barrier from the same console. The database is checked after: the gate
command is the second lot's lane's, by this operator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Page, expect

from parking.common.database import Database
from tests.recognition.world_tasks import seed_task
from tests.web.conftest import LiveApi, login, shot_path
from tests.web.test_recognition_pages import images_of

pytestmark = pytest.mark.browser

GATE_COMMANDS = """
query ($laneId: ID!) { gateCommands(filter: { laneId: $laneId }) { items { kind reason operatorId laneId } } }
"""


async def test_the_console_opens_on_a_lot_and_watches_several_lots_at_once(
    page: Page, live_api: LiveApi, db: Database, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    world = live_api.world
    await seed_task(db, world, "A1b", ["京A12345", "京A12845"], images_of(tmp_path))
    await login(page, live_api, "custA1")
    await expect(page.locator("[data-test=overview-cards]")).to_be_visible()
    await page.goto(f"{live_api.url}/#/console")
    grid = page.locator("[data-test=lane-grid]")
    # Not a lot operator: the first lot in scope is shown at once.
    await expect(grid.locator(".tile")).to_have_count(1)
    first = "A1a" if "In A1a" in await grid.inner_text() else "A1b"
    other = "A1b" if first == "A1a" else "A1a"
    await page.locator("[data-test=console-also-lots]").click()
    await page.get_by_role("option", name=f"Lot {other}").click()
    await page.keyboard.press("Escape")
    # Both lots' lanes, each named with its lot.
    await expect(grid.locator(".tile")).to_have_count(2)
    await expect(grid).to_contain_text("Lot A1a · In A1a")
    await expect(grid).to_contain_text("Lot A1b · In A1b")
    tile = grid.locator(".tile", has_text="Lot A1b · In A1b")
    await expect(tile.locator("[data-test=plate]")).to_have_text("京A12345")
    await expect(tile.locator("img[data-test=image]")).to_have_count(1)
    await tile.locator("[data-test=tile-enlarge]").click()
    viewer = page.locator(".el-image-viewer__wrapper")
    await expect(viewer).to_be_visible()
    await page.screenshot(path=shot_path(request, "console-picture-enlarged"))
    await page.locator(".el-image-viewer__close").click()
    await expect(viewer).to_be_hidden()
    await page.screenshot(path=shot_path(request, "console-two-lots"), full_page=True)

    # The other lot's barrier is opened from the same console.
    await tile.click()
    await page.click("[data-test=remote-open]")
    box = page.locator(".el-message-box")
    await box.locator("input").fill("两个车场同时监看")
    await box.locator(".el-button--primary").click()
    await expect(page.locator(".el-message--success")).to_be_visible()
    lane = world.id("lane:A1b")
    body: dict[str, Any] = live_api.gql(GATE_COMMANDS, {"laneId": lane}, token=world.tokens["platform"])
    # The entry reading's own opening (by the lane flow, no operator) and the one asked for here.
    commands = [c for c in body["data"]["gateCommands"]["items"] if c["operatorId"] is not None]
    assert [(c["kind"], c["reason"], c["operatorId"], c["laneId"]) for c in commands] == [
        ("OPEN", "两个车场同时监看", world.id("operator:custA1"), lane)
    ]
