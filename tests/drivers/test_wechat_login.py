"""Signing in with WeChat through wechatpy against the fake WeChat API (real HTTP): drivers over REST, operators
through operatorWechatBind / operatorWechatLogin. Forged, used or expired codes are refused and change nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from api.app import create_app
from config.settings import Settings
from parking.accounts.models import Operator
from parking.common.database import Database
from parking.common.scope import Scope
from tests.conftest import GraphQL
from tests.factories import World, build_world
from tests.wechat import ServedWeChat, served_wechat

BIND = """mutation($code: String!) { operatorWechatBind(input: {code: $code}) { __typename
  ... on OperatorSuccess { operator { username } } ... on AccountError { code message } } }"""
LOGIN = """mutation($code: String!) { operatorWechatLogin(input: {code: $code}) { __typename
  ... on LoginSuccess { token operator { username } } ... on AccountError { code message } } }"""


@pytest.fixture
def served() -> Iterator[ServedWeChat]:
    with served_wechat() as s:
        yield s


@pytest.fixture
async def http(db: Database, settings: Settings, served: ServedWeChat) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, db)
    app.state.drivers.wechat = served.client()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        yield client
    await app.state.drivers.wechat.aclose()


async def bindings(db: Database) -> dict[str, str | None]:
    async with db.session(Scope.internal()) as s:
        rows = await s.execute(select(Operator.username, Operator.wechat_openid).order_by(Operator.id))
        return {u: o for u, o in rows if o is not None}


async def test_a_driver_logs_in_with_a_wx_login_code(http: httpx.AsyncClient, served: ServedWeChat) -> None:
    response = await http.post("/api/driver/login", json={"code": served.fake.login("oDriverA")})
    assert response.status_code == 200
    body = response.json()
    assert body["openid"] == "oDriverA"
    # the token is a driver's: it binds plates
    gql = GraphQL(http)
    bound = await gql('mutation { plateBind(input: {plate: "京A12345"}) { __typename } }', token=body["token"])
    assert bound["data"]["plateBind"]["__typename"] == "DriverPlate"


async def test_forged_used_and_expired_codes_are_refused(http: httpx.AsyncClient, served: ServedWeChat) -> None:
    expiring = served.fake.login("oLate")
    served.fake.expire_codes()
    expired = await http.post("/api/driver/login", json={"code": expiring})
    assert (expired.status_code, expired.json()["error"]["code"]) == (401, "invalid_credentials")
    forged = await http.post("/api/driver/login", json={"code": "forged-code"})
    assert (forged.status_code, forged.json()["error"]["code"]) == (401, "invalid_credentials")
    assert forged.json()["error"]["message"] == "微信登录已失效，请重新登录"
    code = served.fake.login("oDriverB")
    assert (await http.post("/api/driver/login", json={"code": code})).status_code == 200
    again = await http.post("/api/driver/login", json={"code": code})
    assert (again.status_code, again.json()["error"]["code"]) == (401, "invalid_credentials")


async def test_a_wrong_app_secret_is_not_the_drivers_fault(
    db: Database, settings: Settings, served: ServedWeChat
) -> None:
    app = create_app(settings, db)
    app.state.drivers.wechat = served.client(secret="wrong")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as http:
        response = await http.post("/api/driver/login", json={"code": served.fake.login()})
    await app.state.drivers.wechat.aclose()
    assert (response.status_code, response.json()["error"]["code"]) == (502, "invalid")
    assert response.json()["error"]["message"] == "暂不支持微信登录"


async def _call(gql: GraphQL, query: str, code: str, token: str | None = None) -> dict[str, Any]:
    body = await gql(query, {"code": code}, token=token)
    assert "errors" not in body, body
    name = "operatorWechatBind" if "Bind" in query else "operatorWechatLogin"
    result: dict[str, Any] = body["data"][name]
    return result


async def test_an_operator_binds_wechat_then_signs_in_with_it_alone(
    http: httpx.AsyncClient, db: Database, served: ServedWeChat
) -> None:
    world: World = await build_world(db)
    gql = GraphQL(http)
    fake = served.fake
    # when lot staff bind their WeChat with their operator token
    bound = await _call(gql, BIND, fake.login("oStaff"), world.tokens["lotA1a"])
    assert bound["__typename"] == "OperatorSuccess"
    assert await bindings(db) == {"lotA1a": "oStaff"}
    # then a later wx.login() code of that WeChat signs them in
    login = await _call(gql, LOGIN, fake.login("oStaff"))
    assert (login["__typename"], login["operator"]["username"]) == ("LoginSuccess", "lotA1a")
    me = await gql("{ me { name } }", token=login["token"])
    assert me["data"]["me"]["name"] == "lotA1a"


async def test_wechat_refusals_change_nothing(http: httpx.AsyncClient, db: Database, served: ServedWeChat) -> None:
    world: World = await build_world(db)
    gql = GraphQL(http)
    fake = served.fake
    await _call(gql, BIND, fake.login("oStaff"), world.tokens["lotA1a"])
    # another operator cannot take the same WeChat
    taken = await _call(gql, BIND, fake.login("oStaff"), world.tokens["custA1"])
    assert (taken["code"], taken["message"]) == ("DUPLICATE", "该微信已绑定其他账号")
    # a forged code binds nothing and signs nobody in
    forged = await _call(gql, BIND, "forged", world.tokens["custA1"])
    assert forged["code"] == "INVALID_CREDENTIALS"
    assert (await _call(gql, LOGIN, "forged"))["code"] == "INVALID_CREDENTIALS"
    # a WeChat no operator bound signs nobody in; without an operator token nothing is bound
    stranger = await _call(gql, LOGIN, fake.login("oStranger"))
    assert (stranger["code"], stranger["message"]) == (
        "INVALID_CREDENTIALS",
        "该微信未绑定账号：请先用账号密码登录并绑定微信",
    )
    signed_out = await _call(gql, BIND, fake.login("oStranger"))
    assert (signed_out["code"], signed_out["message"]) == ("UNAUTHENTICATED", "请先用操作员账号登录，再绑定微信")
    assert await bindings(db) == {"lotA1a": "oStaff"}
