"""A driver's plates through GraphQL with a driver token: bind, unbind, the limit, a plate held elsewhere, history
only when proven, a plate's open stays for anyone. Every refusal is checked to have changed nothing."""

from __future__ import annotations

import asyncio
import itertools
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.scope import Scope
from parking.drivers import issue_driver_token
from parking.drivers.models import DriverPlate
from parking.payments.anonymous import read_stay_token
from parking.payments.ids import new_out_trade_no
from parking.payments.models import OrderStatus, PaymentChannel, PaymentOrder, PaymentPurpose
from parking.tenancy.models import Lot
from tests.conftest import GraphQL
from tests.factories import SECRET
from tests.lanes.site import Site, build_site

_plates = itertools.count(200)

BIND = """mutation($plate: String!) { plateBind(input: {plate: $plate}) {
  __typename ... on DriverPlate { plate proven } ... on DriverError { code message field } } }"""
UNBIND = """mutation($plate: String!) { plateUnbind(input: {plate: $plate}) {
  __typename ... on DriverPlate { plate } ... on DriverError { code message } } }"""
MINE = "{ myPlates { plate proven boundAt } }"
STAYS = """query($plate: String!) { plateStays(plate: $plate) { __typename
  ... on PlateStaysSuccess { stays { lotId lotName enteredAt owedFen graceEndsAt stayToken maskedPlate paidFen
  couponFen } } ... on DriverError { code message } } }"""
HISTORY = """query($plate: String!, $first: Int, $after: String) { plateHistory(plate: $plate, first: $first,
  after: $after) { __typename ... on PlateHistorySuccess { items { lotId lotName enteredAt exitedAt paidFen inLot }
  pageInfo { hasNextPage endCursor } } ... on DriverError { code message } } }"""


def new_plate() -> str:
    return f"粤B{next(_plates):05d}"


def driver(openid: str) -> str:
    return issue_driver_token(SECRET, openid, utcnow(), 3600)


async def bound(db: Database) -> list[tuple[str, str]]:
    async with db.session(Scope.internal()) as s:
        rows = await s.execute(select(DriverPlate.openid, DriverPlate.plate).order_by(DriverPlate.id))
        return [(o, p) for o, p in rows]


async def bind(gql: GraphQL, openid: str, plate: str) -> dict[str, Any]:
    body = await gql(BIND, {"plate": plate}, token=driver(openid))
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["plateBind"]
    return result


async def paid_for(db: Database, site: Site, plate: str, openid: str, *, on_behalf: bool = False) -> None:
    async with db.transaction(Scope.internal()) as tx:
        lot = await tx.get(Lot, site.lot_id)
        assert lot is not None
        tx.add(
            PaymentOrder(
                agent_id=lot.agent_id,
                customer_id=lot.customer_id,
                lot_id=lot.id,
                out_trade_no=new_out_trade_no(utcnow()),
                channel=PaymentChannel.WECHAT_JSAPI,
                purpose=PaymentPurpose.PARKING_EXIT,
                status=OrderStatus.PAID,
                plate=plate,
                payer_key=openid,
                amount_fen=600,
                paid_at=utcnow(),
                on_behalf=on_behalf,
            )
        )


async def test_a_driver_binds_a_plate_typed_loosely_and_sees_it(gql: GraphQL, db: Database) -> None:
    # when a driver binds a plate typed with a separator and a lower-case letter
    result = await bind(gql, "oAlice", "粤b·12345")
    # then the plate is stored in its canonical form, not proven yet, and listed as theirs
    assert result == {"__typename": "DriverPlate", "plate": "粤B12345", "proven": False}
    mine = await gql(MINE, token=driver("oAlice"))
    assert [p["plate"] for p in mine["data"]["myPlates"]] == ["粤B12345"]
    assert await bound(db) == [("oAlice", "粤B12345")]
    # and binding it again answers the same binding, nothing added
    again = await bind(gql, "oAlice", "粤B12345")
    assert again["plate"] == "粤B12345"
    assert await bound(db) == [("oAlice", "粤B12345")]


@pytest.mark.parametrize("typed", ["", "   ", "ABC", "无牌车", "粤B12345" * 5, "粤B1234'; drop table"])
async def test_text_that_is_not_a_plate_is_refused(gql: GraphQL, db: Database, typed: str) -> None:
    result = await bind(gql, "oAlice", typed)
    assert (result["__typename"], result["code"], result["field"]) == ("DriverError", "INVALID_PLATE", "plate")
    assert result["message"] == "车牌号格式不正确"
    assert await bound(db) == []


async def test_the_sixth_plate_is_refused(gql: GraphQL, db: Database) -> None:
    plates = [new_plate() for _ in range(6)]
    for plate in plates[:5]:
        assert (await bind(gql, "oBob", plate))["__typename"] == "DriverPlate"
    result = await bind(gql, "oBob", plates[5])
    assert (result["code"], result["message"]) == ("PLATE_LIMIT", "每个账号最多绑定5个车牌")
    assert await bound(db) == [("oBob", p) for p in plates[:5]]
    # after unbinding one, a slot is free again
    assert (await gql(UNBIND, {"plate": plates[0]}, token=driver("oBob")))["data"]["plateUnbind"]["plate"] == plates[0]
    assert (await bind(gql, "oBob", plates[5]))["__typename"] == "DriverPlate"
    assert sorted(p for _, p in await bound(db)) == sorted(plates[1:])


async def test_a_plate_held_by_another_account_is_refused(gql: GraphQL, db: Database) -> None:
    plate = new_plate()
    await bind(gql, "oAlice", plate)
    result = await bind(gql, "oMallory", plate)
    assert (result["code"], result["message"]) == ("PLATE_BOUND_ELSEWHERE", "该车牌已被其他微信账号绑定")
    assert await bound(db) == [("oAlice", plate)]
    # nor can the other account unbind it
    refused = (await gql(UNBIND, {"plate": plate}, token=driver("oMallory")))["data"]["plateUnbind"]
    assert refused["code"] == "NOT_FOUND"
    assert await bound(db) == [("oAlice", plate)]


async def test_without_a_driver_token_nothing_is_bound(gql: GraphQL, db: Database) -> None:
    body = await gql(BIND, {"plate": new_plate()})
    assert body["data"]["plateBind"]["code"] == "UNAUTHENTICATED"
    forged = await gql(BIND, {"plate": new_plate()}, token=driver("oAlice") + "x")
    assert forged["data"]["plateBind"]["code"] == "UNAUTHENTICATED"
    mine = await gql(MINE)
    assert mine["data"] is None
    assert mine["errors"][0]["message"] == "请先登录"
    assert await bound(db) == []


async def test_history_only_for_a_driver_who_paid_for_the_plate(gql: GraphQL, db: Database) -> None:
    site = await build_site(db)
    plate = new_plate()
    now = utcnow()
    await site.read("in", plate, now - timedelta(hours=3))
    await site.read("out", plate, now - timedelta(hours=2))
    await site.read("in", plate, now - timedelta(minutes=30))
    await bind(gql, "oAlice", plate)
    # given only a binding (and someone else's payment on behalf), the history is closed
    await paid_for(db, site, plate, "oAlice", on_behalf=True)
    refused = (await gql(HISTORY, {"plate": plate}, token=driver("oAlice")))["data"]["plateHistory"]
    assert refused["code"] == "NOT_PROVEN"
    # when the account pays for a stay of the plate with its own openid
    await paid_for(db, site, plate, "oAlice")
    # then the plate is proven and its stays are listed newest first, a page at a time
    assert (await gql(MINE, token=driver("oAlice")))["data"]["myPlates"][0]["proven"] is True
    first = (await gql(HISTORY, {"plate": plate, "first": 1}, token=driver("oAlice")))["data"]["plateHistory"]
    assert [(i["inLot"], i["exitedAt"] is None) for i in first["items"]] == [(True, True)]
    assert first["pageInfo"]["hasNextPage"] is True
    after = first["pageInfo"]["endCursor"]
    rest = (await gql(HISTORY, {"plate": plate, "first": 5, "after": after}, token=driver("oAlice")))["data"]
    assert [i["inLot"] for i in rest["plateHistory"]["items"]] == [False]
    assert rest["plateHistory"]["items"][0]["lotName"] == f"Lot {await _lot_code(db, site)}"
    # and another account that paid nothing still sees nothing
    other = (await gql(HISTORY, {"plate": plate}, token=driver("oEve")))["data"]["plateHistory"]
    assert other["code"] == "NOT_PROVEN"
    anonymous = (await gql(HISTORY, {"plate": plate}))["data"]["plateHistory"]
    assert anonymous["code"] == "UNAUTHENTICATED"


async def _lot_code(db: Database, site: Site) -> str:
    async with db.session(Scope.internal()) as s:
        lot = await s.get(Lot, site.lot_id)
        assert lot is not None
        return lot.code


async def test_anyone_sees_a_plates_open_stay_and_its_fee(gql: GraphQL, db: Database) -> None:
    site = await build_site(db)
    plate = new_plate()
    now = utcnow()
    await site.read("in", plate, now - timedelta(minutes=70))
    body = await gql(STAYS, {"plate": plate.lower()})
    [stay] = body["data"]["plateStays"]["stays"]
    # 70 min at 2 元 per started half hour: 600 fen
    assert stay["owedFen"] == 600
    assert stay["lotId"] == str(site.lot_id)
    assert stay["maskedPlate"] == f"{plate[:2]}·***{plate[-2:]}"
    assert (stay["paidFen"], stay["couponFen"], stay["graceEndsAt"]) == (0, 0, None)
    assert read_stay_token(SECRET, stay["stayToken"], utcnow()) is not None
    # a plate with no stay has none, and text that is not a plate is refused
    assert (await gql(STAYS, {"plate": new_plate()}))["data"]["plateStays"]["stays"] == []
    assert (await gql(STAYS, {"plate": "nope"}))["data"]["plateStays"]["code"] == "INVALID_PLATE"


async def test_concurrent_binds_never_break_the_rules(gql: GraphQL, db: Database) -> None:
    # given an account with 4 plates
    plates = [new_plate() for _ in range(4)]
    for plate in plates:
        await bind(gql, "oRace", plate)
    # when it binds two more at once, while two accounts race for one plate
    contested = new_plate()
    results = await asyncio.gather(
        bind(gql, "oRace", new_plate()),
        bind(gql, "oRace", new_plate()),
        bind(gql, "oLeft", contested),
        bind(gql, "oRight", contested),
    )
    # then the account got one more plate (the fifth), and the contested plate went to one account only
    assert sorted(r["__typename"] for r in results[:2]) == ["DriverError", "DriverPlate"]
    assert next(r for r in results[:2] if r["__typename"] == "DriverError")["code"] == "PLATE_LIMIT"
    assert sorted(r["__typename"] for r in results[2:]) == ["DriverError", "DriverPlate"]
    assert next(r for r in results[2:] if r["__typename"] == "DriverError")["code"] == "PLATE_BOUND_ELSEWHERE"
    held = await bound(db)
    assert len([o for o, _ in held if o == "oRace"]) == 5
    assert len([o for o, p in held if p == contested]) == 1
