"""The report pages in chromium against the real API: customer A1's operator opens 车流统计, 高峰时段, 收费渠道统计,
临时/长期收费分析 and 日报表 over the hand-counted data set of tests/reports/seed.py (three closed local days of lot
A1a, and lot B1a of another customer, never shown), and the detail reports 收费明细, 续费明细 and 交接班 over the
same days with tests/reports/details_seed.py and two shifts. Each table equals what the GraphQL query answers for
the same operator and the hand-counted figures; a CSV downloaded through the page's button holds the same.
Screenshots go to var/test-artifacts/web/."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from playwright.async_api import Page, Route, expect

from parking.common.database import Database
from parking.common.scope import Scope
from parking.reports.shift_models import CashierShift
from parking.tenancy.models import Lot
from tests.reports.details_seed import seed_details
from tests.reports.invoices_seed import seed_invoices
from tests.reports.seed import SHANGHAI, Days, seed_reports
from tests.reports.test_daily_groupings import booth, regions_and_booths
from tests.reports.test_flow_groupings import areas_and_regions
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
    # The group stays open once a report is shown: a second click on its title would fold it away.
    item = tab.get_by_role("menuitem", name=title, exact=True)
    if not await item.is_visible():
        await tab.locator(".el-sub-menu__title", has_text="报表").click()
    await item.click()
    await expect(tab.locator("h1.title")).to_have_text(title)
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


# The dashboard's words for the enum values the detail seed holds (src/i18n.ts).
CHANNELS = {"ALIPAY_QR": "支付宝扫码", "CASH": "现金", "WECHAT_JSAPI": "微信公众号"}
RELEASES = {"AUTOMATIC": "自动放行", "SOFTWARE": "软件开闸", "FREE": "免费放行"}
PURPOSES = {"PASS_RENEWAL": "月卡续费", "PASS_PURCHASE": "月卡购买"}
FEE_ROW = (
    "plate lotName entryAt exitAt laneName feeFen discountFen couponFen coupons waivedFen paidFen channels"
    " releaseMethod operatorName"
)
RENEWAL_ROW = "plate lotName purpose productName periodFrom periodTo amountFen refundedFen channel operatorName paidAt"
SHIFT_ROW = (
    "lotName laneName operatorName openedAt closedAt cashRecordedFen cashPayments countedCashFen differenceFen"
    " freeReleases softwareReleases note"
)


def local(raw: str | None) -> str:
    """An instant as the dashboard shows it: the lot's (Shanghai) wall time to the second."""
    return "" if raw is None else datetime.fromisoformat(raw).astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")


def detail(api: LiveApi, field: str, selection: str, variables: dict[str, object]) -> dict[str, Any]:
    """One page of every row of a detail report (first: 100) as customer A1's operator reads it."""
    body = api.gql(
        f"query ($from: Date!, $to: Date!) {{ {field}(from: $from, to: $to, first: 100) {{ {selection} }} }}",
        variables,
        token=api.world.tokens["custA1"],
    )
    assert body.get("errors") is None, body
    data = body["data"]
    assert isinstance(data, dict)
    result: dict[str, Any] = data[field]
    assert result["pageInfo"]["hasNextPage"] is False
    return result


async def pages_of_four(route: Route) -> None:
    """Asks the fee details in pages of 4 instead of the page's 50, so that six rows need "加载更多"."""
    parts = urlsplit(route.request.url)
    params = dict(parse_qsl(parts.query))
    if params.get("operationName") != "FeeDetailReport":
        await route.continue_()
        return
    variables = {**json.loads(params["variables"]), "first": 4}
    await route.continue_(url=parts._replace(query=urlencode({**params, "variables": json.dumps(variables)})).geturl())


async def seed_shifts(db: Database, live_api: LiveApi, days: Days, lanes: dict[str, int]) -> None:
    """The cashier's shift at the exit lane on D1 11:30-14:00, counted 6 yuan: S8's 7 yuan cash (12:59) and S7's
    manual release (12:00) are theirs, so it is 1 yuan short; the manager's shift on D2 09:00-09:30 took nothing and
    counted nothing: even."""
    ids = live_api.world.ids
    async with db.transaction(Scope.internal()) as s:
        lot = await s.get(Lot, ids["lot:A1a"])
        assert lot is not None
        owned = {"agent_id": lot.agent_id, "customer_id": lot.customer_id, "lot_id": lot.id}
        s.add(
            CashierShift(
                **owned,
                operator_id=ids["operator:cashier"],
                lane_id=lanes["out"],
                opened_at=days.at(1, 11, 30),
                closed_at=days.at(1, 14),
                counted_cash_fen=600,
                closed_by_id=ids["operator:cashier"],
                note="交班",
            )
        )
        s.add(
            CashierShift(
                **owned,
                operator_id=ids["operator:custA1"],
                opened_at=days.at(2, 9),
                closed_at=days.at(2, 9, 30),
                counted_cash_fen=0,
                closed_by_id=ids["operator:custA1"],
            )
        )


async def test_each_detail_report_page_shows_the_apis_rows_page_by_page(
    page: Page, live_api: LiveApi, db: Database, request: pytest.FixtureRequest
) -> None:
    # given the hand-counted days with the detail rows (D0..D2 = 6..4 days ago) and two closed shifts
    today = datetime.now(SHANGHAI).date()
    days = Days(today - timedelta(days=6))
    lanes = await seed_reports(db, live_api.world, days)
    await seed_details(db, live_api.world, days, lanes)
    await seed_shifts(db, live_api, days, lanes)
    default: dict[str, object] = {"from": (today - timedelta(days=6)).isoformat(), "to": today.isoformat()}
    await page.route("**/graphql?*", pages_of_four)

    # 收费明细: six exits, latest first, four on the first page and two more after "加载更多"
    await login(page, live_api, "custA1")
    await expect(page.locator("[data-test=overview-cards]")).to_be_visible()
    await open_report(page, "收费明细")
    fees = detail(live_api, "feeDetailReport", f"items {{ {FEE_ROW} }} pageInfo {{ hasNextPage }}", default)["items"]
    expected = [
        [
            local(r["exitAt"]),
            r["lotName"],
            r["plate"],
            local(r["entryAt"]),
            r["laneName"] or "（无车道）",
            yuan(r["feeFen"]),
            yuan(r["discountFen"]),
            yuan(r["couponFen"]),
            " ".join(r["coupons"]),
            yuan(r["waivedFen"]),
            yuan(r["paidFen"]),
            "、".join(CHANNELS[c] for c in r["channels"]),
            RELEASES[r["releaseMethod"]] if r["releaseMethod"] else "",
            r["operatorName"],
        ]
        for r in fees
    ]
    assert [row[2] for row in expected] == ["沪AS8", "沪AS7", "沪AS4", "沪AS3", "沪AS2", "沪AS1"]
    d1 = days.day(1).isoformat()
    assert expected[3][5:] == ["25.00", "5.00", "3.00", "CP-S3", "0.00", "20.00", "支付宝扫码", "自动放行", ""]
    assert expected[1][-2:] == ["软件开闸", "收费员小王"]
    assert expected[0][:4] == [f"{d1} 13:00:00", "Lot A1a", "沪AS8", f"{d1} 12:00:00"]
    assert await table_rows(page, expected[:4]) == expected[:4]
    await page.click("[data-test=report-more]")
    assert await table_rows(page, expected) == expected
    await expect(page.locator("[data-test=report-more]")).to_have_count(0)
    await page.screenshot(path=shot_path(request, "fee-details"), full_page=True)
    # the CSV holds every row of the range in the same order and amounts
    sheet = await download_csv(page)
    assert sheet[0][:3] == ["车场", "车牌号", "入场时间"]
    assert [(r[1], r[5], r[10]) for r in sheet[1:]] == [(row[2], row[5], row[10]) for row in expected]

    # 续费明细: the desk renewal and the seed's, with the total of the range
    await open_report(page, "续费明细")
    renewals = detail(
        live_api,
        "renewalDetailReport",
        f"items {{ {RENEWAL_ROW} }} pageInfo {{ hasNextPage }} total {{ orders amountFen refundedFen netFen }}",
        default,
    )
    expected = [
        [
            local(r["paidAt"]),
            r["lotName"],
            r["plate"],
            PURPOSES[r["purpose"]],
            r["productName"],
            local(r["periodFrom"]),
            local(r["periodTo"]),
            yuan(r["amountFen"]),
            yuan(r["refundedFen"]),
            CHANNELS[r["channel"]],
            r["operatorName"],
        ]
        for r in renewals["items"]
    ]
    assert [(row[0], row[2], row[7], row[-1]) for row in expected] == [
        (f"{d1} 15:00:00", "京A12345", "300.00", "收费员小王"),
        (f"{d1} 10:00:00", "", "200.00", ""),
    ]
    assert await table_rows(page, expected) == expected
    total = renewals["total"]
    assert total == {"orders": 2, "amountFen": 50000, "refundedFen": 0, "netFen": 50000}
    await expect(page.locator("[data-test=total-orders]")).to_have_text("2")
    await expect(page.locator("[data-test=total-amount]")).to_have_text("500.00")
    await expect(page.locator("[data-test=total-net]")).to_have_text("500.00")
    await expect(page.locator("[data-test=report-more]")).to_have_count(0)

    # 交接班: the cashier's shift 1 yuan short (highlighted), the manager's even
    await open_report(page, "交接班")
    shifts = detail(live_api, "shifts", f"items {{ {SHIFT_ROW} }} pageInfo {{ hasNextPage }}", default)["items"]

    def difference(fen: int | None) -> str:
        return "-" if fen is None else f"+{yuan(fen)}" if fen > 0 else yuan(fen)

    expected = [
        [
            r["lotName"],
            r["laneName"] or "（无车道）",
            r["operatorName"],
            local(r["openedAt"]),
            local(r["closedAt"]) if r["closedAt"] else "（未交班）",
            str(r["cashPayments"]),
            yuan(r["cashRecordedFen"]),
            "-" if r["countedCashFen"] is None else yuan(r["countedCashFen"]),
            difference(r["differenceFen"]),
            str(r["freeReleases"]),
            str(r["softwareReleases"]),
            r["note"],
        ]
        for r in shifts
    ]
    assert [row[1:3] + row[5:11] for row in expected] == [
        ["（无车道）", "custA1", "0", "0.00", "0.00", "0.00", "0", "0"],
        ["Out A1a", "收费员小王", "1", "7.00", "6.00", "-1.00", "0", "1"],
    ]
    assert await table_rows(page, expected) == expected
    short = page.locator("[data-test=report-table] .el-tag[data-test=difference]")
    await expect(short).to_have_count(1)
    await expect(short).to_have_text("-1.00")
    await expect(short).to_have_class(re.compile(r"el-tag--danger"))
    await page.screenshot(path=shot_path(request, "shifts"), full_page=True)


INVOICE_ROW = "lotName buyerKind buyerName taxNumber amountFen taxFen status issuedAt reversedAt number payments"
INVOICE_TOTAL = "issued issuedFen issuedTaxFen reversed reversedFen reversedTaxFen netFen netTaxFen"
BUYERS = {"PERSONAL": "个人", "COMPANY": "单位"}
INVOICE_STATUSES = {"ISSUED": "已开票", "REVERSED": "已红冲"}


async def test_invoice_details_page_shows_the_apis_rows_and_totals(
    page: Page, live_api: LiveApi, db: Database, request: pytest.FixtureRequest
) -> None:
    # given the hand-counted invoices (tests/reports/invoices_seed.py) on D0..D2 = 6..4 days ago
    today = datetime.now(SHANGHAI).date()
    days = Days(today - timedelta(days=6))
    await seed_reports(db, live_api.world, days)
    await seed_invoices(db, live_api.world, days)
    default: dict[str, object] = {"from": (today - timedelta(days=6)).isoformat(), "to": today.isoformat()}

    # when customer A1's operator opens 电子发票明细
    await login(page, live_api, "custA1")
    await expect(page.locator("[data-test=overview-cards]")).to_be_visible()
    await open_report(page, "电子发票明细")
    answer = detail(
        live_api,
        "invoiceDetailReport",
        f"items {{ {INVOICE_ROW} }} pageInfo {{ hasNextPage }} total {{ {INVOICE_TOTAL} }}",
        default,
    )
    expected = [
        [
            local(r["issuedAt"]),
            r["lotName"],
            r["number"],
            BUYERS[r["buyerKind"]],
            r["buyerName"],
            r["taxNumber"],
            yuan(r["amountFen"]),
            yuan(r["taxFen"]),
            INVOICE_STATUSES[r["status"]],
            local(r["reversedAt"]),
            str(r["payments"]),
        ]
        for r in answer["items"]
    ]
    # then the page's rows are the API's: latest issue first, I4 issued before the range and reversed in it;
    # customer B1's invoice and the requested one are not there
    assert [(row[2], row[5], row[6], row[7], row[8]) for row in expected] == [
        ("26010005", "", "3.33", "0.27", "已开票"),
        ("26010002", "9144**********DE12", "220.00", "12.45", "已红冲"),
        ("26010001", "", "10.00", "0.57", "已开票"),
        ("26009999", "9144**********7890", "5.00", "0.28", "已红冲"),
    ]
    assert await table_rows(page, expected) == expected
    assert answer["total"]["netFen"] == 833
    await expect(page.locator("[data-test=total-issued]")).to_have_text("3")
    await expect(page.locator("[data-test=total-issued-amount]")).to_have_text("233.33")
    await expect(page.locator("[data-test=total-reversed-amount]")).to_have_text("225.00")
    await expect(page.locator("[data-test=total-net]")).to_have_text("8.33")
    await expect(page.locator("[data-test=total-net-tax]")).to_have_text("0.56")
    await expect(page.locator(".report-chart [data-test=report-chart] canvas")).to_have_count(1)
    await page.screenshot(path=shot_path(request, "invoice-details"), full_page=True)
    # and the CSV holds the same rows, then the totals
    sheet = await download_csv(page)
    assert sheet[0][:3] == ["开票时间", "车场", "发票号码"]
    assert [r[2] for r in sheet[1:5]] == [row[2] for row in expected]
    assert [r[0] for r in sheet[5:]] == ["开票合计", "红冲合计", "净开票额"]


async def test_daily_report_page_by_region_and_booth(
    page: Page, live_api: LiveApi, db: Database, request: pytest.FixtureRequest
) -> None:
    # given the hand-counted days, lots A1a and A1b in 南山区 (A1b with one stay on D0), A1a's lanes in 东门岗亭
    today = datetime.now(SHANGHAI).date()
    days = Days(today - timedelta(days=6))
    await seed_reports(db, live_api.world, days)
    await regions_and_booths(db, live_api.world, days)
    await booth(db, live_api.world, "东门岗亭")
    default: dict[str, object] = {"from": (today - timedelta(days=6)).isoformat(), "to": today.isoformat()}
    day_keys = ("entries", "exits", *MONEY)

    await login(page, live_api, "custA1")
    await expect(page.locator("[data-test=overview-cards]")).to_be_visible()
    await open_report(page, "日报表")
    # by region: the region's lots summed per day, as the API answers
    await page.locator("[data-test=daily-by]").get_by_text("按区域").click()
    daily = query(live_api, "dailyReport", ", by: REGION", f"day region figures {{ {FIGURES} }}", default)
    expected = [[r["day"], r["region"] or "（未设区域）", *shown(r["figures"], day_keys)] for r in daily]
    assert expected[0][1:4] == ["南山区", "4", "3"]
    assert await table_rows(page, expected) == expected
    await page.screenshot(path=shot_path(request, "daily-by-region"), full_page=True)
    sheet = await download_csv(page)
    assert sheet[0][:2] == ["日期", "区域"]
    assert [r[1:4] for r in sheet[1:]] == [row[1:4] for row in expected]
    # by booth: A1a's two lanes together, A1b's lane its own booth, the renewal on no lane
    await page.locator("[data-test=daily-by]").get_by_text("按岗亭").click()
    daily = query(live_api, "dailyReport", ", by: BOOTH", f"day lotName booth figures {{ {FIGURES} }}", default)
    expected = [[r["day"], r["lotName"], r["booth"] or "（无车道）", *shown(r["figures"], day_keys)] for r in daily]
    assert {row[2] for row in expected} == {"东门岗亭", "In A1b", "（无车道）"}
    assert await table_rows(page, expected) == expected


def turnover(value: float | None) -> str:
    """A turnover as the flow table shows it: two places, a dash where the spaces are not known."""
    return "-" if value is None else f"{value:.2f}"


async def test_flow_report_page_by_area_and_region(
    page: Page, live_api: LiveApi, db: Database, request: pytest.FixtureRequest
) -> None:
    # given lot A1a's entry lane in area 东区 (50 spaces) and its exit lane in 西区 (20); A1b's lane in no area;
    # A1a (and B1a, another customer's) in 南山区, A1b in 福田区
    today = datetime.now(SHANGHAI).date()
    days = Days(today - timedelta(days=6))
    lanes = await seed_reports(db, live_api.world, days)
    await areas_and_regions(db, live_api.world, days, lanes)
    default: dict[str, object] = {"from": (today - timedelta(days=6)).isoformat(), "to": today.isoformat()}
    keys = ("entries", "exits", "stayMinutes", "averageStayMinutes")

    await login(page, live_api, "custA1")
    await expect(page.locator("[data-test=overview-cards]")).to_be_visible()
    await open_report(page, "车流统计")
    # by area (分区): each area's lanes summed, A1b's lane as its lot's outer zone, with no turnover
    await page.locator("[data-test=flow-by]").get_by_text("按分区").click()
    flow = query(
        live_api, "flowReport", ", by: AREA", f"lotName areaId areaName turnover figures {{ {FIGURES} }}", default
    )
    expected = [
        [
            f"{r['lotName']} · {r['areaName'] if r['areaId'] else '外场（未分区）'}",
            turnover(r["turnover"]),
            *shown(r["figures"], keys),
        ]
        for r in flow
    ]
    # 5 entries over 50 spaces and 7 days; 4 exits over 1440 minutes; A1b's stay of 60 minutes
    assert expected == [
        ["Lot A1a · 东区", "0.01", "5", "0", "0", "-"],
        ["Lot A1a · 西区", "0.00", "0", "4", "1440", "360"],
        ["Lot A1b · 外场（未分区）", "-", "1", "1", "60", "60"],
    ]
    assert await table_rows(page, expected) == expected
    await page.screenshot(path=shot_path(request, "flow-by-area"), full_page=True)
    sheet = await download_csv(page)
    assert sheet[0][:2] == ["车场", "分区"]
    assert [r[1:6] for r in sheet[1:]] == [
        ["东区", "5", "0", "0", ""],
        ["西区", "0", "4", "1440", "360"],
        ["外场（未分区）", "1", "1", "60", "60"],
    ]
    # by region (区域): customer A1's lots of each region; B1a's stay in 南山区 is not counted
    await page.locator("[data-test=flow-by]").get_by_text("按区域").click()
    flow = query(live_api, "flowReport", ", by: REGION", f"region turnover figures {{ {FIGURES} }}", default)
    expected = [[r["region"] or "（未设区域）", turnover(r["turnover"]), *shown(r["figures"], keys)] for r in flow]
    assert expected == [["南山区", "0.01", "5", "4", "1440", "360"], ["福田区", "0.00", "1", "1", "60", "60"]]
    assert await table_rows(page, expected) == expected
    await page.screenshot(path=shot_path(request, "flow-by-region"), full_page=True)
    sheet = await download_csv(page)
    assert sheet[0][0] == "区域"
    assert [r[:5] for r in sheet[1:]] == [["南山区", "5", "4", "1440", "360"], ["福田区", "1", "1", "60", "60"]]
