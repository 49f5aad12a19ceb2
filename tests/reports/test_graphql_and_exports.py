"""The reports over HTTP: the GraphQL queries in the caller's scope, and the CSV and XLSX downloads with zh-CN
headers and the same figures; bad input answers 400 with a code, a caller without the permission 403."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import datetime, timedelta
from typing import Any

import httpx

from parking.common.database import Database
from tests.conftest import GraphQL
from tests.factories import World, build_world
from tests.reports.seed import SHANGHAI, Days, seed_reports

DAILY = """query ($from: Date!, $to: Date!, $byLane: Boolean!) {
  dailyReport(from: $from, to: $to, byLane: $byLane) { day lotName laneName figures { entries exits paidFen netFen
    discountFen waivedFen } }
}"""
KINDS = """query ($from: Date!, $to: Date!) {
  feeKindReport(from: $from, to: $to) { kind figures { paidFen entries } }
  channelFeeReport(from: $from, to: $to) { channel figures { paidFen payments } }
  flowReport(from: $from, to: $to, by: VEHICLE_CLASS) { vehicleClass figures { entries averageStayMinutes } }
  peakHoursReport(from: $from, to: $to) { hour entries exits }
}"""


async def _seeded(db: Database) -> tuple[World, Days]:
    # Days that are over on the wall clock the server reads: D2 is the day before yesterday.
    days = Days(datetime.now(SHANGHAI).date() - timedelta(days=4))
    world = await build_world(db)
    await seed_reports(db, world, days)
    return world, days


def _range(days: Days) -> dict[str, str]:
    return {"from": days.day(0).isoformat(), "to": days.day(2).isoformat()}


async def test_report_queries_for_a_customer(db: Database, gql: GraphQL) -> None:
    world, days = await _seeded(db)
    body = await gql(DAILY, {**_range(days), "byLane": False}, token=world.tokens["custA1"])
    assert body.get("errors") is None, body
    assert [
        (r["lotName"], r["figures"]["entries"], r["figures"]["paidFen"], r["figures"]["waivedFen"])
        for r in body["data"]["dailyReport"]
    ] == [
        ("Lot A1a", 3, 1000, 0),
        ("Lot A1a", 1, 22000, 500),
        ("Lot A1a", 1, 0, 0),
    ]
    body = await gql(KINDS, _range(days), token=world.tokens["custA1"])
    assert body.get("errors") is None, body
    data = body["data"]
    assert {r["kind"]: r["figures"]["paidFen"] for r in data["feeKindReport"]} == {
        "TEMPORARY": 3000,
        "LONG_TERM": 20000,
        "COUPON_PACK": 0,
    }
    assert [(r["channel"], r["figures"]["paidFen"]) for r in data["channelFeeReport"]] == [
        ("ALIPAY_QR", 2000),
        ("CASH", 20000),
        ("WECHAT_JSAPI", 1000),
    ]
    assert [(r["vehicleClass"], r["figures"]["averageStayMinutes"]) for r in data["flowReport"]] == [
        ("LARGE", 720),
        ("SMALL", 240),
    ]
    assert data["peakHoursReport"][0] == {"hour": 8, "entries": 2, "exits": 1}
    # Agent B's operator sees its own lot's stay of D0 and none of customer A1's rows.
    body = await gql(DAILY, {**_range(days), "byLane": True}, token=world.tokens["agentB"])
    assert body.get("errors") is None, body
    assert [
        (r["lotName"], r["laneName"], r["figures"]["entries"], r["figures"]["exits"])
        for r in body["data"]["dailyReport"]
    ] == [("Lot B1a", "", 1, 1)]


def _auth(world: World, who: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.tokens[who]}"}


def _xlsx_strings(content: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        shared = book.read("xl/sharedStrings.xml").decode()
    return re.findall(r"<t[^>]*>([^<]*)</t>", shared)


async def test_daily_report_downloads_as_csv_and_xlsx(db: Database, client: httpx.AsyncClient) -> None:
    world, days = await _seeded(db)
    params: dict[str, Any] = {**_range(days), "byLane": "true"}
    answer = await client.get("/api/reports/daily.csv", params=params, headers=_auth(world, "custA1"))
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    assert "attachment" in answer.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["日期", "车场", "车道", "入场车次", "出场车次"]
    assert "实收金额（元）" in rows[0]
    paid = rows[0].index("实收金额（元）")
    # D1's exit lane: S3 paid 2000 fen; the renewal is on no lane.
    lanes = {(r[0], r[2]): r[paid] for r in rows[1:]}
    assert lanes[(days.day(1).isoformat(), "Out A1a")] == "20.00"
    assert lanes[(days.day(1).isoformat(), "（无车道）")] == "200.00"
    answer = await client.get("/api/reports/channels.xlsx", params=_range(days), headers=_auth(world, "custA1"))
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/vnd.openxmlformats")
    strings = _xlsx_strings(answer.content)
    assert {"支付渠道", "实收金额（元）", "现金", "支付宝扫码支付"} <= set(strings)


async def test_bad_downloads_are_refused_with_a_code(db: Database, client: httpx.AsyncClient) -> None:
    world, days = await _seeded(db)
    custom = _auth(world, "custA1")
    bad_day = await client.get("/api/reports/daily.csv", params={"from": "2026-13-01", "to": "x"}, headers=custom)
    assert (bad_day.status_code, bad_day.json()["error"], bad_day.json()["field"]) == (400, "invalid", "from")
    too_long = {"from": days.day(0).isoformat(), "to": (days.day(0) + timedelta(days=100)).isoformat()}
    answer = await client.get("/api/reports/daily.csv", params=too_long, headers=custom)
    assert (answer.status_code, answer.json()["field"]) == (400, "to")
    answer = await client.get("/api/reports/flow.csv", params={**_range(days), "by": "city"}, headers=custom)
    assert (answer.status_code, answer.json()["field"]) == (400, "by")
    answer = await client.get("/api/reports/daily.csv", params={**_range(days), "lotIds": "1,x"}, headers=custom)
    assert (answer.status_code, answer.json()["field"]) == (400, "lotIds")
    assert (await client.get("/api/reports/daily.pdf", params=_range(days), headers=custom)).status_code == 404
    assert (await client.get("/api/reports/daily.csv", params=_range(days))).status_code == 401
    viewer = await client.get("/api/reports/daily.csv", params=_range(days), headers=_auth(world, "viewer"))
    assert viewer.status_code == 403
