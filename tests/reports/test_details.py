"""The detail reports over HTTP: fee details (收费明细) and renewal details (续费明细) page by page in the caller's
scope, with the figures counted by hand in ``seed`` and ``details_seed``, and as CSV/XLSX downloads."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import select

from parking.common.database import Database
from parking.common.scope import Scope
from parking.payments.models import OrderStatus, PaymentChannel, PaymentOrder, PaymentPurpose
from parking.tenancy.models import Lot
from parking.vehicles.models import PassProduct
from tests.conftest import GraphQL
from tests.factories import World, build_world
from tests.query_counts.counting import statements
from tests.reports.details_seed import seed_details
from tests.reports.seed import SHANGHAI, Days, seed_reports
from tests.reports.test_graphql_and_exports import _xlsx_strings

FEES = """query ($from: Date!, $to: Date!, $first: Int!, $after: String) {
  feeDetailReport(from: $from, to: $to, first: $first, after: $after) {
    items { plate lotName laneName feeFen discountFen couponFen coupons waivedFen paidFen channels releaseMethod
      operatorName entryAt exitAt }
    pageInfo { hasNextPage endCursor }
  }
}"""
RENEWALS = """query ($from: Date!, $to: Date!) {
  renewalDetailReport(from: $from, to: $to) {
    items { plate purpose productName periodFrom periodTo amountFen channel operatorName paidAt }
    pageInfo { hasNextPage }
    total { orders amountFen refundedFen netFen }
  }
}"""


async def _seeded(db: Database) -> tuple[World, Days, dict[str, datetime]]:
    # Days that are over on the wall clock the server reads: D2 is the day before yesterday.
    days = Days(datetime.now(SHANGHAI).date() - timedelta(days=4))
    world = await build_world(db)
    lanes = await seed_reports(db, world, days)
    ends = await seed_details(db, world, days, lanes)
    return world, days, ends


def _range(days: Days) -> dict[str, Any]:
    return {"from": days.day(0).isoformat(), "to": days.day(2).isoformat()}


def _at(raw: str) -> datetime:
    return datetime.fromisoformat(raw)


async def test_fee_details_page_by_page_for_a_customer(db: Database, gql: GraphQL) -> None:
    world, days, _ = await _seeded(db)
    token = world.tokens["custA1"]
    first = await gql(FEES, {**_range(days), "first": 4}, token=token)
    assert first.get("errors") is None, first
    page = first["data"]["feeDetailReport"]
    assert page["pageInfo"]["hasNextPage"] is True
    second = await gql(FEES, {**_range(days), "first": 4, "after": page["pageInfo"]["endCursor"]}, token=token)
    assert second.get("errors") is None, second
    assert second["data"]["feeDetailReport"]["pageInfo"] == {"hasNextPage": False, "endCursor": _cursor(second)}
    rows = page["items"] + second["data"]["feeDetailReport"]["items"]
    # Latest exit first; S5 is still inside, its inner stay is part of it, B1 is another customer's.
    assert [r["plate"] for r in rows] == ["沪AS8", "沪AS7", "沪AS4", "沪AS3", "沪AS2", "沪AS1"]
    by_plate = {r["plate"]: r for r in rows}

    def money(plate: str) -> tuple[int, ...]:
        r = by_plate[plate]
        return (r["feeFen"], r["discountFen"], r["couponFen"], r["waivedFen"], r["paidFen"])

    assert money("沪AS3") == (2500, 500, 300, 0, 2000)
    assert (by_plate["沪AS3"]["coupons"], by_plate["沪AS3"]["channels"]) == (["CP-S3"], ["ALIPAY_QR"])
    assert money("沪AS4") == (500, 0, 0, 500, 0)  # released free: all it owed is waived
    assert (by_plate["沪AS4"]["releaseMethod"], by_plate["沪AS4"]["operatorName"]) == ("FREE", "")
    assert money("沪AS7") == (800, 0, 0, 800, 0)  # released by hand by the cashier
    assert (by_plate["沪AS7"]["releaseMethod"], by_plate["沪AS7"]["operatorName"]) == ("SOFTWARE", "收费员小王")
    assert money("沪AS8") == (700, 0, 0, 0, 700)  # cash taken by the cashier
    assert (by_plate["沪AS8"]["channels"], by_plate["沪AS8"]["operatorName"]) == (["CASH"], "收费员小王")
    assert (by_plate["沪AS1"]["channels"], by_plate["沪AS1"]["laneName"]) == (["WECHAT_JSAPI"], "Out A1a")
    assert (_at(by_plate["沪AS8"]["entryAt"]), _at(by_plate["沪AS8"]["exitAt"])) == (days.at(1, 12), days.at(1, 13))
    assert {r["lotName"] for r in rows} == {"Lot A1a"}
    # Agent B's operator sees its own lot's stay and none of customer A1's.
    other = await gql(FEES, {**_range(days), "first": 100}, token=world.tokens["agentB"])
    assert [(r["plate"], r["lotName"]) for r in other["data"]["feeDetailReport"]["items"]] == [("沪AB1", "Lot B1a")]


def _cursor(body: dict[str, Any]) -> str:
    return str(body["data"]["feeDetailReport"]["pageInfo"]["endCursor"])


async def test_a_page_of_more_than_100_is_refused(db: Database, gql: GraphQL) -> None:
    world, days, _ = await _seeded(db)
    body = await gql(FEES, {**_range(days), "first": 101}, token=world.tokens["custA1"])
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["field"] == "first"


async def test_renewal_details_with_the_total_of_the_range(db: Database, gql: GraphQL) -> None:
    world, days, ends = await _seeded(db)
    body = await gql(RENEWALS, _range(days), token=world.tokens["custA1"])
    assert body.get("errors") is None, body
    report = body["data"]["renewalDetailReport"]
    desk, seeded = report["items"]
    assert (desk["plate"], desk["purpose"], desk["productName"], desk["amountFen"], desk["channel"]) == (
        "京A12345",
        "PASS_RENEWAL",
        "月卡",
        30000,
        "CASH",
    )
    assert (desk["operatorName"], _at(desk["paidAt"])) == ("收费员小王", days.at(1, 15))
    assert (_at(desk["periodFrom"]), _at(desk["periodTo"])) == (ends["before"], ends["after"])
    # The seed's renewal order names no pass: no plate, product or period to show.
    assert (seeded["amountFen"], seeded["plate"], seeded["productName"], seeded["periodFrom"]) == (20000, "", "", None)
    assert report["total"] == {"orders": 2, "amountFen": 50000, "refundedFen": 0, "netFen": 50000}
    other = await gql(RENEWALS, _range(days), token=world.tokens["agentB"])
    assert other["data"]["renewalDetailReport"]["items"] == []
    assert other["data"]["renewalDetailReport"]["total"]["orders"] == 0


async def test_detail_reports_need_finance_view(db: Database, gql: GraphQL, client: httpx.AsyncClient) -> None:
    world, days, _ = await _seeded(db)
    body = await gql(FEES, {**_range(days), "first": 10}, token=world.tokens["cashier"])
    assert body["data"] is None
    assert "finance.view" in body["errors"][0]["message"]
    answer = await client.get(
        "/api/reports/renewals.csv", params=_range(days), headers={"Authorization": f"Bearer {world.tokens['cashier']}"}
    )
    assert answer.status_code == 403


async def test_detail_reports_download_as_csv_and_xlsx(db: Database, client: httpx.AsyncClient) -> None:
    world, days, _ = await _seeded(db)
    auth = {"Authorization": f"Bearer {world.tokens['custA1']}"}
    answer = await client.get("/api/reports/fee-details.csv", params=_range(days), headers=auth)
    assert answer.status_code == 200
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "车场",
        "车牌号",
        "入场时间",
        "出场时间",
        "车道",
        "应收金额（元）",
        "减免金额（元）",
        "优惠券抵扣（元）",
        "使用的优惠券",
        "免费放行金额（元）",
        "实收金额（元）",
        "支付渠道",
        "放行方式",
        "操作员",
    ]
    d1 = days.day(1).isoformat()
    assert rows[1] == [
        "Lot A1a",
        "沪AS8",
        f"{d1} 12:00:00",
        f"{d1} 13:00:00",
        "Out A1a",
        "7.00",
        "0.00",
        "0.00",
        "",
        "0.00",
        "7.00",
        "现金",
        "自动放行",
        "收费员小王",
    ]
    assert len(rows) == 7
    answer = await client.get("/api/reports/renewals.xlsx", params=_range(days), headers=auth)
    assert answer.status_code == 200
    strings = set(_xlsx_strings(answer.content))
    assert {"支付时间", "套餐", "有效期起", "续费", "月卡", "京A12345", "合计", "收费员小王"} <= strings
    answer = await client.get("/api/reports/renewals.csv", params=_range(days), headers=auth)
    total = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))[-1]
    assert (total[0], total[7], total[8]) == ("合计", "500.00", "0.00")


async def test_a_page_costs_the_same_statements_whatever_its_size(db: Database, gql: GraphQL) -> None:
    world, days, _ = await _seeded(db)
    token = world.tokens["custA1"]
    with statements(db) as two:
        small = await gql(FEES, {**_range(days), "first": 2}, token=token)
    with statements(db) as six:
        large = await gql(FEES, {**_range(days), "first": 6}, token=token)
    assert (len(small["data"]["feeDetailReport"]["items"]), len(large["data"]["feeDetailReport"]["items"])) == (2, 6)
    assert len(two) == len(six), (two, six)


async def test_an_online_pass_purchase_shows_the_period_it_bought(db: Database, gql: GraphQL) -> None:
    world, days, _ = await _seeded(db)
    starts, ends = days.at(2, 0), days.at(2, 0) + timedelta(days=30)
    async with db.transaction(Scope.internal()) as s:
        lot = await s.get(Lot, world.ids["lot:A1a"])
        assert lot is not None
        product = (await s.execute(select(PassProduct).where(PassProduct.name == "月卡"))).scalar_one()
        s.add(
            PaymentOrder(
                agent_id=lot.agent_id,
                customer_id=lot.customer_id,
                lot_id=lot.id,
                out_trade_no="RPONLINE",
                channel=PaymentChannel.WECHAT_JSAPI,
                purpose=PaymentPurpose.PASS_PURCHASE,
                status=OrderStatus.PAID,
                plate="沪B88888",
                amount_fen=30000,
                paid_at=days.at(2, 9),
                details={"product_id": product.id, "starts_at": starts.isoformat(), "ends_at": ends.isoformat()},
            )
        )
    body = await gql(RENEWALS, _range(days), token=world.tokens["custA1"])
    assert body.get("errors") is None, body
    online = body["data"]["renewalDetailReport"]["items"][0]
    assert (online["plate"], online["purpose"], online["productName"], online["channel"], online["operatorName"]) == (
        "沪B88888",
        "PASS_PURCHASE",
        "月卡",
        "WECHAT_JSAPI",
        "",
    )
    assert (_at(online["periodFrom"]), _at(online["periodTo"])) == (starts, ends)
    assert body["data"]["renewalDetailReport"]["total"]["amountFen"] == 80000
