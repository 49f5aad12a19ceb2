"""Paying without an account stays safe: no sequential ids, plates only to whoever typed them, another payer's
order never closed or replaced, and a per-address limit on making orders. Every refusal changes nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from api.app import create_app
from config.settings import Settings
from parking.common.database import Database
from parking.common.scope import Scope
from parking.payments.anonymous import issue_stay_token, masked_plate, read_stay_token
from parking.payments.gateway import Channels
from parking.payments.models import OrderStatus, PaymentOrder
from tests.conftest import GraphQL
from tests.factories import build_world
from tests.payments.flow import PLATE, Flow, wall_now

CREATE = """
mutation Pay($input: PaymentCreateInput!) {
  paymentCreate(input: $input) {
    __typename
    ... on PaymentCreateSuccess { order { outTradeNo amountFen status plate } reused }
    ... on PaymentError { code message field }
  }
}
"""
STATUS = "query S($no: String!) { paymentStatus(outTradeNo: $no) { outTradeNo status plate } }"


async def create(gql: GraphQL, token: str | None = None, **input: Any) -> dict[str, Any]:
    body = await gql(CREATE, {"input": input}, token=token)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["paymentCreate"]
    return result


async def order_count(db: Database) -> int:
    async with db.session(Scope.internal()) as s:
        return int(await s.scalar(select(func.count(PaymentOrder.id))) or 0)


async def test_sequential_ids_are_refused_without_a_login_and_make_nothing(flow: Flow) -> None:
    gql = GraphQL(flow.http)
    session_id = await flow.enter(minutes_ago=70)
    # a stranger counting stay ids, or lot ids with a plate
    by_id = await create(gql, sessionId=str(session_id), channel="WECHAT_NATIVE")
    by_lot = await create(gql, lotId=str(flow.site.lot_id), plate=PLATE, channel="WECHAT_NATIVE")
    nothing = await create(gql, channel="WECHAT_NATIVE")
    assert [(r["code"], r["field"]) for r in (by_id, by_lot, nothing)] == [
        ("PERMISSION_DENIED", "sessionId"),
        ("PERMISSION_DENIED", "lotId"),
        ("INVALID", "stayToken"),
    ]
    assert await flow.orders(session_id) == []
    # while a logged-in operator may name the stay by its id (in their scope)
    world = await build_world(flow.db)
    operator = await create(gql, world.tokens["platform"], sessionId=str(session_id), channel="WECHAT_NATIVE")
    assert operator["order"]["plate"] == PLATE
    assert len(await flow.orders(session_id)) == 1


async def test_forged_altered_and_expired_stay_tokens_are_refused_and_make_nothing(
    flow: Flow, settings: Settings
) -> None:
    gql = GraphQL(flow.http)
    session_id = await flow.enter(minutes_ago=70)
    now = wall_now()
    good = issue_stay_token(settings.secret_key, session_id, now)
    body, _, signature = good.partition(".")
    other_stay = issue_stay_token(settings.secret_key, session_id + 1, now).partition(".")[0]
    tokens = [
        issue_stay_token("another-secret", session_id, now),  # signed with another key
        f"{other_stay}.{signature}",  # another stay's body under this signature
        f"{body}.{signature[:-2]}AA",  # signature altered
        issue_stay_token(settings.secret_key, session_id, now - timedelta(hours=1)),  # expired
        "",
        "not-a-token",
    ]
    for token in tokens:
        refused = await create(gql, stayToken=token, channel="ALIPAY_QR")
        assert (refused["code"], refused["field"]) == ("INVALID", "stayToken"), token
    assert await flow.orders(session_id) == []
    assert read_stay_token(settings.secret_key, good, now) == session_id


async def test_the_exit_code_shows_a_masked_plate_and_the_order_too_unless_logged_in(flow: Flow) -> None:
    gql = GraphQL(flow.http)
    await flow.enter(minutes_ago=70)
    await flow.site.read("out", PLATE, wall_now() - timedelta(minutes=1))
    # whoever scans the exit's code learns the fee and a masked plate, not the stay's id
    waiting = await flow.waiting("out")
    assert waiting is not None
    assert sorted(waiting) == ["couponFen", "coupons", "entryAt", "feeFen", "plate", "stayToken"]
    assert (waiting["couponFen"], waiting["coupons"]) == (0, [])
    assert waiting["plate"] == masked_plate(PLATE) == "京A·***45"
    created = await create(gql, stayToken=waiting["stayToken"], channel="WECHAT_NATIVE")
    no = created["order"]["outTradeNo"]
    assert created["order"]["plate"] == "京A·***45"
    # the order's status page (no login) keeps it masked; an operator sees it whole
    anonymous = await gql(STATUS, {"no": no})
    assert anonymous["data"]["paymentStatus"]["plate"] == "京A·***45"
    world = await build_world(flow.db)
    operator = await gql(STATUS, {"no": no}, token=world.tokens["platform"])
    assert operator["data"]["paymentStatus"]["plate"] == PLATE


async def test_another_payers_request_never_closes_the_order_in_progress(flow: Flow) -> None:
    gql = GraphQL(flow.http)
    session_id = await flow.enter(minutes_ago=70)
    code = await flow.lane_code("in")
    # a driver in the mini-program is paying; a stranger who knows the plate asks too, twice
    mine = await create(gql, laneCode=code, plate=PLATE, channel="WECHAT_JSAPI", payerId="o-driver-1")
    theirs = await create(gql, laneCode=code, plate=PLATE, channel="WECHAT_JSAPI", payerId="o-stranger")
    theirs_again = await create(gql, laneCode=code, plate=PLATE, channel="WECHAT_JSAPI", payerId="o-stranger")
    mine_again = await create(gql, laneCode=code, plate=PLATE, channel="WECHAT_JSAPI", payerId="o-driver-1")
    # then the driver's order is untouched and returned again; the stranger got one of their own
    assert mine_again["order"]["outTradeNo"] == mine["order"]["outTradeNo"]
    assert theirs_again["order"]["outTradeNo"] == theirs["order"]["outTradeNo"]
    assert (mine_again["reused"], theirs_again["reused"]) == (True, True)
    orders = await flow.orders(session_id)
    assert [(o.out_trade_no, o.payer_key, o.status) for o in orders] == [
        (mine["order"]["outTradeNo"], "o-driver-1", OrderStatus.PAYING),
        (theirs["order"]["outTradeNo"], "o-stranger", OrderStatus.PAYING),
    ]
    # and the driver can still pay theirs: credited, while the stranger's later payment would go back
    [paid] = await flow.relay(await flow.wechat_pay(mine["order"]["outTradeNo"]))
    assert paid.status_code == 204
    assert (await flow.stay(session_id)).paid_fen == 600


@pytest.fixture
async def limited_client(db: Database, settings: Settings, channels: Channels) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(replace(settings, payment_create_limit=3, payment_create_window_s=3600), db, channels)
    transport = httpx.ASGITransport(app=app, client=("198.51.100.7", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


async def test_anonymous_payment_creation_is_limited_per_address(
    flow: Flow, limited_client: httpx.AsyncClient, settings: Settings, db: Database, channels: Channels
) -> None:
    session_id = await flow.enter(minutes_ago=70)
    gql = GraphQL(limited_client)
    code = await flow.lane_code("in")
    # three requests from one address are served (three payers: three orders)
    for payer in ("o-1", "o-2", "o-3"):
        made = await create(gql, laneCode=code, plate=PLATE, channel="WECHAT_JSAPI", payerId=payer)
        assert made["__typename"] == "PaymentCreateSuccess"
    before = await order_count(db)
    # the fourth is refused with a clear code and makes nothing, even a request that would fit
    refused = await create(gql, laneCode=code, plate=PLATE, channel="WECHAT_JSAPI", payerId="o-4")
    again = await create(gql, laneCode=code, plate=PLATE, channel="WECHAT_JSAPI", payerId="o-1")
    assert [(r["__typename"], r["code"], r["field"]) for r in (refused, again)] == [
        ("PaymentError", "RATE_LIMITED", None),
        ("PaymentError", "RATE_LIMITED", None),
    ]
    assert await order_count(db) == before == 3
    # a logged-in operator is not counted
    world = await build_world(db)
    operator = await create(gql, world.tokens["platform"], sessionId=str(session_id), channel="ALIPAY_QR")
    assert operator["__typename"] == "PaymentCreateSuccess"
    # and another address has its own allowance
    app = create_app(replace(settings, payment_create_limit=3, payment_create_window_s=3600), db, channels)
    other = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=("198.51.100.8", 40000)), base_url="http://testserver"
    )
    async with other:
        served = await create(GraphQL(other), laneCode=code, plate=PLATE, channel="WECHAT_JSAPI", payerId="o-5")
    assert served["__typename"] == "PaymentCreateSuccess"


def test_the_limit_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    monkeypatch.setenv("PARKCLOUD_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PARKCLOUD_PAYMENT_CREATE_LIMIT", "7")
    monkeypatch.setenv("PARKCLOUD_PAYMENT_CREATE_WINDOW_S", "30")
    settings = Settings.from_env()
    assert (settings.payment_create_limit, settings.payment_create_window_s) == (7, 30)
