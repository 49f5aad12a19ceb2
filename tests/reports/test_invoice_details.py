"""The e-invoice details report (电子发票明细) against the hand-counted invoices of tests/reports/invoices_seed.py:
its rows and totals, keyset pages, the masked tax numbers, the CSV and XLSX downloads with zh-CN headers, and
the caller's scope (another customer's invoice, asked for by lot id, leaks neither a row nor a fen)."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx

from parking.common.database import Database
from parking.overview.service import DateRange
from parking.reports.invoice_details import all_invoice_details, invoice_total, masked_tax_number
from tests.conftest import GraphQL
from tests.factories import build_world
from tests.reports.invoices_seed import seed_invoices
from tests.reports.seed import seed_reports
from tests.reports.test_graphql_and_exports import _auth, _range, _seeded, _xlsx_strings
from tests.reports.test_reports import DAYS, _customer_a1

D0, D2 = DAYS.day(0), DAYS.day(2)
ROW = "invoiceId lotName buyerKind buyerName taxNumber amountFen taxFen status issuedAt reversedAt number payments"
TOTAL = "issued issuedFen issuedTaxFen reversed reversedFen reversedTaxFen netFen netTaxFen"
REPORT = f"""query ($from: Date!, $to: Date!, $first: Int!, $after: String, $lotIds: [ID!]) {{
  invoiceDetailReport(from: $from, to: $to, first: $first, after: $after, lotIds: $lotIds) {{
    items {{ {ROW} }} pageInfo {{ hasNextPage endCursor }} total {{ {TOTAL} }}
  }}
}}"""


def test_tax_numbers_are_masked() -> None:
    assert masked_tax_number("91440300MA5ABCDE12") == "9144**********DE12"
    assert masked_tax_number("") == ""
    assert masked_tax_number("12345678") == "********"


async def test_rows_and_totals_for_a_customer(db: Database) -> None:
    world = await build_world(db)
    await seed_reports(db, world, DAYS)
    ids = await seed_invoices(db, world, DAYS)
    async with db.session(_customer_a1(world)) as session:
        rows = await all_invoice_details(session, DateRange(D0, D2))
        total = await invoice_total(session, DateRange(D0, D2))
    assert [(r.invoice_id, r.lot_name, r.amount_fen, r.tax_fen, r.status, r.payments) for r in rows] == [
        (ids["I5"], "Lot A1b", 333, 27, "issued", 1),
        (ids["I2"], "Lot A1a", 22000, 1245, "reversed", 2),
        (ids["I1"], "Lot A1a", 1000, 57, "issued", 1),
        (ids["I4"], "Lot A1a", 500, 28, "reversed", 1),  # issued before the range, reversed in it
    ]
    i2 = rows[1]
    assert (i2.buyer_kind, i2.buyer_name, i2.tax_number, i2.number) == (
        "company",
        "深圳停车有限公司",
        "9144**********DE12",
        "26010002",
    )
    assert (i2.issued_at, i2.reversed_at) == (DAYS.at(1, 11), DAYS.at(2, 9))
    assert (total.issued, total.issued_fen, total.issued_tax_fen) == (3, 23333, 1329)
    assert (total.reversed, total.reversed_fen, total.reversed_tax_fen) == (2, 22500, 1273)
    assert (total.net_fen, total.net_tax_fen) == (833, 56)
    # D0 alone: I1 only; I2 and I4 were issued or reversed on other days.
    async with db.session(_customer_a1(world)) as session:
        day = await all_invoice_details(session, DateRange(D0, D0))
        assert [r.invoice_id for r in day] == [ids["I1"]]
        assert (await invoice_total(session, DateRange(D0, D0))).net_fen == 1000


async def test_pages_and_scope_over_graphql(db: Database, gql: GraphQL) -> None:
    world, days = await _seeded(db)
    ids = await seed_invoices(db, world, days)
    body = await gql(REPORT, {**_range(days), "first": 3}, token=world.tokens["custA1"])
    assert body.get("errors") is None, body
    report: dict[str, Any] = body["data"]["invoiceDetailReport"]
    assert [r["invoiceId"] for r in report["items"]] == [str(ids[n]) for n in ("I5", "I2", "I1")]
    assert report["pageInfo"]["hasNextPage"] is True
    assert report["total"] == {
        "issued": 3,
        "issuedFen": 23333,
        "issuedTaxFen": 1329,
        "reversed": 2,
        "reversedFen": 22500,
        "reversedTaxFen": 1273,
        "netFen": 833,
        "netTaxFen": 56,
    }
    after = report["pageInfo"]["endCursor"]
    body = await gql(REPORT, {**_range(days), "first": 3, "after": after}, token=world.tokens["custA1"])
    rest = body["data"]["invoiceDetailReport"]
    assert [r["invoiceId"] for r in rest["items"]] == [str(ids["I4"])]
    assert rest["pageInfo"]["hasNextPage"] is False
    assert rest["items"][0]["taxNumber"] == "9144**********7890"
    # The lot operator of A1a sees A1a's invoices only; customer B1's (lot B1a) is in nobody's report above.
    body = await gql(REPORT, {**_range(days), "first": 100}, token=world.tokens["lotA1a"])
    lot_report = body["data"]["invoiceDetailReport"]
    assert [r["invoiceId"] for r in lot_report["items"]] == [str(ids[n]) for n in ("I2", "I1", "I4")]
    assert lot_report["total"]["issuedFen"] == 23000
    too_many = await gql(REPORT, {**_range(days), "first": 101}, token=world.tokens["custA1"])
    assert too_many.get("errors"), too_many


async def test_another_customers_lot_asked_by_id_leaks_nothing(db: Database, gql: GraphQL) -> None:
    world, days = await _seeded(db)
    await seed_invoices(db, world, days)
    other = [str(world.ids["lot:B1a"])]
    body = await gql(REPORT, {**_range(days), "first": 100, "lotIds": other}, token=world.tokens["custA1"])
    assert body.get("errors") is None, body
    report = body["data"]["invoiceDetailReport"]
    assert report["items"] == []
    assert set(report["total"].values()) == {0}
    body = await gql(REPORT, {**_range(days), "first": 100}, token=world.tokens["agentB"])
    assert [(r["buyerName"], r["amountFen"]) for r in body["data"]["invoiceDetailReport"]["items"]] == [("B1", 9900)]


async def test_downloads_as_csv_and_xlsx(db: Database, client: httpx.AsyncClient) -> None:
    world, days = await _seeded(db)
    await seed_invoices(db, world, days)
    answer = await client.get("/api/reports/invoices.csv", params=_range(days), headers=_auth(world, "custA1"))
    assert answer.status_code == 200
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "开票时间",
        "车场",
        "发票号码",
        "抬头类型",
        "购买方名称",
        "购买方税号",
        "金额（元）",
        "税额（元）",
        "状态",
        "红冲时间",
        "关联支付笔数",
    ]
    assert rows[2][1:] == [
        "Lot A1a",
        "26010002",
        "单位",
        "深圳停车有限公司",
        "9144**********DE12",
        "220.00",
        "12.45",
        "已红冲",
        f"{days.day(2).isoformat()} 09:00:00",
        "2",
    ]
    assert rows[2][0] == f"{days.day(1).isoformat()} 11:00:00"
    assert [r[2] for r in rows[1:5]] == ["26010005", "26010002", "26010001", "26009999"]
    assert rows[5:] == [
        ["开票合计", "", "", "", "", "", "233.33", "13.29"],
        ["红冲合计", "", "", "", "", "", "225.00", "12.73"],
        ["净开票额", "", "", "", "", "", "8.33", "0.56"],
    ]
    answer = await client.get("/api/reports/invoices.xlsx", params=_range(days), headers=_auth(world, "custA1"))
    assert answer.status_code == 200
    assert {"开票时间", "已红冲", "个人", "净开票额", "9144**********DE12"} <= set(_xlsx_strings(answer.content))
    scoped = await client.get(
        "/api/reports/invoices.csv",
        params={**_range(days), "lotIds": str(world.ids["lot:B1a"])},
        headers=_auth(world, "custA1"),
    )
    lines = list(csv.reader(io.StringIO(scoped.content.decode("utf-8-sig"))))
    assert [r[0] for r in lines[1:]] == ["开票合计", "红冲合计", "净开票额"]
    assert {r[6] for r in lines[1:]} == {"0.00"}
    viewer = await client.get("/api/reports/invoices.csv", params=_range(days), headers=_auth(world, "viewer"))
    assert viewer.status_code == 403
