"""The lot map and the overview in chromium: lots placed by coordinates on the bundled China map with free spaces and
the tariff in force, a dot opens the lot, nothing is fetched from outside the API, and the overview cards come
from the aggregate queries in the operator's scope."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from playwright.async_api import Page, Request, expect

from parking.alarms.models import Alarm, AlarmKind
from parking.common.database import Database
from parking.common.scope import Scope
from parking.tariffs.document import VehicleClass
from parking.tariffs.models import TariffVersion
from parking.tenancy.models import Lot
from tests.lanes.site import flat_tariff
from tests.web.conftest import LiveApi, login, shot_path

pytestmark = pytest.mark.browser

# West Lake and Binjiang, Hangzhou; B1a has coordinates too but belongs to another agent.
PLACES = {"A1a": (30.25, 120.15, 40), "A1b": (30.20, 120.21, 100), "B1a": (30.30, 120.10, 0)}


async def place_lots(db: Database, api: LiveApi) -> None:
    async with db.transaction(Scope.internal()) as s:
        for name, (lat, lng, occupied) in PLACES.items():
            lot = await s.get(Lot, api.world.ids[f"lot:{name}"])
            assert lot is not None
            lot.latitude, lot.longitude, lot.occupied = lat, lng, occupied
            if name == "A1a":
                s.add(
                    TariffVersion(
                        agent_id=lot.agent_id,
                        customer_id=lot.customer_id,
                        lot_id=lot.id,
                        vehicle_class=VehicleClass.SMALL,
                        name="西湖标准收费",
                        version=1,
                        effective_from=datetime(2026, 1, 1, tzinfo=UTC),
                        document=flat_tariff().model_dump(mode="json"),
                    )
                )
            for i in range(2 if name != "A1b" else 1):
                s.add(
                    Alarm(
                        agent_id=lot.agent_id,
                        customer_id=lot.customer_id,
                        lot_id=lot.id,
                        kind=AlarmKind.GATE_FAILED,
                        raised_at=datetime.now(UTC),
                        message=f"gate {i}",
                    )
                )


async def test_the_lot_map_places_the_customers_lots_offline_and_opens_one(
    page: Page, live_api: LiveApi, db: Database, request: pytest.FixtureRequest
) -> None:
    await place_lots(db, live_api)
    outside: list[str] = []

    def watch(req: Request) -> None:
        if not req.url.startswith((live_api.url, "data:", "blob:")):
            outside.append(req.url)

    page.on("request", watch)
    await login(page, live_api, "custA1")
    # The overview's open-alarm card counts A1a's two and A1b's one, not B1a's.
    cards = page.locator("[data-test=overview-cards]")
    await expect(cards.locator(".el-card").nth(4)).to_contain_text("3")
    await expect(cards.locator(".el-card").nth(3)).to_contain_text("60")  # free: 60 + 0

    await page.goto(f"{live_api.url}/#/map")
    a1a = live_api.world.ids["lot:A1a"]
    chart = page.locator("[data-test=china-map] svg")
    # The provinces' outlines come from the client's own bundle (no tiles), drawn as SVG paths.
    await expect(chart.locator("path").nth(33)).to_be_attached()
    # Each of the customer's lots is labelled with its free spaces; the other agent's lot is not there.
    west_lake = chart.locator("text", has_text="Lot A1a")
    binjiang = chart.locator("text", has_text="Lot A1b")
    await expect(west_lake).to_contain_text("空余 60")
    await expect(binjiang).to_contain_text("空余 0")
    await expect(chart.locator("text", has_text="Lot B1a")).to_have_count(0)
    # The two lots lie 6 km apart: their labels do not overlap.
    a, b = await west_lake.bounding_box(), await binjiang.bounding_box()
    assert a is not None
    assert b is not None
    apart = a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"] or a["x"] + a["width"] <= b["x"]
    assert apart or b["x"] + b["width"] <= a["x"], (a, b)
    table = page.locator("[data-test=map-table]")
    await expect(table).to_contain_text("西湖标准收费")
    await expect(table).not_to_contain_text("Lot B1a")
    await page.screenshot(path=shot_path(request, "lot-map"), full_page=True)

    await west_lake.click()
    await expect(page).to_have_url(f"{live_api.url}/#/lots?lot={a1a}")
    await expect(page.locator(".el-drawer")).to_contain_text("Lot A1a")
    assert outside == []
