"""The cashiers' shift handover (交接班): a cashier opens a shift, takes money and lets cars out, and closes it
declaring the cash counted; the report shows what the system recorded as theirs and the difference."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import func, select

from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.scope import Scope
from parking.payments.models import OrderStatus, PaymentChannel, PaymentOrder, PaymentPurpose, Refund, RefundStatus
from parking.reports.shift_models import CashierShift
from parking.sessions.enums import ReleaseMethod, SessionState
from parking.sessions.models import ParkingSession
from parking.tenancy.models import Lot
from tests.conftest import GraphQL
from tests.factories import World, build_world
from tests.reports.details_seed import add_cashier
from tests.reports.seed import SHANGHAI

ROW = (
    "id lotName laneName operatorName closedAt cashRecordedFen cashPayments countedCashFen differenceFen "
    "freeReleases softwareReleases note"
)
OPEN = f"""mutation ($lot: ID!, $lane: ID) {{
  shiftOpen(lotId: $lot, laneId: $lane) {{
    __typename ... on ShiftSuccess {{ shift {{ {ROW} }} }} ... on ShiftError {{ code field message }}
  }}
}}"""
CLOSE = f"""mutation ($id: ID!, $counted: Fen!) {{
  shiftClose(id: $id, countedCashFen: $counted, note: "交班") {{
    __typename ... on ShiftSuccess {{ shift {{ {ROW} }} }} ... on ShiftError {{ code field message }}
  }}
}}"""
SHIFTS = f"""query ($from: Date!, $to: Date!) {{
  shifts(from: $from, to: $to) {{ items {{ {ROW} }} pageInfo {{ hasNextPage }} }}
}}"""


def _today() -> dict[str, str]:
    # The shift opens now: the local days around it hold it whatever the hour.
    today = datetime.now(SHANGHAI).date()
    return {"from": (today - timedelta(days=1)).isoformat(), "to": (today + timedelta(days=1)).isoformat()}


async def _money_and_releases(db: Database, world: World, opened_at: datetime) -> None:
    """Inside the shift: 1500 cash and 500 at the booth by the cashier, one free and one manual release by them.
    Not theirs: a WeChat payment, cash on another lot, cash by another operator, cash before the shift opened,
    a manual release by another operator."""
    cashier, other = world.ids["operator:cashier"], world.ids["operator:custA1"]
    now = utcnow()
    async with db.transaction(Scope.internal()) as s:
        lots = {name: await s.get(Lot, world.ids[f"lot:{name}"]) for name in ("A1a", "A1b")}

        def order(n: int, lot: str, channel: PaymentChannel, amount: int, by: int, at: datetime) -> None:
            row = lots[lot]
            assert row is not None
            s.add(
                PaymentOrder(
                    agent_id=row.agent_id,
                    customer_id=row.customer_id,
                    lot_id=row.id,
                    out_trade_no=f"SH{n}",
                    channel=channel,
                    purpose=PaymentPurpose.PARKING_EXIT,
                    status=OrderStatus.PAID,
                    amount_fen=amount,
                    paid_at=at,
                    operator_id=by,
                )
            )

        order(1, "A1a", PaymentChannel.CASH, 1500, cashier, now)
        order(2, "A1a", PaymentChannel.BOOTH, 500, cashier, now)
        order(3, "A1a", PaymentChannel.WECHAT_NATIVE, 900, cashier, now)
        order(4, "A1b", PaymentChannel.CASH, 400, cashier, now)
        order(5, "A1a", PaymentChannel.CASH, 300, other, now)
        order(6, "A1a", PaymentChannel.CASH, 200, cashier, opened_at - timedelta(minutes=1))
        lot = lots["A1a"]
        assert lot is not None
        for plate, method, by in (
            ("沪AF1", ReleaseMethod.FREE, cashier),
            ("沪AF2", ReleaseMethod.SOFTWARE, cashier),
            ("沪AF3", ReleaseMethod.SOFTWARE, other),
        ):
            s.add(
                ParkingSession(
                    agent_id=lot.agent_id,
                    customer_id=lot.customer_id,
                    lot_id=lot.id,
                    plate=plate,
                    entry_at=now - timedelta(hours=1),
                    exit_at=now,
                    state=SessionState.EXITED,
                    fee_due_fen=600,
                    release_method=method,
                    released_by_id=by,
                )
            )


def _shift(body: dict[str, Any], name: str) -> dict[str, Any]:
    assert body.get("errors") is None, body
    result: dict[str, Any] = body["data"][name]
    return result


async def _open_shifts(db: Database) -> list[tuple[int | None, Any]]:
    async with db.session(Scope.internal()) as s:
        rows = await s.execute(select(CashierShift.counted_cash_fen, CashierShift.closed_at))
        return [(counted, closed) for counted, closed in rows]


async def test_a_cashier_shift_from_opening_to_handover(db: Database, gql: GraphQL, client: httpx.AsyncClient) -> None:
    world = await build_world(db)
    await add_cashier(db, world)
    await add_cashier(db, world, "cashier2", "收费员小李")
    token = world.tokens["cashier"]
    lot, lane = world.id("lot:A1a"), world.id("lane:A1a")
    opened = _shift(await gql(OPEN, {"lot": lot, "lane": lane}, token=token), "shiftOpen")
    assert opened["__typename"] == "ShiftSuccess"
    shift = opened["shift"]
    assert (shift["lotName"], shift["laneName"], shift["operatorName"], shift["closedAt"]) == (
        "Lot A1a",
        "In A1a",
        "收费员小王",
        None,
    )
    again = _shift(await gql(OPEN, {"lot": world.id("lot:A1b")}, token=token), "shiftOpen")
    assert (again["__typename"], again["code"]) == ("ShiftError", "CONFLICT")
    async with db.session(Scope.internal()) as s:
        opened_at = (await s.execute(select(CashierShift.opened_at))).scalar_one()
    await _money_and_releases(db, world, opened_at)

    # Another cashier may not close it (no operators.manage); agent B's operator cannot even see it.
    refused = _shift(await gql(CLOSE, {"id": shift["id"], "counted": 0}, token=world.tokens["cashier2"]), "shiftClose")
    assert (refused["__typename"], refused["code"]) == ("ShiftError", "PERMISSION_DENIED")
    hidden = _shift(await gql(CLOSE, {"id": shift["id"], "counted": 0}, token=world.tokens["agentB"]), "shiftClose")
    assert (hidden["__typename"], hidden["code"]) == ("ShiftError", "NOT_FOUND")
    assert await _open_shifts(db) == [(None, None)]

    closed = _shift(await gql(CLOSE, {"id": shift["id"], "counted": 1900}, token=token), "shiftClose")
    assert closed["__typename"] == "ShiftSuccess", closed
    handed = closed["shift"]
    assert {k: handed[k] for k in ("cashRecordedFen", "cashPayments", "countedCashFen", "differenceFen")} == {
        "cashRecordedFen": 2000,
        "cashPayments": 2,
        "countedCashFen": 1900,
        "differenceFen": -100,
    }
    assert (handed["freeReleases"], handed["softwareReleases"], handed["note"]) == (1, 1, "交班")
    twice = _shift(await gql(CLOSE, {"id": shift["id"], "counted": 1900}, token=token), "shiftClose")
    assert (twice["__typename"], twice["code"]) == ("ShiftError", "CONFLICT")

    report = await gql(SHIFTS, _today(), token=world.tokens["custA1"])
    assert report.get("errors") is None, report
    [row] = report["data"]["shifts"]["items"]
    assert (row["id"], row["cashRecordedFen"], row["differenceFen"]) == (shift["id"], 2000, -100)
    other = await gql(SHIFTS, _today(), token=world.tokens["agentB"])
    assert other["data"]["shifts"]["items"] == []
    refused_report = await gql(SHIFTS, _today(), token=token)
    assert "finance.view" in refused_report["errors"][0]["message"]

    auth = {"Authorization": f"Bearer {world.tokens['custA1']}"}
    answer = await client.get("/api/reports/shifts.csv", params=_today(), headers=auth)
    assert answer.status_code == 200
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0][5:9] == ["现金笔数", "系统现金（元）", "实点现金（元）", "差额（元）"]
    assert rows[1][:3] + rows[1][5:] == ["Lot A1a", "In A1a", "收费员小王", "2", "20.00", "19.00", "-1.00", "1", "1"]


async def test_a_manager_closes_a_cashiers_shift_and_one_without_a_lot_in_scope_opens_none(
    db: Database, gql: GraphQL
) -> None:
    world = await build_world(db)
    await add_cashier(db, world)
    opened = _shift(await gql(OPEN, {"lot": world.id("lot:A1a")}, token=world.tokens["cashier"]), "shiftOpen")
    shift = opened["shift"]
    closed = _shift(await gql(CLOSE, {"id": shift["id"], "counted": 0}, token=world.tokens["custA1"]), "shiftClose")
    assert (closed["__typename"], closed["shift"]["countedCashFen"], closed["shift"]["differenceFen"]) == (
        "ShiftSuccess",
        0,
        0,
    )
    # Lot B1a is another customer's: the cashier cannot open a shift there, and nothing is written.
    outside = _shift(await gql(OPEN, {"lot": world.id("lot:B1a")}, token=world.tokens["cashier"]), "shiftOpen")
    assert (outside["__typename"], outside["code"], outside["field"]) == ("ShiftError", "NOT_FOUND", "lotId")
    wrong_lane = _shift(
        await gql(OPEN, {"lot": world.id("lot:A1a"), "lane": world.id("lane:A1b")}, token=world.tokens["cashier"]),
        "shiftOpen",
    )
    assert (wrong_lane["code"], wrong_lane["field"]) == ("INVALID", "laneId")
    negative = _shift(await gql(CLOSE, {"id": shift["id"], "counted": -1}, token=world.tokens["custA1"]), "shiftClose")
    assert (negative["code"], negative["field"]) == ("INVALID", "countedCashFen")
    async with db.session(Scope.internal()) as s:
        assert await s.scalar(select(func.count()).select_from(CashierShift)) == 1


MINE = f"""query {{
  myOpenShift {{ {ROW} }}
  shiftPlaces {{ lotName lanes {{ name }} }}
}}"""


def _mine(body: dict[str, Any]) -> dict[str, Any]:
    assert body.get("errors") is None, body
    data: dict[str, Any] = body["data"]
    return data


async def test_a_cashier_reads_their_own_open_shift_and_where_they_may_open_one(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    await add_cashier(db, world)
    await add_cashier(db, world, "cashier2", "收费员小李")
    token = world.tokens["cashier"]
    before = _mine(await gql(MINE, token=token))
    assert before["myOpenShift"] is None
    assert [(p["lotName"], [lane["name"] for lane in p["lanes"]]) for p in before["shiftPlaces"]] == [
        ("Lot A1a", ["In A1a"]),
        ("Lot A1b", ["In A1b"]),
    ]
    opened = _shift(await gql(OPEN, {"lot": world.id("lot:A1a")}, token=token), "shiftOpen")
    async with db.session(Scope.internal()) as s:
        opened_at = (await s.execute(select(CashierShift.opened_at))).scalar_one()
    await _money_and_releases(db, world, opened_at)

    mine = _mine(await gql(MINE, token=token))["myOpenShift"]
    assert (mine["id"], mine["lotName"], mine["closedAt"], mine["cashRecordedFen"], mine["cashPayments"]) == (
        opened["shift"]["id"],
        "Lot A1a",
        None,
        2000,
        2,
    )
    # Another cashier has no open shift of their own; closing it ends it for its owner too.
    assert _mine(await gql(MINE, token=world.tokens["cashier2"]))["myOpenShift"] is None
    _shift(await gql(CLOSE, {"id": mine["id"], "counted": 2000}, token=token), "shiftClose")
    assert _mine(await gql(MINE, token=token))["myOpenShift"] is None


async def test_an_operator_without_cash_collect_is_refused_their_shift_page(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    await add_cashier(db, world)
    _shift(await gql(OPEN, {"lot": world.id("lot:A1a")}, token=world.tokens["cashier"]), "shiftOpen")
    refused = await gql(MINE, token=world.tokens["viewer"])
    assert refused["data"] is None
    assert "cash.collect" in refused["errors"][0]["message"]
    assert await _open_shifts(db) == [(None, None)]


async def _cash_refunds(db: Database, world: World, opened_at: datetime) -> None:
    """Refunds around the shift of ``_money_and_releases``'s orders (SH1 cash 1500, SH2 booth 500, SH3 WeChat 900,
    SH4 cash on A1b, SH5 another operator's cash, SH6 the cashier's cash before the shift). The cashier's drawer
    pays: 400 of SH1 and 150 of SH6 (asked for by the cashier, done in the shift). It does not pay: 100 of SH2
    still waiting for approval, 200 of SH1 asked for by another operator, 300 of SH3 (WeChat pays it back), 100 of
    SH4 (another lot's drawer), 50 of SH6 done before the shift opened, 80 of SH1 that failed."""
    cashier, other = world.ids["operator:cashier"], world.ids["operator:custA1"]
    now = utcnow()
    async with db.transaction(Scope.internal()) as s:
        orders = {o.out_trade_no: o for o in await s.scalars(select(PaymentOrder))}
        for n, (order, amount, status, by, done) in enumerate(
            [
                ("SH1", 400, RefundStatus.SUCCEEDED, cashier, now),
                ("SH6", 150, RefundStatus.SUCCEEDED, cashier, now),
                ("SH2", 100, RefundStatus.REQUESTED, cashier, None),
                ("SH1", 200, RefundStatus.SUCCEEDED, other, now),
                ("SH3", 300, RefundStatus.SUCCEEDED, cashier, now),
                ("SH4", 100, RefundStatus.SUCCEEDED, cashier, now),
                ("SH6", 50, RefundStatus.SUCCEEDED, cashier, opened_at - timedelta(seconds=30)),
                ("SH1", 80, RefundStatus.FAILED, cashier, now),
            ]
        ):
            row = orders[order]
            s.add(
                Refund(
                    agent_id=row.agent_id,
                    customer_id=row.customer_id,
                    lot_id=row.lot_id,
                    order_id=row.id,
                    out_refund_no=f"RSH{n}",
                    amount_fen=amount,
                    reason="多收",
                    status=status,
                    requested_by_id=by,
                    approved_by_id=None if status is RefundStatus.REQUESTED else other,
                    completed_at=done,
                )
            )


async def test_cash_refunded_during_a_shift_leaves_the_drawer(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    await add_cashier(db, world)
    token = world.tokens["cashier"]
    opened = _shift(await gql(OPEN, {"lot": world.id("lot:A1a")}, token=token), "shiftOpen")
    async with db.session(Scope.internal()) as s:
        opened_at = (await s.execute(select(CashierShift.opened_at))).scalar_one()
    await _money_and_releases(db, world, opened_at)
    await _cash_refunds(db, world, opened_at)
    fields = "cashRecordedFen cashPayments cashRefundedFen cashRefunds"

    # Taken 1500 + 500 = 2000; handed back 400 + 150 = 550; the drawer should hold 1450.
    mine = _mine(await gql(f"query {{ myOpenShift {{ {fields} }} }}", token=token))["myOpenShift"]
    assert mine == {"cashRecordedFen": 1450, "cashPayments": 2, "cashRefundedFen": 550, "cashRefunds": 2}
    close = f"""mutation ($id: ID!) {{ shiftClose(id: $id, countedCashFen: 1400, note: "") {{
      ... on ShiftSuccess {{ shift {{ {fields} differenceFen }} }} }} }}"""
    closed = _shift(await gql(close, {"id": opened["shift"]["id"]}, token=token), "shiftClose")["shift"]
    assert closed == {**mine, "differenceFen": -50}
    report = await gql(SHIFTS, _today(), token=world.tokens["custA1"])
    [row] = report["data"]["shifts"]["items"]
    assert (row["cashRecordedFen"], row["differenceFen"]) == (1450, -50)
