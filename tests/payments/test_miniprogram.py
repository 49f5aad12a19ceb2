"""Mini-program login and subscribe messages through wechatpy against the fake WeChat API over real HTTP."""

from collections.abc import AsyncIterator

import pytest

from fakes.wechat_api import FakeWeChatAPI
from parking.payments.config import MiniProgramConfig
from parking.payments.miniprogram import MiniProgramClient, WeChatApiError
from tests.wechat import ServedWeChat


@pytest.fixture
def fake(wechat_api: FakeWeChatAPI) -> FakeWeChatAPI:
    return wechat_api


@pytest.fixture
async def client(served: ServedWeChat) -> AsyncIterator[MiniProgramClient]:
    mp = served.client()
    yield mp
    await mp.aclose()


async def test_jscode2session_returns_openid_and_unionid(client: MiniProgramClient, fake: FakeWeChatAPI) -> None:
    # given a user who ran wx.login()
    code = fake.login(openid="oUser1", unionid="uUser1")
    # when the code is exchanged
    session = await client.code_to_session(code)
    # then we learn the openid to pay with
    assert session.openid == "oUser1"
    assert session.unionid == "uUser1"
    assert fake.received[-1]["query"]["grant_type"] == "authorization_code"
    assert fake.received[-1]["query"]["js_code"] == code
    assert "session_key" not in repr(session)


async def test_code_is_single_use(client: MiniProgramClient, fake: FakeWeChatAPI) -> None:
    # given a code already exchanged once
    code = fake.login(openid="oUser2")
    first = await client.code_to_session(code)
    # when it is used again, then WeChat says the code was used
    with pytest.raises(WeChatApiError) as raised:
        await client.code_to_session(code)
    assert first.openid == "oUser2"
    assert first.unionid is None
    assert raised.value.errcode == 40163


async def test_an_expired_code_is_invalid(client: MiniProgramClient, fake: FakeWeChatAPI) -> None:
    code = fake.login(openid="oLate")
    fake.expire_codes()
    with pytest.raises(WeChatApiError) as raised:
        await client.code_to_session(code)
    assert raised.value.errcode == 40029


async def test_forged_code_is_refused(client: MiniProgramClient) -> None:
    with pytest.raises(WeChatApiError) as raised:
        await client.code_to_session("forged-code")
    assert raised.value.errcode == 40029


async def test_wrong_secret_is_refused(served: ServedWeChat) -> None:
    client = served.client(secret="wrong")
    with pytest.raises(WeChatApiError) as raised:
        await client.code_to_session(served.fake.login())
    await client.aclose()
    assert raised.value.errcode == 40125


async def test_unreachable_api_is_a_transport_error(served: ServedWeChat) -> None:
    client = MiniProgramClient(
        MiniProgramConfig(served.fake.appid, served.fake.secret, "http://127.0.0.1:9", timeout_s=2)
    )
    with pytest.raises(WeChatApiError) as raised:
        await client.code_to_session("any")
    await client.aclose()
    assert raised.value.errcode == -1


async def test_subscribe_message_is_sent_with_cached_token(client: MiniProgramClient, fake: FakeWeChatAPI) -> None:
    # when two messages are sent within the token lifetime
    await client.send_subscribe_message("oUser1", "TPL_PAID", {"amount1": "15.00", "car_number2": "粤B12345"})
    await client.send_subscribe_message("oUser1", "TPL_PAID", {"amount1": "8.00"}, page="pages/order")
    # then both were recorded, in WeChat's {"key": {"value": ...}} shape, with one token
    assert [m["data"] for m in fake.messages] == [
        {"amount1": {"value": "15.00"}, "car_number2": {"value": "粤B12345"}},
        {"amount1": {"value": "8.00"}},
    ]
    assert fake.messages[1]["page"] == "pages/order"
    assert len(fake.tokens) == 1


async def test_revoked_token_is_refreshed_once(client: MiniProgramClient, fake: FakeWeChatAPI) -> None:
    # given a token that WeChat then revokes
    await client.access_token()
    fake.tokens.clear()
    # when a message is sent, then it goes through with a new token
    await client.send_subscribe_message("oUser1", "TPL_PAID", {"amount1": "1.00"})
    assert len(fake.messages) == 1
    assert len(fake.tokens) == 1


async def test_refused_message_keeps_its_errcode(client: MiniProgramClient, fake: FakeWeChatAPI) -> None:
    fake.refusing.add("oRefuses")
    with pytest.raises(WeChatApiError) as raised:
        await client.send_subscribe_message("oRefuses", "TPL_PAID", {"amount1": "1.00"})
    assert raised.value.errcode == 43101
    assert fake.messages == []
