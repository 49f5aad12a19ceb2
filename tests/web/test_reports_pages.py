"""The report pages in chromium against the real API: customer A1's operator opens 车流统计, 高峰时段, 收费渠道统计,
临时/长期收费分析 and 日报表 over the hand-counted data set of tests/reports/seed.py (three closed local days of lot
A1a, and lot B1a of another customer, never shown). Each table equals what the GraphQL query answers for the same
operator and the hand-counted figures; a CSV downloaded through the page's button holds the same. Screenshots go to
var/test-artifacts/web/."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import datetime, timedelta
from typing import Any

import pytest
from playwright.async_api import Page, expect

from parking.common.database import Database
from tests.reports.seed import SHANGHAI, Days, seed_reports
from tests.web.conftest import LiveApi, login, shot_path

pytestmark = pytest.mark.browser

WAIT_MS = 15_000
ROWS = """el => [...el.querySelectorAll('.el-table__body-wrapper tbody tr')]
  .map(tr => [...tr.querySelectorAll('td')].map(td => td.innerText.trim()))"""
TOTALS = """el => [...el.querySelectorAll('.el-table__footer-wrapper td')].map(td => td.innerText.trim())"""
FIGURES = (
    "entries exits stayMinutes averageStayMinutes payments paidFen refunds refundedFen netFen discountFen couponFen"
    " waivedFen"
)
MONEY = ("payments", "paidFen", "refunds", "refundedFen", "netFen", "discountFen", "couponFen", "waivedFen")


def yuan(fen: int) -> str:
    return f"{fen / 100:.2f}"


def shown(figures: dict[str, Any], keys: tuple[str, ...]) -> list[str]:
    """Figures as the table shows them: money keys (…Fen) in yuan, a missing average as a dash."""
    return ["-" if figures[k] is None else yuan(figures[k]) if k.endswith("Fen") else str(figures[k]) for k in keys]


async def table_rows(tab: Page, expected: list[list[str]]) -> list[list[str]]:
    """The report table's rows once they are the expected ones (the page loads after a click), else as they are."""
    table = tab.locator("[data-test=report-table]")
    rows: list[list[str]] = []
    for _ in range(WAIT_MS // 250):
        rows = await table.evaluate(ROWS)
        if rows == expected:
            break
        await asyncio.sleep(0.25)
    return rows


async def totals(tab: Page) -> list[str]:
    return list(await tab.locator("[data-test=report-table]").evaluate(TOTALS))


async def download_csv(tab: Page) -> list[list[str]]:
    async with tab.expect_download(timeout=WAIT_MS) as download:
        await tab.click("[data-test=report-csv]")
    path = await (await download.value).path()
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


async def open_report(tab: Page, title: str) -> None:
    await tab.locator(".el-sub-menu__title", has_text="报表").click()
    await tab.get_by_role("menuitem", name=title, exact=True).click()
    await expect(tab.locator("[data-test=report-csv]")).to_be_visible()


def query(api: LiveApi, field: str, args: str, selection: str, variables: dict[str, object]) -> list[dict[str, Any]]:
    body = api.gql(
        f"query ($from: Date!, $to: Date!) {{ {field}(from: $from, to: $to{args}) {{ {selection} }} }}",
        variables,
        token=api.world.tokens["custA1"],
    )
    assert body.get("errors") is None, body
    data = body["data"]
    assert isinstance(data, dict)
    return list(data[field])


async def test_each_report_page_shows_the_apis_figures_and_downloads_them(
    page: Page, live_api: LiveApi, db: Database, request: pytest.FixtureRequest
) -> None:
    # given three closed local days of lot A1a (D0..D2 = 6..4 days ago: inside the pages' default last 7 days)
    today = datetime.now(SHANGHAI).date()
    days = Days(today - timedelta(days=6))
    await seed_reports(db, live_api.world, days)
    default: dict[str, object] = {"from": (today - timedelta(days=6)).isoformat(), "to": today.isoformat()}
    d0, d1, d2 = (days.day(n).isoformat() for n in range(3))

    # when customer A1's operator opens 车流统计 (by lot)
    await login(page, live_api, "custA1")
    await expect(page.locator("[data-test=overview-cards]")).to_be_visible()
    await open_report(page, "车流统计")
    flow = query(live_api, "flowReport", ", by: LOT", f"lotName turnover figures {{ {FIGURES} }}", default)
    keys = ("entries", "exits", "stayMinutes", "averageStayMinutes")
    expected = [[r["lotName"], f"{r['turnover']:.2f}", *shown(r["figures"], keys)] for r in flow]
    # S1..S5 entered, S1..S4 left: 120 + 570 + 720 + 30 minutes over 4 exits; lot B1a is another customer's
    assert [row[0] for row in expected] == ["Lot A1a"]
    assert expected[0][2:] == ["5", "4", "1440", "360"]
    assert await table_rows(page, expected) == expected
    await expect(page.locator(".report-chart [data-test=report-chart] canvas")).to_have_count(1)
    await page.screenshot(path=shot_path(request, "flow-by-lot"), full_page=True)

    # by vehicle class: the API's rows, the hand-counted averages, and the same in the CSV
    await page.locator("[data-test=flow-by]").get_by_text("按车型").click()
    await page.click("[data-test=search]")
    flow = query(live_api, "flowReport", ", by: VEHICLE_CLASS", f"vehicleClass figures {{ {FIGURES} }}", default)
    labels = {"SMALL": "小型车", "LARGE": "大型车"}
    expected = [[labels[r["vehicleClass"]], *shown(r["figures"], keys)] for r in flow]
    assert expected == [["大型车", "1", "1", "720", "720"], ["小型车", "4", "3", "720", "240"]]
    assert await table_rows(page, expected) == expected
    assert await totals(page) == ["合计", "5", "4", "1440", "360"]
    sheet = await download_csv(page)
    assert sheet[0] == ["车型", "入场车次", "出场车次", "停车总时长（分钟）", "平均停车时长（分钟）"]
    assert sheet[1:] == expected

    # 高峰时段: the busiest hour is 08:00 (S1 and S5 in, S3 out); the hours with traffic are listed busiest first
    await open_report(page, "高峰时段")
    hours = query(live_api, "peakHoursReport", "", "hour entries exits", default)
    busy = [r for r in hours if r["entries"] + r["exits"]]
    expected = [[f"{r['hour']:02d}:00-{r['hour'] + 1:02d}:00", str(r["entries"]), str(r["exits"])] for r in busy]
    assert expected[0] == ["08:00-09:00", "2", "1"]
    assert await table_rows(page, expected) == expected
    await expect(page.locator("[data-test=busiest-hour]")).to_contain_text(
        "最繁忙时段: 08:00-09:00 · 入场车次 2 · 出场车次 1"
    )

    # 收费渠道统计: Alipay 20 yuan for S3, the renewal's 200 in cash, WeChat 10 for S1
    await open_report(page, "收费渠道统计")
    channels = query(live_api, "channelFeeReport", "", f"channel figures {{ {FIGURES} }}", default)
    names = {"ALIPAY_QR": "支付宝扫码", "CASH": "现金", "WECHAT_JSAPI": "微信公众号"}
    expected = [[names[r["channel"]], *shown(r["figures"], MONEY)] for r in channels]
    assert [row[:3] for row in expected] == [
        ["支付宝扫码", "1", "20.00"],
        ["现金", "1", "200.00"],
        ["微信公众号", "1", "10.00"],
    ]
    assert await table_rows(page, expected) == expected
    assert (await totals(page))[:3] == ["合计", "3", "230.00"]
    await page.screenshot(path=shot_path(request, "channels"), full_page=True)

    # 临时/长期收费分析: temporary stays paid 30 yuan, the pass renewal 200, no coupon packs
    await open_report(page, "临时/长期收费分析")
    kinds = query(live_api, "feeKindReport", "", f"kind figures {{ {FIGURES} }}", default)
    names = {"TEMPORARY": "临时车", "LONG_TERM": "固定车（月租/储值等）", "COUPON_PACK": "商家购券"}
    expected = [[names[r["kind"]], *shown(r["figures"], MONEY)] for r in kinds]
    assert {row[0]: row[2] for row in expected} == {
        "临时车": "30.00",
        "固定车（月租/储值等）": "200.00",
        "商家购券": "0.00",
    }
    assert await table_rows(page, expected) == expected

    # 日报表 by lot: D1 holds S3's 20 yuan, the renewal's 200 and S4's waived 5
    await open_report(page, "日报表")
    daily = query(live_api, "dailyReport", ", byLane: false", f"day lotName laneName figures {{ {FIGURES} }}", default)
    day_keys = ("entries", "exits", *MONEY)
    expected = [[r["day"], r["lotName"], *shown(r["figures"], day_keys)] for r in daily]
    assert [(row[0], row[2], row[5], row[-1]) for row in expected] == [
        (d0, "3", "10.00", "0.00"),
        (d1, "1", "220.00", "5.00"),
        (d2, "1", "0.00", "0.00"),
    ]
    assert await table_rows(page, expected) == expected
    assert (await totals(page))[:6] == ["合计", "", "5", "4", "3", "230.00"]

    # by lane, on the page and in the CSV: the renewal is on no lane
    await page.locator("[data-test=daily-by-lane]").click()
    await page.click("[data-test=search]")
    daily = query(live_api, "dailyReport", ", byLane: true", f"day lotName laneName figures {{ {FIGURES} }}", default)
    expected = [[r["day"], r["lotName"], r["laneName"] or "（无车道）", *shown(r["figures"], day_keys)] for r in daily]
    assert await table_rows(page, expected) == expected
    await page.screenshot(path=shot_path(request, "daily-by-lane"), full_page=True)
    sheet = await download_csv(page)
    assert sheet[0][:5] == ["日期", "车场", "车道", "入场车次", "出场车次"]
    paid = sheet[0].index("实收金额（元）")
    lanes = {(r[0], r[2]): r[paid] for r in sheet[1:]}
    assert lanes[(d1, "Out A1a")] == "20.00"
    assert lanes[(d1, "（无车道）")] == "200.00"
    assert {(r[0], r[2]): r[6] for r in expected} == lanes
    # and the same report as an Excel workbook (a zip of XML parts), named as the API names it
    async with page.expect_download(timeout=WAIT_MS) as download:
        await page.click("[data-test=report-xlsx]")
    workbook = await download.value
    assert workbook.suggested_filename == f"daily-{default['from']}-{default['to']}.xlsx"
    assert (await workbook.path()).read_bytes().startswith(b"PK")


async def test_reports_say_why_they_are_empty_and_refuse_a_range_over_92_days(
    page: Page, live_api: LiveApi, request: pytest.FixtureRequest
) -> None:
    # given the test world: lots and no traffic or payments
    await login(page, live_api, "custA1")
    await expect(page.locator("[data-test=overview-cards]")).to_be_visible()
    await open_report(page, "高峰时段")
    await expect(page.locator(".report-chart [data-test=chart-empty]")).to_contain_text(
        "所选日期内没有进出记录", timeout=WAIT_MS
    )
    await expect(page.locator("[data-test=report-table]")).to_contain_text("所选日期内没有数据")
    # a range of 93 days is refused in Chinese before anything is asked of the API
    picker = page.get_by_role("combobox", name="日期范围（车场当地日期）")
    await picker.first.fill("2026-01-01")
    await picker.last.fill("2026-04-03")
    await picker.last.press("Enter")
    await page.click("[data-test=search]")
    await expect(page.locator("[data-test=report-error]")).to_have_text("日期范围最多 92 天")
    await page.screenshot(path=shot_path(request, "range-too-long"), full_page=True)
