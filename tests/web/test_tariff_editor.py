"""The tariff editor in chromium against the real API: the lot's version 1 loads into the form, a refused draft
(written in the JSON view) shows the server's problems and saves nothing, the form writes free time, a first period,
a price, a cap, a class and an exemption while the fee curve and the example quotes follow, and the draft is saved
as version 2 effective from a chosen date. Holiday periods with the calendar, the new-energy overlay and an area's
own tariff are written with the form too, and the server's problems are shown in Chinese. The database is checked
after each step; the example quote on the page is the engine's quote of the stored document. Screenshots go to
var/test-artifacts/web/."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.async_api import Locator, Page, expect
from sqlalchemy import select

from parking.common.database import Database
from parking.common.scope import Scope
from parking.plates import PlateColor
from parking.tariffs import Stay, Tariff, quote
from parking.tariffs.document import NewEnergyOverlay, TimedRule
from parking.tariffs.models import TariffVersion
from parking.tenancy.enums import VehicleClass
from parking.tenancy.models import Area, Lot
from tests.lanes.site import flat_tariff
from tests.web.conftest import LiveApi, login, shot_path

pytestmark = pytest.mark.browser

# The API answers on a machine shared with other test runs: waits after a request are longer than the default.
AFTER_REQUEST_MS = 15_000


async def versions(db: Database) -> list[TariffVersion]:
    async with db.session(Scope.internal()) as s:
        return list(await s.scalars(select(TariffVersion).order_by(TariffVersion.version)))


async def seed_version_1(db: Database, api: LiveApi) -> None:
    async with db.transaction(Scope.internal()) as s:
        lot = await s.get(Lot, api.world.ids["lot:A1a"])
        assert lot is not None
        s.add(
            TariffVersion(
                agent_id=lot.agent_id,
                customer_id=lot.customer_id,
                lot_id=lot.id,
                vehicle_class=VehicleClass.SMALL,
                name="西湖标准收费",
                version=1,
                effective_from=datetime(2026, 1, 1, tzinfo=UTC),
                document=flat_tariff().model_copy(update={"name": "西湖标准收费"}).model_dump(mode="json"),
            )
        )


def field(page: Page, name: str, tag: str = "input") -> Locator:
    """The native input of a form control marked data-test=name (on the input itself or on its wrapper)."""
    return page.locator(f"{tag}[data-test={name}], [data-test={name}] {tag}").first


async def type_into(page: Page, name: str, value: str) -> None:
    box = field(page, name)
    await box.fill(value)
    await box.press("Tab")  # el-input-number takes the value on blur


@pytest.mark.browser_zone("America/New_York")
async def test_a_tariff_is_written_with_the_form_priced_live_and_saved_as_a_new_version(
    page: Page, live_api: LiveApi, db: Database, request: pytest.FixtureRequest
) -> None:
    await seed_version_1(db, live_api)
    await login(page, live_api, "custA1")
    await expect(page.locator("[data-test=overview-cards]")).to_be_visible()
    await page.goto(f"{live_api.url}/#/tariffs")
    await page.locator(".toolbar .el-select").first.click()
    await page.get_by_role("option", name="Lot A1a").click()

    # Version 1 is listed with its effective date and loads into the form; its curve and quotes are drawn.
    table = page.locator("[data-test=tariff-versions]")
    await expect(table.locator("tbody tr")).to_have_count(1)
    await expect(table).to_contain_text("西湖标准收费")
    await expect(page.locator("[data-test=tariff-editor]")).to_contain_text("基于第1版")
    await expect(field(page, "tf-name")).to_have_value("西湖标准收费")
    curve = page.locator("[data-test=fee-curve]")
    await expect(curve).to_have_attribute("data-points", "96", timeout=AFTER_REQUEST_MS)
    await expect(page.locator("[data-test=tariff-example]")).to_have_count(4)

    # A refused draft, written in the JSON view: the server's problems by path, nothing priced, nothing saved.
    await page.get_by_role("tab", name="JSON (高级)").click()
    text = field(page, "tariff-json", "textarea")
    doc = json.loads(await text.input_value())
    day = {"name": "白天", "start": "08:00", "end": "20:00", "unit_minutes": 30, "unit_price_fen": 300}
    doc["classes"]["small"]["rule"]["periods"].append(day)
    await text.fill(json.dumps(doc, ensure_ascii=False))
    await page.click("[data-test=tariff-json-apply]")
    problems = page.locator("[data-test=tariff-problems]")
    await expect(problems).to_contain_text("小型车 · 时段:时段在 08:00 重叠", timeout=AFTER_REQUEST_MS)
    await expect(curve).to_be_hidden(timeout=AFTER_REQUEST_MS)
    await page.click("[data-test=tariff-save]")
    await expect(page.locator(".el-message--error").last).to_be_visible(timeout=AFTER_REQUEST_MS)
    assert [v.version for v in await versions(db)] == [1]

    # The form: the overlapping period removed, a name, 30 free minutes, a first hour at 5 yuan, 3 yuan per half
    # hour after, 30 yuan a day at most, large cars at twice the price and monthly passes the only exemption.
    await page.locator("[data-test=tf-period-remove]").nth(1).click()
    await expect(problems).to_be_hidden(timeout=AFTER_REQUEST_MS)
    await type_into(page, "tf-name", "西湖新收费")
    await type_into(page, "tf-period-price", "3")
    await type_into(page, "tf-free", "30")
    await page.locator("[data-test=tf-first]").click()
    await type_into(page, "tf-first-minutes", "60")
    await type_into(page, "tf-first-yuan", "5")
    await page.locator("[data-test=tf-caps]").click()
    await page.click("[data-test=tf-add-cap]")
    await type_into(page, "tf-cap", "30")
    await page.click("[data-test=tf-add-class]")
    await type_into(page, "tf-class-percent", "200")
    # Version 1 spells out the default exemptions (five kinds): all are removed and monthly passes added back.
    removers = page.locator("[data-test=tf-exempt-remove]")
    await expect(removers).to_have_count(5)
    for left in range(4, -1, -1):
        await removers.first.click()
        await expect(removers).to_have_count(left)
    await page.click("[data-test=tf-add-exempt]")
    await expect(page.locator("[data-test=tf-exempt]")).to_contain_text("月租车")
    await type_into(page, "tf-exempt-reason", "月租车免费")
    effective = field(page, "tariff-effective")
    await effective.fill("2027-01-01 00:00:00")
    await effective.press("Enter")

    # The curve and the quotes follow the form: the 2-hour example is the first hour and two half hours, with its
    # units, rate and clock times per line.
    examples = page.locator("[data-test=tariff-example]")
    await expect(examples.nth(1)).to_contain_text("¥11.00", timeout=AFTER_REQUEST_MS)
    await examples.nth(1).locator(".el-collapse-item__header").click()
    lines = examples.nth(1).locator("[data-test=quote-lines]")
    await expect(lines).to_contain_text("2 × 30分钟 @ ¥3.00")
    await expect(lines).to_contain_text("首段")
    assert re.search(r"\d\d-\d\d \d\d:\d\d–\d\d:\d\d", await lines.inner_text())
    await expect(curve).to_have_attribute("data-points", "96")
    await page.locator("[data-test=tariff-editor]").scroll_into_view_if_needed()
    await page.screenshot(path=shot_path(request, "tariff-editor"), full_page=True)

    # Saved as version 2 from the chosen date; version 1 is untouched.
    await page.click("[data-test=tariff-save]")
    await expect(page.locator(".el-message--success").last).to_contain_text("第2版", timeout=AFTER_REQUEST_MS)
    await expect(table.locator("tbody tr")).to_have_count(2)
    first, second = await versions(db)
    assert first.document == flat_tariff().model_copy(update={"name": "西湖标准收费"}).model_dump(mode="json")
    assert (second.version, second.name, second.vehicle_class) == (2, "西湖新收费", VehicleClass.SMALL)
    # The picker's "2027-01-01 00:00:00" is the lot's midnight, not the browser's (this browser is in New York).
    assert second.effective_from == datetime(2027, 1, 1, tzinfo=ZoneInfo("Asia/Shanghai"))
    saved = Tariff.model_validate(second.document)
    small = saved.classes["small"]
    assert small.rule is not None
    assert small.rule.model_dump(include={"free", "first_period", "caps"}) == {
        "free": {"minutes": 30, "mode": "charge_from_start", "first_24h_only": True},
        "first_period": {"minutes": 60, "price_fen": 500, "first_24h_only": True},
        "caps": {"basis": "rolling_24h", "daily_fen": [3000], "full_day_hours": None, "full_day_rate_period": None},
    }
    assert small.rule.model_dump()["periods"][0]["unit_price_fen"] == 300
    assert saved.classes["large"].same_as == "small"
    assert saved.classes["large"].multiplier_percent == 200
    assert saved.exempt == {"monthly": "月租车免费"}
    # The page's example is the engine's quote of what was stored.
    entry = saved.effective_from + timedelta(hours=9)
    assert quote(Stay(entry, entry + timedelta(hours=2)), saved).fee_fen == 1100


async def seed_area(db: Database, api: LiveApi) -> int:
    async with db.transaction(Scope.internal()) as s:
        lot = await s.get(Lot, api.world.ids["lot:A1a"])
        assert lot is not None
        area = Area(agent_id=lot.agent_id, customer_id=lot.customer_id, lot_id=lot.id, name="地下车库", capacity=40)
        s.add(area)
        await s.flush()
        return area.id


async def test_holiday_periods_new_energy_rules_and_an_area_tariff_are_written_with_the_form(
    page: Page, live_api: LiveApi, db: Database, request: pytest.FixtureRequest
) -> None:
    await seed_version_1(db, live_api)
    area_id = await seed_area(db, live_api)
    await login(page, live_api, "custA1")
    await expect(page.locator("[data-test=overview-cards]")).to_be_visible()
    await page.goto(f"{live_api.url}/#/tariffs")
    await page.locator(".toolbar .el-select").first.click()
    await page.get_by_role("option", name="Lot A1a").click()
    await expect(field(page, "tf-name")).to_have_value("西湖标准收费")
    curve = page.locator("[data-test=fee-curve]")
    await expect(curve).to_have_attribute("data-points", "96", timeout=AFTER_REQUEST_MS)

    # Holiday periods start as a copy of the periods; a second one overlapping it is refused in Chinese.
    await page.locator("[data-test=tf-holidays]").click()
    await expect(page.locator("input[data-test=tf-holiday-name]")).to_have_count(1)
    await page.click("[data-test=tf-add-holiday]")
    problems = page.locator("[data-test=tariff-problems]")
    await expect(problems).to_contain_text("小型车 · 节假日时段 第2条 · 名称:至少 1 个字", timeout=AFTER_REQUEST_MS)
    await page.locator("input[data-test=tf-holiday-name]").nth(1).fill("白天")
    await expect(problems).to_contain_text("小型车 · 节假日时段:时段在 08:00 重叠", timeout=AFTER_REQUEST_MS)
    await expect(problems).not_to_contain_text("overlap")
    await page.screenshot(path=shot_path(request, "tariff-problems"), full_page=True)
    await page.locator("[data-test=tf-holiday-remove]").nth(1).click()
    await expect(problems).to_be_hidden(timeout=AFTER_REQUEST_MS)
    # Holidays: 1 yuan a half hour, Sundays only, and one public holiday and one make-up workday picked.
    await type_into(page, "tf-holiday-price", "1")
    await page.locator("[data-test=tf-weekend]").get_by_text("周六").click()
    for picker, day in (("tf-calendar-holidays", "12"), ("tf-calendar-workdays", "20")):
        await page.locator(f"[data-test={picker}] input").click()
        panel = page.locator(".el-picker-panel:visible")
        await panel.locator("td.available", has_text=re.compile(f"^{day}$")).first.click()
        await panel.locator(
            ".el-picker-panel__footer .el-button--primary, .el-picker-panel__footer button"
        ).last.click()
        await expect(panel).to_be_hidden()

    # New-energy vehicles (green plates only): 60 extra free minutes and 20% off.
    await page.locator("[data-test=tf-new-energy]").click()
    await type_into(page, "tf-ne-free", "60")
    await type_into(page, "tf-ne-discount", "20")
    colors = page.locator("[data-test=tf-ne-colors]")
    await expect(colors).to_contain_text("黄绿牌")
    await colors.locator(".el-tag", has_text="黄绿牌").locator(".el-tag__close").click()
    await expect(colors).not_to_contain_text("黄绿牌")
    await expect(curve).to_have_attribute("data-points", "96", timeout=AFTER_REQUEST_MS)
    await page.locator("[data-test=tariff-editor]").scroll_into_view_if_needed()
    await page.screenshot(path=shot_path(request, "tariff-holidays"), full_page=True)

    # The JSON view shows what the form wrote; saved as version 2 of the whole lot.
    await page.get_by_role("tab", name="JSON (高级)").click()
    doc = json.loads(await field(page, "tariff-json", "textarea").input_value())
    assert doc["new_energy"] == {"extra_free_minutes": 60, "discount_percent": 20, "plate_colors": ["green"]}
    await page.get_by_role("tab", name="表单").click()
    await page.click("[data-test=tariff-save]")
    await expect(page.locator(".el-message--success").last).to_contain_text("第2版", timeout=AFTER_REQUEST_MS)
    second = (await versions(db))[1]
    saved = Tariff.model_validate(second.document)
    rule = saved.classes["small"].rule
    assert isinstance(rule, TimedRule)
    assert [(p.name, p.unit_minutes, p.unit_price_fen) for p in rule.holiday_periods or []] == [("全天", 30, 100)]
    assert saved.calendar.weekend_days == [6]
    assert [d.day for d in saved.calendar.holidays] == [12]
    assert [d.day for d in saved.calendar.workdays] == [20]
    assert saved.new_energy == NewEnergyOverlay(
        extra_free_minutes=60, discount_percent=20, plate_colors=[PlateColor.GREEN]
    )
    assert second.area_id is None

    # The area's tariff: it has no version yet, so the editor starts from the lot's; 3 yuan a half hour there.
    await page.locator("[data-test=tariff-area]").click()
    await page.get_by_role("option", name="区域:地下车库").click()
    await expect(page.locator("[data-test=tariff-versions] tbody tr")).to_have_count(0)
    await expect(page.locator("[data-test=tariff-editor]")).to_contain_text("新规则")
    await expect(field(page, "tf-holiday-price")).to_have_value("1.00")
    await type_into(page, "tf-name", "地库收费")
    await type_into(page, "tf-period-price", "3")
    await page.click("[data-test=tariff-save]")
    await expect(page.locator(".el-message--success").last).to_contain_text("第1版", timeout=AFTER_REQUEST_MS)
    await expect(page.locator("[data-test=tariff-versions] tbody tr")).to_have_count(1)
    [area_version] = [v for v in await versions(db) if v.area_id is not None]
    assert (area_version.area_id, area_version.version, area_version.name) == (area_id, 1, "地库收费")
    area_rule = Tariff.model_validate(area_version.document).classes["small"].rule
    assert isinstance(area_rule, TimedRule)
    assert area_rule.periods[0].unit_price_fen == 300
    assert [v.version for v in await versions(db) if v.area_id is None] == [1, 2]
